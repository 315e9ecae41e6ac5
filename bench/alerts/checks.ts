import type { Api } from '../sim/api';
import { forEachLimited, sleep } from '../sim/pool';

/*
 * The check set the scenario measures: a CPU threshold judged by each DeviceHub from the
 * heartbeats, and an offline check that fires as soon as the device goes offline. The
 * baseline server applies the same threshold (bench/baseline/server.ts).
 */
export const CPU_CHECK = 'cpu-high';
export const OFFLINE_CHECK = 'offline';
export const CPU_THRESHOLD = 90;
/** Its name, which alert messages and the desk part's ticket titles carry. */
export const CPU_CHECK_NAME = 'CPU high';
/** What a breaching heartbeat reports, and what a healthy one does to clear it. */
export const CPU_BREACH = 99;
export const CPU_CLEAR = 10;

const CHECK_SET = {
  name: 'Bench monitoring',
  checks: [
    { key: CPU_CHECK, name: CPU_CHECK_NAME, severity: 'critical', type: 'metric', metric: 'cpu', threshold: CPU_THRESHOLD },
    { key: OFFLINE_CHECK, name: 'Offline', severity: 'critical', type: 'offline' },
  ],
};

/* Enough to see a deferred recompile through without hammering the Worker that runs it. */
const VERIFY_CONCURRENCY = 8;
const VERIFY_TIMEOUT_MS = 10 * 60_000;

export interface ChecksSetup {
  /** Devices the assignment answer said it recompiles, and whether after the answer. */
  recompile: { devices: number; deferred: boolean };
  /** Assignment POST → every verified device's hub holds and has judged the CPU check. */
  readyMs: number;
  verified: number;
  notReady: number;
}

interface DeviceChecks {
  compiledAt: number | null;
  checks: { key: string; state: unknown }[];
}

/** The hub has the check (pushed, not compiled on the fly) and has judged a sample with it. */
async function ready(api: Api, deviceId: string): Promise<boolean> {
  const res = await api.call<DeviceChecks>('GET', `/api/v1/devices/${deviceId}/checks`);
  if (res.status !== 200) return false;
  const cpu = res.body.checks?.find((c) => c.key === CPU_CHECK);
  return res.body.compiledAt !== null && cpu !== undefined && cpu.state !== null;
}

/**
 * Creates the check set, assigns it to the whole tenant, then polls the devices the
 * scenario will use until each one's hub holds the check: a recompile of more than 100
 * devices finishes after the answer, in the background.
 */
export async function assignChecks(api: Api, verify: string[]): Promise<ChecksSetup> {
  const set = await api.call<{ id?: string }>('POST', '/api/v1/check-sets', CHECK_SET);
  if (set.status !== 201 || !set.body.id) throw new Error(`POST /check-sets: ${set.status} ${JSON.stringify(set.body).slice(0, 300)}`);
  const t0 = performance.now();
  const assigned = await api.call<{ recompile?: ChecksSetup['recompile'] }>('POST', '/api/v1/check-set-assignments', {
    checkSetId: set.body.id,
    scopeType: 'tenant',
  });
  if (assigned.status !== 201 || !assigned.body.recompile) {
    throw new Error(`POST /check-set-assignments: ${assigned.status} ${JSON.stringify(assigned.body).slice(0, 300)}`);
  }
  let pending = [...verify];
  const end = Date.now() + VERIFY_TIMEOUT_MS;
  while (pending.length && Date.now() < end) {
    const still: string[] = [];
    await forEachLimited(pending, VERIFY_CONCURRENCY, async (id) => {
      if (!(await ready(api, id).catch(() => false))) still.push(id);
    });
    pending = still;
    if (pending.length) await sleep(1000);
  }
  return { recompile: assigned.body.recompile, readyMs: Math.round(performance.now() - t0), verified: verify.length - pending.length, notReady: pending.length };
}

/** Calls the TenantHub received since its instance started (GET /api/v1/diagnostics/tenant-hub). */
export interface HubStats {
  since: number;
  seconds: number;
  deviceStatus: number;
  checkTransitions: number;
  transitions: number;
  commandEvents: number;
  alertActions: number;
  callsPerSecond: number;
  openAlerts: number;
}

export async function hubStats(api: Api): Promise<HubStats> {
  const res = await api.call<HubStats>('GET', '/api/v1/diagnostics/tenant-hub');
  if (res.status !== 200) throw new Error(`GET /diagnostics/tenant-hub: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body;
}
