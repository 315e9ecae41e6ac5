import type { CheckResultsFrame, EventsFrame } from '../../protocol/agent-frames';
import type { CheckStateView } from '../../protocol/api/check-sets';
import type { StateFrame } from '../../protocol/device-state';
import type { CheckEngine } from './check-engine';
import type { HubState } from './hub-state';
import { broadcastToViewers, send } from './sockets';

/** The agent's monitoring frames: collector state (latest wins) and durable events/results. */
export class MonitoringFrames {
  constructor(
    private readonly s: HubState,
    private readonly engine: CheckEngine,
  ) {}

  async onState(frame: StateFrame): Promise<void> {
    const now = Date.now();
    this.s.records.putSection(frame.section, now, frame.data);
    this.engine.onSection(frame, now);
    broadcastToViewers(this.s.ctx, { t: 'state', section: frame.section, at: now });
    await this.engine.flush();
  }

  /* Applied once (by fid) and acknowledged only once stored, like command results. */
  async onDurable(ws: WebSocket, frame: EventsFrame | CheckResultsFrame): Promise<void> {
    const s = this.s;
    if (!s.fids.seen(frame.fid)) {
      const now = Date.now();
      s.ctx.storage.transactionSync(() => {
        s.fids.record(frame.fid, now);
        if (frame.t === 'events') {
          s.records.addEvents(frame.entries, now);
          this.engine.onEvents(frame.entries, now);
        } else {
          this.engine.onResults(frame.version, frame.results, now);
        }
      });
      await s.schedule.arm();
    }
    send(ws, { t: 'ack', fids: [frame.fid] });
    await this.engine.flush();
  }

  checkStates(): Record<string, CheckStateView> {
    const out: Record<string, CheckStateView> = {};
    for (const [key, st] of this.engine.store.all()) {
      out[key] = { status: st.status, since: st.since, value: st.value, message: st.message, ...(st.output ? { output: st.output } : {}) };
    }
    return out;
  }
}
