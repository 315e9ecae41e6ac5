import ReconnectingWebSocket from 'partysocket/ws';
import * as v from 'valibot';
import { createSignal, getOwner, onCleanup, type Accessor } from 'solid-js';
import { PING, PONG } from '../../../protocol/limits';

const KEEPALIVE_MS = 25_000;

export interface LiveSocket {
  /** True while the socket is open; false while it reconnects. */
  connected: Accessor<boolean>;
  close(): void;
}

export interface LiveSocketOptions<T> {
  /** Path under /api/v1, e.g. "/live". */
  path: string;
  schema: v.GenericSchema<unknown, T>;
  onFrame: (frame: T) => void;
  /** Called on every open after the first: frames may have been missed meanwhile. */
  onReconnect?: () => void;
}

function socketUrl(path: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api/v1${path}`;
}

/**
 * A dashboard socket: reconnects with backoff, keeps itself alive with pings, and hands
 * over only frames that pass the protocol schema (the server is trusted, the bytes are not).
 * Closed automatically with the reactive scope that opened it.
 */
export function openLiveSocket<T>(opts: LiveSocketOptions<T>): LiveSocket {
  const [connected, setConnected] = createSignal(false);
  const ws = new ReconnectingWebSocket(() => socketUrl(opts.path), undefined, {
    minReconnectionDelay: 500 + Math.random() * 1000,
    maxReconnectionDelay: 15_000,
    connectionTimeout: 8_000,
  });
  let opens = 0;
  let keepalive: ReturnType<typeof setInterval> | undefined;

  ws.addEventListener('open', () => {
    setConnected(true);
    if (opens++ > 0) opts.onReconnect?.();
    clearInterval(keepalive);
    keepalive = setInterval(() => ws.readyState === ws.OPEN && ws.send(PING), KEEPALIVE_MS);
  });
  ws.addEventListener('close', () => {
    setConnected(false);
    clearInterval(keepalive);
  });
  ws.addEventListener('message', (event: MessageEvent) => {
    if (typeof event.data !== 'string' || event.data === PONG) return;
    let raw: unknown;
    try {
      raw = JSON.parse(event.data);
    } catch {
      return;
    }
    const parsed = v.safeParse(opts.schema, raw);
    if (parsed.success) opts.onFrame(parsed.output);
  });

  const close = () => {
    clearInterval(keepalive);
    ws.close();
    setConnected(false);
  };
  if (getOwner()) onCleanup(close);
  return { connected, close };
}
