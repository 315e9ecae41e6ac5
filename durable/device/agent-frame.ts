import * as v from 'valibot';
import { AgentFrame } from '../../protocol/agent-frames';
import { MAX_FRAME_BYTES } from '../../protocol/limits';

const encoder = new TextEncoder();

export type FrameRead = { ok: true; frame: AgentFrame } | { ok: false; reason: string };

/** Parses one message from the agent socket; not ok means "violates the protocol", with why. */
export function readAgentFrame(message: string | ArrayBuffer): FrameRead {
  if (typeof message !== 'string') return { ok: false, reason: 'binary frame' };
  // UTF-16 length never exceeds UTF-8 length, so the cheap check first.
  if (message.length > MAX_FRAME_BYTES || encoder.encode(message).length > MAX_FRAME_BYTES) {
    return { ok: false, reason: `frame larger than ${MAX_FRAME_BYTES} bytes` };
  }
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const parsed = v.safeParse(AgentFrame, json);
  if (parsed.success) return { ok: true, frame: parsed.output };
  const issue = parsed.issues[0];
  const path = issue.path?.map((p) => String(p.key)).join('.');
  return { ok: false, reason: `invalid frame: ${path ? `${path}: ` : ''}${issue.message}` };
}

/*
 * The agent writes `t` then `fid` first, so an inventory frame too large or too broken to
 * parse still says what it is from its first bytes: it can be refused by fid, not by closing.
 */
const INVENTORY_HEAD = /^\s*\{\s*"t"\s*:\s*"inv"\s*,\s*"fid"\s*:\s*(\d{1,15})\s*[,}]/;

/** null: not an inventory frame; otherwise its fid where readable. */
export function inventoryFrameHead(message: string | ArrayBuffer): { fid: number | null } | null {
  if (typeof message !== 'string') return null;
  const head = message.slice(0, 64);
  const m = INVENTORY_HEAD.exec(head);
  if (m) {
    const fid = Number(m[1]);
    return { fid: fid >= 1 ? fid : null };
  }
  return /^\s*\{\s*"t"\s*:\s*"inv"\s*[,}]/.test(head) ? { fid: null } : null;
}
