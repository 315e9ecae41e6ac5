import WebSocket from 'ws';
import * as v from 'valibot';
import { TenantFeedFrame } from '../../protocol/live';
import { PING, PONG } from '../../protocol/limits';

/** Same keep-alive as the dashboard, so the socket looks like a browser's. */
const PING_INTERVAL_MS = 20_000;

/** One frame as the dashboard received it: when, what, and about which device. */
export interface FeedEntry {
  at: number;
  t: TenantFeedFrame['t'];
  deviceId: string | null;
  /** alert: its status; device: online/offline. */
  status: string | null;
  checkKey: string | null;
  flapping: boolean;
  /** ticket: its title (the frame names no device; the bench's rule puts the hostname in it). */
  title: string | null;
}

type Match = (e: FeedEntry) => boolean;
/* Waiters are keyed by device id (ids have no spaces or colons), tickets by title. */
const ticketKey = (title: string) => `ticket: ${title}`;
interface Waiter {
  match: Match;
  done: (at: number | null) => void;
}

/**
 * One dashboard on the tenant feed (GET /api/v1/live), as the web app opens it: the owner's
 * session cookie and our own Origin. Every frame is checked against the feed's schema and
 * logged with its arrival time (performance.now(), the clock the agents stamp sends with);
 * waiters resolve on the first frame about their device that matches.
 */
export class DashboardFeed {
  readonly log: FeedEntry[] = [];
  invalid = 0;
  readonly invalidSamples: string[] = [];
  closedWith: string | null = null;
  private readonly waiters = new Map<string, Set<Waiter>>();
  private pinger: NodeJS.Timeout | null = null;

  private constructor(private readonly ws: WebSocket) {}

  static open(baseUrl: string, cookie: string | undefined, timeoutMs = 30_000): Promise<DashboardFeed> {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/v1/live`, {
      headers: cookie ? { cookie } : {},
      origin: baseUrl,
      perMessageDeflate: false,
      handshakeTimeout: timeoutMs,
    });
    const feed = new DashboardFeed(ws);
    return new Promise((resolve, reject) => {
      ws.on('unexpected-response', (_req, res) => {
        res.resume();
        reject(new Error(`dashboard feed: HTTP ${res.statusCode}`));
      });
      ws.on('error', (err) => reject(err));
      ws.on('message', (data) => {
        const text = data.toString();
        if (text === PONG) return;
        const entry = feed.onFrame(text);
        if (entry?.t === 'hello') resolve(feed);
      });
      ws.on('close', (code, reason) => {
        feed.closedWith = `${code} ${reason.toString()}`.trim();
        if (feed.pinger) clearInterval(feed.pinger);
        for (const set of feed.waiters.values()) for (const w of set) w.done(null);
        feed.waiters.clear();
      });
      feed.pinger = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send(PING), PING_INTERVAL_MS);
    });
  }

  /**
   * Resolves with the arrival time of the first later frame about `deviceId` that matches,
   * or null after `timeoutMs`. Register before sending what should cause it.
   */
  waitFor(deviceId: string, match: Match, timeoutMs: number): Promise<number | null> {
    return this.wait(deviceId, match, timeoutMs);
  }

  /** The same for the first `ticket` frame with this exact title. */
  waitForTicket(title: string, timeoutMs: number): Promise<number | null> {
    return this.wait(ticketKey(title), (e) => e.t === 'ticket', timeoutMs);
  }

  private wait(key: string, match: Match, timeoutMs: number): Promise<number | null> {
    return new Promise((resolve) => {
      const set = this.waiters.get(key) ?? new Set<Waiter>();
      this.waiters.set(key, set);
      const w: Waiter = {
        match,
        done: (at) => {
          clearTimeout(timer);
          set.delete(w);
          resolve(at);
        },
      };
      const timer = setTimeout(() => w.done(null), timeoutMs);
      set.add(w);
    });
  }

  /** Frames of kind `t` that arrived in [from, to). */
  count(t: FeedEntry['t'], from: number, to: number): number {
    let n = 0;
    for (const e of this.log) if (e.t === t && e.at >= from && e.at < to) n++;
    return n;
  }

  close(): void {
    if (this.pinger) clearInterval(this.pinger);
    this.ws.terminate();
  }

  private onFrame(text: string): FeedEntry | null {
    const at = performance.now();
    let parsed;
    try {
      parsed = v.safeParse(TenantFeedFrame, JSON.parse(text));
    } catch {
      parsed = null;
    }
    if (!parsed?.success) {
      this.invalid++;
      if (this.invalidSamples.length < 3) this.invalidSamples.push(text.slice(0, 300));
      return null;
    }
    const f = parsed.output;
    const entry: FeedEntry = { at, t: f.t, deviceId: null, status: null, checkKey: null, flapping: false, title: null };
    if (f.t === 'alert') Object.assign(entry, { deviceId: f.alert.deviceId, status: f.alert.status, checkKey: f.alert.checkKey, flapping: f.alert.flapping });
    else if (f.t === 'device') Object.assign(entry, { deviceId: f.device.id, status: f.device.status });
    else if (f.t === 'ticket') Object.assign(entry, { status: f.ticket.status, title: f.ticket.title });
    this.log.push(entry);
    const key = entry.deviceId ?? (entry.title === null ? null : ticketKey(entry.title));
    const set = key ? this.waiters.get(key) : undefined;
    if (set) for (const w of [...set]) if (w.match(entry)) w.done(at);
    return entry;
  }
}
