import * as v from 'valibot';
import { AgentFrame } from '../../protocol/agent-frames';
import { MAX_FRAME_BYTES } from '../../protocol/limits';

const encoder = new TextEncoder();

/** Parses one message from the agent socket; null means "violates the protocol, close 1008". */
export function parseAgentFrame(message: string | ArrayBuffer): AgentFrame | null {
  if (typeof message !== 'string') return null;
  // UTF-16 length never exceeds UTF-8 length, so the cheap check first.
  if (message.length > MAX_FRAME_BYTES || encoder.encode(message).length > MAX_FRAME_BYTES) return null;
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return null;
  }
  const parsed = v.safeParse(AgentFrame, json);
  return parsed.success ? parsed.output : null;
}
