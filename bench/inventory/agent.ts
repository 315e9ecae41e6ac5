import WebSocket from 'ws';
import type { InventoryFrame } from '../../protocol/agent-frames';
import { PING } from '../../protocol/limits';
import type { Device } from '../sim/agent';
import { hostnameOf, osFacts, sampleFor } from '../sim/synthetic';

const PING_INTERVAL_MS = 20_000;

/**
 * A protocol-level agent that sends inventory frames: hello on open, heartbeats at the
 * server's interval (so its hub stays online), and frames whose acks it waits for. It
 * counts what the hub answers besides acks (inv_resync, inv_reject).
 */
export class InventoryAgent {
  private ws: WebSocket | null = null;
  private timers: NodeJS.Timeout[] = [];
  private seq = 0;
  private fidCounter = 0;
  private readonly waiting = new Map<number, () => void>();
  resyncs = 0;
  rejects = 0;

  constructor(
    readonly device: Device,
    private readonly url: string,
  ) {}

  nextFid = () => ++this.fidCounter;

  connect(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url, { headers: { Authorization: `Bearer ${this.device.deviceToken}` }, perMessageDeflate: false, handshakeTimeout: timeoutMs });
      this.ws = ws;
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error('timeout'));
      }, timeoutMs);
      ws.on('open', () => this.send({ t: 'hello', agentVersion: 'bench-sim', hostname: hostnameOf(this.device.index), os: osFacts(), lastFid: 0 }));
      ws.on('error', (err) => reject(err));
      ws.on('message', (data) => {
        const text = data.toString();
        if (!text.startsWith('{')) return;
        const f = JSON.parse(text) as { t: string; fids?: number[]; heartbeatSeconds?: number };
        if (f.t === 'welcome') {
          clearTimeout(timer);
          this.beatEvery(f.heartbeatSeconds ?? 30);
          this.timers.push(setInterval(() => this.ws?.readyState === WebSocket.OPEN && this.ws.send(PING), PING_INTERVAL_MS));
          resolve();
        } else if (f.t === 'ack') {
          for (const fid of f.fids ?? []) {
            this.waiting.get(fid)?.();
            this.waiting.delete(fid);
          }
        } else if (f.t === 'inv_resync') this.resyncs++;
        else if (f.t === 'inv_reject') this.rejects++;
      });
    });
  }

  /** Sends the frames and resolves once every one is acknowledged. */
  async sendAll(frames: InventoryFrame[], timeoutMs: number): Promise<void> {
    const acked = frames.map(
      (f) =>
        new Promise<void>((resolve, reject) => {
          const t = setTimeout(() => reject(new Error(`fid ${f.fid} not acked`)), timeoutMs);
          this.waiting.set(f.fid, () => {
            clearTimeout(t);
            resolve();
          });
        }),
    );
    for (const f of frames) this.send(f);
    await Promise.all(acked);
  }

  close(): void {
    for (const t of this.timers) clearInterval(t);
    this.ws?.terminate();
  }

  private beatEvery(seconds: number): void {
    const beat = () => this.send({ t: 'hb', seq: ++this.seq, m: sampleFor(this.device.index, this.seq) });
    beat();
    this.timers.push(setInterval(beat, seconds * 1000));
  }

  private send(frame: unknown): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }
}
