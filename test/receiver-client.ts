import { inject } from 'vitest';
import type { Received } from './receiver';

/* The workerd side of test/receiver.ts: where to point integrations, and what arrived. */

const base = () => inject('receiverUrl');

/** A fresh path on the receiver, so tests never read each other's requests. */
export function receiverTarget(name: string): { path: string; url: string } {
  const path = `/hook/${name}-${crypto.randomUUID()}`;
  return { path, url: `${base()}${path}` };
}

export async function receivedAt(path: string): Promise<Received[]> {
  const res = await fetch(`${base()}/__receiver/requests?path=${encodeURIComponent(path)}`);
  return (await res.json()) as Received[];
}

/** The next requests to `path` are answered with `statuses` in turn, then `otherwise`. */
export async function answerWith(path: string, statuses: number[], otherwise = 200, body = 'ok'): Promise<void> {
  const res = await fetch(`${base()}/__receiver/respond`, { method: 'POST', body: JSON.stringify({ path, statuses, otherwise, body }) });
  if (res.status !== 204) throw new Error(`receiver refused the script: ${res.status}`);
}
