import * as v from 'valibot';
import type { TenantFeedFrame } from '../../protocol/live';

const ClientIds = v.nullable(v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(64))), v.maxLength(1000)));

export const DashboardAttachment = v.object({
  userId: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  /** Clients this user may see; null = all of the tenant's clients. */
  clientIds: ClientIds,
});
export type DashboardAttachment = v.InferOutput<typeof DashboardAttachment>;

export const DASH_TAG = 'dash';

/** Reads the clientIds header: a JSON array, or the string 'null' for an unrestricted user. */
export function parseClientIds(header: string | null): v.InferOutput<typeof ClientIds> | undefined {
  if (header === null) return undefined;
  try {
    const parsed = v.safeParse(ClientIds, JSON.parse(header));
    return parsed.success ? parsed.output : undefined;
  } catch {
    return undefined;
  }
}

function mayReceive(ws: WebSocket, clientId: string | null | undefined): boolean {
  const parsed = v.safeParse(DashboardAttachment, ws.deserializeAttachment());
  if (!parsed.success) return false;
  const allowed = parsed.output.clientIds;
  if (allowed === null) return true;
  // A scoped user never gets a frame whose client is unknown.
  return typeof clientId === 'string' && allowed.includes(clientId);
}

export function hasDashboards(ctx: DurableObjectState): boolean {
  return ctx.getWebSockets(DASH_TAG).length > 0;
}

/**
 * Sends a frame to the dashboards allowed to see `clientId`. `undefined` means the frame
 * concerns the whole tenant; `null` means its client is unknown (only unscoped users see it).
 */
export function broadcast(ctx: DurableObjectState, frame: TenantFeedFrame, clientId: string | null | undefined): number {
  const text = JSON.stringify(frame);
  let sent = 0;
  for (const ws of ctx.getWebSockets(DASH_TAG)) {
    if (ws.readyState !== WebSocket.OPEN) continue;
    if (clientId !== undefined && !mayReceive(ws, clientId)) continue;
    try {
      ws.send(text);
      sent++;
    } catch {
      // closing; its close event tidies up
    }
  }
  return sent;
}

/** Sends a frame only to the dashboards of one user (notifications). */
export function sendToUser(ctx: DurableObjectState, frame: TenantFeedFrame, userId: string): number {
  const text = JSON.stringify(frame);
  let sent = 0;
  for (const ws of ctx.getWebSockets(DASH_TAG)) {
    if (ws.readyState !== WebSocket.OPEN) continue;
    const parsed = v.safeParse(DashboardAttachment, ws.deserializeAttachment());
    if (!parsed.success || parsed.output.userId !== userId) continue;
    try {
      ws.send(text);
      sent++;
    } catch {
      // closing
    }
  }
  return sent;
}
