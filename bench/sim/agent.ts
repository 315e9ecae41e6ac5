import WebSocket from 'ws';
import * as v from 'valibot';
import { CommandPayload } from '../../protocol/command';
import { ServerFrame, type AgentFrame } from '../../protocol/agent-frames';
import { PING, PONG } from '../../protocol/limits';
import { hostnameOf, osFacts, sampleFor } from './synthetic';
import type { CommandLog, Tally } from './tally';
import { answerDeploy, isDeployPayload, type Replies } from './deploy';

/** Same keep-alive cadence as the real agent, so the dev proxy sees the same traffic. */
const PING_INTERVAL_MS = 20_000;

export interface Device {
  index: number;
  deviceId: string;
  deviceToken: string;
}

/**
 * One protocol-level agent: the real agent's socket behaviour (hello on open, a heartbeat
 * at once on welcome and then every interval, pings) with synthetic metrics, and commands
 * answered at once (cmd_ack, one output chunk, done) instead of being run; deployments and
 * patch scans as ./deploy.ts answers them.
 */
export class SimAgent {
  private ws: WebSocket | null = null;
  private hbTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private seq = 0;
  private fid = 0;
  private heartbeatSeconds = 30;
  private stopping = false;
  private readonly inFlight = new Map<number, number>();
  private readonly doneFids = new Map<number, string>();
  /** Monitoring scenarios: the CPU figure each heartbeat reports instead of the synthetic wave. */
  cpuOverride: ((seq: number) => number) | null = null;
  /** performance.now() of the last heartbeat sent (offline detection counts from it too). */
  lastBeatAt = 0;

  constructor(
    readonly device: Device,
    private readonly url: string,
    private readonly tally: Tally,
    private readonly commands: CommandLog,
  ) {}

  get open(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Resolves with the connect time (ms) once the server's `welcome` arrived. */
  connect(timeoutMs: number): Promise<number> {
    const started = performance.now();
    return new Promise((resolve, reject) => {
      let welcomed = false;
      const fail = (why: string) => {
        clearTimeout(timer);
        ws.terminate();
        reject(new Error(why));
      };
      const timer = setTimeout(() => fail('timeout'), timeoutMs);
      const ws = new WebSocket(this.url, {
        headers: { Authorization: `Bearer ${this.device.deviceToken}` },
        perMessageDeflate: false,
        handshakeTimeout: timeoutMs,
      });
      this.ws = ws;
      ws.on('open', () => {
        this.send({ t: 'hello', agentVersion: 'bench-sim', hostname: hostnameOf(this.device.index), os: osFacts(), lastFid: 0 });
      });
      ws.on('unexpected-response', (_req, res) => {
        res.resume();
        fail(`HTTP ${res.statusCode}`);
      });
      ws.on('error', (err: NodeJS.ErrnoException) => {
        if (!welcomed) fail(err.code ?? err.message);
      });
      ws.on('message', (data, isBinary) => {
        if (isBinary) return this.tally.invalid('(binary)');
        const text = data.toString();
        if (text === PONG) {
          this.tally.pongs++;
          return;
        }
        const kind = this.onFrame(text);
        if (kind === 'welcome' && !welcomed) {
          welcomed = true;
          clearTimeout(timer);
          resolve(performance.now() - started);
        }
      });
      ws.on('close', (code, reason) => {
        this.stopTimers();
        if (!welcomed) return fail(`closed ${code} before welcome`);
        if (!this.stopping) this.tally.drop(`${code}${reason.length ? ` ${reason.toString().slice(0, 60)}` : ''}`);
      });
    });
  }

  /** Stops sending heartbeats and pings (the socket stays open). */
  quiesce(): void {
    this.stopTimers();
  }

  /**
   * Sends a heartbeat now and restarts the interval from here, so the agent's cadence stays
   * what the server asked for. Returns when it was sent (performance.now()), null if closed.
   */
  beatNow(): number | null {
    if (!this.open || !this.hbTimer) return null;
    clearInterval(this.hbTimer);
    this.hbTimer = setInterval(() => this.beat(), this.heartbeatSeconds * 1000);
    this.beat();
    return this.lastBeatAt;
  }

  /**
   * Loses the connection without a close frame. `reset`: the TCP socket is destroyed (the
   * peer's kernel sees FIN/RST, as when the agent's process dies). `silent`: nothing is sent
   * or read any more and the socket stays open, as when a cable is pulled or a NAT forgets
   * the flow: only the server's heartbeat watchdog can notice.
   */
  sever(mode: 'reset' | 'silent'): void {
    this.stopping = true;
    this.stopTimers();
    if (mode === 'reset') this.ws?.terminate();
    else this.ws?.pause();
  }

  /** Heartbeats sent and not (yet) acknowledged. */
  get unacked(): number {
    return this.inFlight.size;
  }

  close(): void {
    this.stopping = true;
    this.stopTimers();
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.close(1000, 'bench done');
  }

  terminate(): void {
    this.stopping = true;
    this.stopTimers();
    this.ws?.terminate();
  }

  private onFrame(text: string): string | null {
    let parsed;
    try {
      parsed = v.safeParse(ServerFrame, JSON.parse(text));
    } catch {
      parsed = null;
    }
    if (!parsed?.success) {
      this.tally.invalid(text);
      return null;
    }
    const frame = parsed.output;
    const now = performance.now();
    switch (frame.t) {
      case 'welcome':
      case 'config':
        this.startHeartbeats(frame.heartbeatSeconds);
        break;
      case 'hb_ack': {
        const sentAt = this.inFlight.get(frame.seq);
        if (sentAt !== undefined) {
          this.inFlight.delete(frame.seq);
          this.tally.hbAcked++;
          this.tally.hbRtt.push(now - sentAt);
        }
        break;
      }
      case 'cmd':
        this.runCommand(frame.cmd.payload, now);
        break;
      case 'ack':
        for (const fid of frame.fids) {
          const id = this.doneFids.get(fid);
          if (id === undefined) continue;
          this.doneFids.delete(fid);
          if (!this.commands.stored.has(id)) this.commands.stored.set(id, now);
        }
        break;
    }
    return frame.t;
  }

  /* The whole command lifecycle a script that prints one line would produce, with no process. */
  private runCommand(payloadText: string, now: number): void {
    let payload;
    try {
      payload = v.parse(CommandPayload, JSON.parse(payloadText));
    } catch {
      this.tally.invalid(payloadText);
      return;
    }
    const id = payload.id;
    if (this.commands.received.has(id)) return;
    this.commands.received.set(id, now);
    this.send({ t: 'cmd_ack', fid: ++this.fid, id });
    if (isDeployPayload(payload)) {
      void answerDeploy(this.replies(), payload).catch((err: unknown) => this.tally.invalid(`deploy answer: ${String(err)}`));
      return;
    }
    this.send({ t: 'out', fid: ++this.fid, id, seq: 0, stream: 'stdout', data: 'hi\n' });
    const doneFid = ++this.fid;
    this.doneFids.set(doneFid, id);
    this.send({ t: 'done', fid: doneFid, id, status: 'succeeded', exitCode: 0, durationMs: 1, truncated: false });
  }

  private replies(): Replies {
    return {
      send: (frame) => this.send(frame),
      nextFid: () => ++this.fid,
      sentDone: (fid, id) => void this.doneFids.set(fid, id),
      server: this.url.replace(/^ws/, 'http').replace(/\/agent\/connect$/, ''),
      deviceToken: this.device.deviceToken,
    };
  }

  private startHeartbeats(seconds: number): void {
    this.heartbeatSeconds = seconds;
    this.stopTimers();
    this.beat();
    this.hbTimer = setInterval(() => this.beat(), this.heartbeatSeconds * 1000);
    this.pingTimer = setInterval(() => this.ping(), PING_INTERVAL_MS);
  }

  private beat(): void {
    if (!this.open) return;
    const seq = this.seq++;
    this.lastBeatAt = performance.now();
    this.inFlight.set(seq, this.lastBeatAt);
    this.tally.hbSent++;
    const m = sampleFor(this.device.index, seq);
    if (this.cpuOverride) m.cpuPercent = this.cpuOverride(seq);
    this.send({ t: 'hb', seq, m });
  }

  private ping(): void {
    if (!this.open) return;
    this.tally.pingsSent++;
    this.ws!.send(PING);
  }

  private stopTimers(): void {
    if (this.hbTimer) clearInterval(this.hbTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.hbTimer = this.pingTimer = null;
  }

  private send(frame: AgentFrame): void {
    if (this.open) this.ws!.send(JSON.stringify(frame));
  }
}
