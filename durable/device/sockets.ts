import * as v from 'valibot';
import type { ServerFrame } from '../../protocol/agent-frames';
import type { DeviceViewFrame } from '../../protocol/live';

export const Attachment = v.object({
  role: v.picklist(['agent', 'viewer']),
  connectedAt: v.number(),
  userId: v.optional(v.string()),
});
export type Attachment = v.InferOutput<typeof Attachment>;
export type SocketRole = Attachment['role'];

export function attachmentOf(ws: WebSocket): Attachment | null {
  const parsed = v.safeParse(Attachment, ws.deserializeAttachment());
  return parsed.success ? parsed.output : null;
}

/** Accepted sockets with this tag that can still be written to, minus `except`. */
export function openSockets(ctx: DurableObjectState, tag: SocketRole, except?: WebSocket): WebSocket[] {
  return ctx.getWebSockets(tag).filter((ws) => ws !== except && ws.readyState === WebSocket.OPEN);
}

/* A socket can close between the lookup and the send; that socket's close handler tidies up. */
export function send(ws: WebSocket, frame: ServerFrame | DeviceViewFrame): void {
  try {
    ws.send(JSON.stringify(frame));
  } catch {
    // already closing
  }
}

export function broadcastToViewers(ctx: DurableObjectState, frame: DeviceViewFrame): void {
  const viewers = openSockets(ctx, 'viewer');
  if (viewers.length === 0) return;
  const text = JSON.stringify(frame);
  for (const ws of viewers) {
    try {
      ws.send(text);
    } catch {
      // already closing
    }
  }
}

export function closeQuietly(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code, reason);
  } catch {
    // already closed
  }
}
