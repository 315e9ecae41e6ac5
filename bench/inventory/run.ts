import type { InventoryFrame } from '../../protocol/agent-frames';
import type { InventorySnapshot } from '../../protocol/inventory';
import { versionKey } from '../../protocol/inventory';
import type { Options } from '../options';
import { beginRun, connectAll, finishRun, onTarget } from '../scenario-run';
import { Api } from '../sim/api';
import { enrollDevices } from '../sim/enroll';
import { forEachLimited, sleep } from '../sim/pool';
import { median } from '../stats';
import { agentSocketUrl } from '../targets/target';
import { InventoryAgent } from './agent';
import { churned, deviceSnapshot, framesFor, hashOf } from './data';
import type { InventoryReport, PhaseResult, SearchResult } from './result';
import { startInventoryTarget, type InventoryTarget } from './target';

/*
 * The inventory scenario (`npm run bench -- --scenario inventory --n 1000`): N agents each
 * send a full snapshot of --packages software items, then the same snapshot again unchanged,
 * then a diff with 1 % of the items changed; every phase is timed until acknowledged and
 * until D1 shows it, and D1's own count of rows written is summed over the DeviceHubs. Then
 * fleet searches over the software rows, through the API and as SQL on D1 directly.
 */

const DEFAULT_N = 1000;
const CHURN_PERCENT = 1;
const SEND_CONCURRENCY = 32;
const ACK_TIMEOUT_MS = 300_000;
const D1_WAIT_MS = 600_000;
const SEARCH_RUNS = 7;

const s1 = (ms: number | null) => (ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`);
const fmtMs = (ms: number | null) => (ms === null ? '—' : `${ms.toFixed(1)} ms`);

async function sumRowsWritten(target: InventoryTarget, ids: string[]): Promise<number> {
  let sum = 0;
  for (let i = 0; i < ids.length; i += 200) {
    const status = await target.inventoryStatus(ids.slice(i, i + 200));
    for (const s of Object.values(status)) sum += s.d1RowsWritten;
  }
  return sum;
}

/** Waits until D1's device_inventory holds every one of these hashes; ms from `t0`, or null on timeout. */
async function untilInD1(target: InventoryTarget, hashes: string[], t0: number): Promise<number | null> {
  const deadline = Date.now() + D1_WAIT_MS;
  while (Date.now() < deadline) {
    const r = await target.sql<{ n: number }>('SELECT count(*) AS n FROM device_inventory WHERE hash IN (SELECT value FROM json_each(?))', [JSON.stringify(hashes)]);
    if (r.results[0]!.n >= hashes.length) return performance.now() - t0;
    await sleep(200);
  }
  return null;
}

async function phase(
  target: InventoryTarget,
  agents: InventoryAgent[],
  frames: Map<InventoryAgent, InventoryFrame[]>,
  hashes: string[] | null,
): Promise<PhaseResult> {
  const ids = agents.map((a) => a.device.deviceId);
  const writtenBefore = await sumRowsWritten(target, ids);
  const counts = agents.map((a) => [a.resyncs, a.rejects] as const);
  const t0 = performance.now();
  await forEachLimited(agents, SEND_CONCURRENCY, (a) => a.sendAll(frames.get(a)!, ACK_TIMEOUT_MS));
  const ackedMs = performance.now() - t0;
  const inD1Ms = hashes ? await untilInD1(target, hashes, t0) : null;
  // An apply finishes its D1 write after the ack: give the last ones a moment.
  await sleep(2_000);
  return {
    devices: agents.length,
    ackedMs,
    inD1Ms,
    d1RowsWritten: (await sumRowsWritten(target, ids)) - writtenBefore,
    framesSent: [...frames.values()].reduce((n, f) => n + f.length, 0),
    resyncs: agents.reduce((n, a, i) => n + a.resyncs - counts[i]![0], 0),
    rejects: agents.reduce((n, a, i) => n + a.rejects - counts[i]![1], 0),
  };
}

async function searches(target: InventoryTarget, api: Api): Promise<SearchResult[]> {
  const tenantId = (await target.sql<{ t: string }>('SELECT tenant_id AS t FROM device_inventory LIMIT 1')).results[0]?.t;
  const cases = [
    {
      name: 'openssl older than 3.0 (name equals + version lt)',
      condition: { field: 'software', op: 'installed', name: 'openssl', match: 'equals', version: { op: 'lt', value: '3.0' } },
      sql: 's.name_norm = ?2 AND s.version_key < ?3',
      params: ['openssl', versionKey('3.0')],
    },
    {
      name: 'name contains "python"',
      condition: { field: 'software', op: 'installed', name: 'python', match: 'contains' },
      sql: "s.name_norm LIKE ?2 ESCAPE '\\'",
      params: ['%python%'],
    },
  ];
  const out: SearchResult[] = [];
  for (const c of cases) {
    const api_: number[] = [];
    const server: number[] = [];
    const d1: number[] = [];
    let total: number | null = null;
    let d1Devices: number | null = null;
    let error: string | undefined;
    for (let i = 0; i < SEARCH_RUNS; i++) {
      const t0 = performance.now();
      const res = await api.call<{ total?: number; tookMs?: number }>('POST', '/api/v1/inventory/search', { query: { conditions: [c.condition] }, limit: 100 });
      if (res.status !== 200) {
        error = `POST /inventory/search: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
        break;
      }
      api_.push(performance.now() - t0);
      if (typeof res.body.tookMs === 'number') server.push(res.body.tookMs);
      total = res.body.total ?? null;
    }
    if (tenantId) {
      for (let i = 0; i < SEARCH_RUNS; i++) {
        const r = await target.sql<{ n: number }>(
          // The endpoint's shape (worker/lib/inventory/fleet-search.ts): an uncorrelated IN over the name index.
          `SELECT count(*) AS n FROM devices d WHERE d.tenant_id = ?1 AND d.id IN (SELECT s.device_id FROM device_software s WHERE s.tenant_id = ?1 AND ${c.sql})`,
          [tenantId, ...c.params],
        );
        d1.push(r.meta.duration);
        d1Devices = r.results[0]!.n;
      }
    }
    out.push({ name: c.name, apiMedianMs: median(api_), serverMedianMs: median(server), total, d1MedianMs: median(d1), d1Devices, ...(error ? { error } : {}) });
  }
  return out;
}

function line(label: string, p: PhaseResult, extra = ''): string {
  return `  ${label}: ${p.devices} devices, ${p.framesSent} frames; acked ${s1(p.ackedMs)}, in D1 ${s1(p.inD1Ms)}; D1 rows written ${p.d1RowsWritten}${extra}${p.resyncs || p.rejects ? `; resync ${p.resyncs}, reject ${p.rejects}` : ''}`;
}

export async function runInventory(o: Options): Promise<number> {
  const n = o.n ?? DEFAULT_N;
  const packages = o.packages;
  const report: InventoryReport = {
    ...beginRun('inventory', o),
    n,
    packages,
    connected: 0,
    softwareRows: 0,
    baseline: null,
    unchanged: null,
    churn: null,
    search: [],
    elapsedSeconds: 0,
  };
  console.log(`bench: inventory scenario; miniflare; N ${n} × ${packages} packages; load average ${report.machine.loadAverage.join(' ')}`);
  const agents: InventoryAgent[] = [];
  const start = () => startInventoryTarget({ port: o.port, heartbeatSeconds: o.heartbeat, maxDevices: n, keepState: o['keep-state'] });
  const release = () => {
    for (const a of agents) a.close();
  };
  await onTarget(start, report, release, async (target) => {
    const api = new Api(target.url, target.apiToken);
    const enroll = await enrollDevices(target.url, target.enrollKey, 0, n, o['enroll-concurrency'], Date.now() + 30 * 60_000);
    for (const d of enroll.devices) agents.push(new InventoryAgent(d, agentSocketUrl(target)));
    const connected = await connectAll(agents, o);
    report.connected = connected.length;
    console.log(`  enrolled ${enroll.devices.length}, connected ${connected.length}`);

    const base = new Map<InventoryAgent, InventorySnapshot>(connected.map((a) => [a, deviceSnapshot(a.device.index, packages)]));
    const fullFrames = async () => {
      const m = new Map<InventoryAgent, InventoryFrame[]>();
      for (const [a, s] of base) m.set(a, await framesFor(s, null, a.nextFid));
      return m;
    };
    const baseHashes = await Promise.all([...base.values()].map(hashOf));

    report.baseline = await phase(target, connected, await fullFrames(), baseHashes);
    report.softwareRows = (await target.sql<{ n: number }>('SELECT count(*) AS n FROM device_software')).results[0]!.n;
    console.log(line('baseline (full snapshots)', report.baseline, `; ${report.softwareRows} software rows in D1`));

    report.unchanged = await phase(target, connected, await fullFrames(), null);
    console.log(line('unchanged, sent again', report.unchanged));

    const changesBefore = (await target.sql<{ n: number }>('SELECT count(*) AS n FROM device_changes')).results[0]!.n;
    const next = new Map<InventoryAgent, InventorySnapshot>();
    const diffs = new Map<InventoryAgent, InventoryFrame[]>();
    for (const [a, s] of base) {
      const c = churned(s, a.device.index, CHURN_PERCENT);
      next.set(a, c);
      diffs.set(a, await framesFor(c, s, a.nextFid));
    }
    const churn = await phase(target, connected, diffs, await Promise.all([...next.values()].map(hashOf)));
    const changeRows = (await target.sql<{ n: number }>('SELECT count(*) AS n FROM device_changes')).results[0]!.n - changesBefore;
    const ratio = report.baseline.d1RowsWritten ? Math.round((churn.d1RowsWritten / report.baseline.d1RowsWritten) * 10_000) / 10_000 : null;
    report.churn = { ...churn, percent: CHURN_PERCENT, changeRows, ratioToBaseline: ratio };
    console.log(line(`${CHURN_PERCENT} % churn (diffs)`, churn, `, ${ratio === null ? '—' : `${(ratio * 100).toFixed(2)} %`} of the baseline's; ${changeRows} change rows`));

    report.search = await searches(target, api);
    for (const s of report.search) {
      console.log(
        `  search ${s.name}: API ${fmtMs(s.apiMedianMs)} (server ${fmtMs(s.serverMedianMs)}, ${s.total ?? '—'} devices); D1 directly ${fmtMs(s.d1MedianMs)} (${s.d1Devices ?? '—'} devices)${s.error ? `; ${s.error}` : ''}`,
      );
    }
  });
  finishRun(o, report);
  return 0;
}
