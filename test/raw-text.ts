import { SELF } from 'cloudflare:test';
import { ORIGIN, type Auth } from './support';

/** The answer exactly as sent: secrets must not appear anywhere in it. */
export async function rawText(auth: Auth, method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { ...auth.headers };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await SELF.fetch(`${ORIGIN}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
}
