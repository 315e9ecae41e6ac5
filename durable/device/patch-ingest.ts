import type { PatchesFrame } from '../../protocol/agent-frames';
import type { HubState } from './hub-state';
import { patchScanStatements } from './patch-d1';
import { send } from './sockets';

/**
 * The agent's patch scans. Unlike inventory, the hub keeps no copy: D1 is the only store, so
 * a frame is acknowledged only once D1 holds it; when D1 fails the agent keeps the frame and
 * sends it again. Frames are handled one at a time so two scans never interleave.
 */
export class PatchIngest {
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly s: HubState) {}

  onFrame(ws: WebSocket, frame: PatchesFrame): Promise<void> {
    const run = this.chain.then(() => this.handle(ws, frame));
    this.chain = run.catch(() => {});
    return run;
  }

  private async handle(ws: WebSocket, frame: PatchesFrame): Promise<void> {
    const s = this.s;
    const id = s.identity;
    if (!id) return;
    if (!s.fids.seen(frame.fid)) {
      const now = Date.now();
      try {
        await s.env.DB.batch(patchScanStatements({ db: s.env.DB, tenantId: id.tenantId, deviceId: id.deviceId }, frame.scan, now));
      } catch (err) {
        console.error('patch scan not stored', id.deviceId, err);
        return;
      }
      s.fids.record(frame.fid, now);
    }
    send(ws, { t: 'ack', fids: [frame.fid] });
  }
}
