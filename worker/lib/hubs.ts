import type { Context } from 'hono';
import { HUB_HEADERS } from '../../durable/contracts';
import type { AppEnv } from '../types';

export function deviceHub(env: Env, deviceId: string) {
  return env.DEVICE_HUB.get(env.DEVICE_HUB.idFromName(deviceId));
}

export function tenantHub(env: Env, tenantId: string) {
  return env.TENANT_HUB.get(env.TENANT_HUB.idFromName(tenantId));
}

/** Copy an upgrade request for a hub, replacing any hub header the caller tried to set. */
export function hubRequest(request: Request, headers: Partial<Record<keyof typeof HUB_HEADERS, string>>): Request {
  const h = new Headers(request.headers);
  for (const name of Object.values(HUB_HEADERS)) h.delete(name);
  h.delete('authorization');
  h.delete('cookie');
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined) h.set(HUB_HEADERS[key as keyof typeof HUB_HEADERS], value);
  }
  return new Request(request.url, { method: 'GET', headers: h });
}

export function isWebSocketUpgrade(request: Request): boolean {
  return request.headers.get('upgrade')?.toLowerCase() === 'websocket';
}

/**
 * The tenant hub reloads its config (routing, policies, rules); a failure is logged, since
 * the hub also reloads on its own schedule. `origin` is stored for links in outgoing messages.
 */
export async function tellConfigChanged(c: Context<AppEnv>, origin?: string): Promise<void> {
  await tenantHub(c.env, c.var.auth.tenantId)
    .configChanged(origin)
    .catch((err: unknown) => console.error('tenant hub configChanged failed', err));
}
