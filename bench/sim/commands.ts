import type { Api } from './api';
import type { SimAgent } from './agent';
import { sleep } from './pool';
import type { CommandLog } from './tally';

/** Polling gap while waiting for a result: small next to the goal (p50 < 50 ms). */
const POLL_GAP_MS = 2;
const ROUND_TRIP_TIMEOUT_MS = 15_000;
const FINAL = new Set(['succeeded', 'failed', 'timed_out', 'expired', 'rejected', 'interrupted', 'cancelled']);

export interface CommandSample {
  ok: boolean;
  error?: string;
  /** POST answered (202). */
  postMs: number;
  /** The agent received the `cmd` frame. */
  deliveredMs: number | null;
  /** The server acknowledged the agent's `done` frame (stored it). */
  storedMs: number | null;
  /** GET /api/v1/commands/:id first showed the final status: the figure quoted. */
  visibleMs: number | null;
}

interface CommandBody {
  command?: { id: string; status: string };
}

/**
 * Command round trips as a technician would see them: POST the command, then poll its
 * result until it is final. One at a time, spread evenly over `spreadMs`, each to a
 * different agent (striding through the fleet) while the fleet keeps heartbeating.
 */
export async function sampleCommands(
  api: Api,
  agents: SimAgent[],
  count: number,
  spreadMs: number,
  log: CommandLog,
  deadline: number,
): Promise<CommandSample[]> {
  const samples: CommandSample[] = [];
  if (count <= 0 || agents.length === 0) return samples;
  const gap = spreadMs / count;
  const start = performance.now();
  const stride = Math.max(1, Math.floor(agents.length / count));
  for (let i = 0; i < count && Date.now() < deadline; i++) {
    const wait = start + i * gap - performance.now();
    if (wait > 0) await sleep(wait);
    const agent = agents[(i * stride + Math.floor(stride / 2)) % agents.length];
    samples.push(await roundTrip(api, agent.device.deviceId, log));
  }
  return samples;
}

async function roundTrip(api: Api, deviceId: string, log: CommandLog): Promise<CommandSample> {
  const t0 = performance.now();
  const sample: CommandSample = { ok: false, postMs: 0, deliveredMs: null, storedMs: null, visibleMs: null };
  try {
    const posted = await api.call<CommandBody>('POST', `/api/v1/devices/${deviceId}/commands`, {
      type: 'run_script',
      params: { interpreter: 'sh', script: 'echo hi' },
    });
    sample.postMs = performance.now() - t0;
    const id = posted.body?.command?.id;
    if (posted.status !== 202 || !id) throw new Error(`POST ${posted.status}`);
    for (;;) {
      const got = await api.call<CommandBody>('GET', `/api/v1/commands/${id}`);
      const now = performance.now();
      const status = got.body?.command?.status;
      if (got.status !== 200) throw new Error(`GET ${got.status}`);
      if (status && FINAL.has(status)) {
        sample.visibleMs = now - t0;
        if (status !== 'succeeded') throw new Error(`status ${status}`);
        break;
      }
      if (now - t0 > ROUND_TRIP_TIMEOUT_MS) throw new Error(`timeout (last status ${status})`);
      await sleep(POLL_GAP_MS);
    }
    sample.ok = true;
    return withAgentTimes(sample, id, t0, log);
  } catch (err) {
    sample.error = err instanceof Error ? err.message : String(err);
    return sample;
  }
}

function withAgentTimes(sample: CommandSample, id: string, t0: number, log: CommandLog): CommandSample {
  const received = log.received.get(id);
  const stored = log.stored.get(id);
  return {
    ...sample,
    deliveredMs: received === undefined ? null : received - t0,
    storedMs: stored === undefined ? null : stored - t0,
  };
}
