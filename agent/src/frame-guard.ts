import * as v from 'valibot';
import { AgentFrame } from '../../protocol/agent-frames';
import { MAX_FRAME_BYTES } from '../../protocol/limits';
import { firstIssue } from './issues';

/*
 * The hub closes the socket (1008) on any frame that fails its schema or size limit, and a
 * durable frame is resent after every reconnect: one bad frame from a collector would turn
 * into a reconnect loop. So every monitoring frame is checked here before it is sent or kept.
 */

/** Leaves room under the hub's limit for the fid and JSON escaping differences. */
export const FRAME_BUDGET_BYTES = MAX_FRAME_BYTES - 8 * 1024;

export function frameBytes(frame: unknown): number {
  return Buffer.byteLength(JSON.stringify(frame));
}

/** Why the hub would refuse this frame, or null when it is acceptable. */
export function frameProblem(frame: unknown): string | null {
  const bytes = frameBytes(frame);
  if (bytes > FRAME_BUDGET_BYTES) return `frame is ${bytes} bytes (limit ${FRAME_BUDGET_BYTES})`;
  const parsed = v.safeParse(AgentFrame, frame);
  return parsed.success ? null : firstIssue(parsed.issues);
}

/**
 * Splits items into groups whose frames each fit the budget; `wrap` builds the frame for a
 * group. An item too large to fit even alone is dropped (and counted) rather than sent.
 */
export function packFrames<T>(items: readonly T[], wrap: (group: T[]) => unknown): { groups: T[][]; dropped: number } {
  const empty = frameBytes(wrap([]));
  const groups: T[][] = [];
  let current: T[] = [];
  let bytes = empty;
  let dropped = 0;
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(item)) + 1;
    if (empty + size > FRAME_BUDGET_BYTES) {
      dropped++;
      continue;
    }
    if (bytes + size > FRAME_BUDGET_BYTES) {
      groups.push(current);
      current = [];
      bytes = empty;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length) groups.push(current);
  return { groups, dropped };
}
