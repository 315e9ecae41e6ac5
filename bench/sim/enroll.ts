import * as v from 'valibot';
import { EnrollResponse, type EnrollRequest } from '../../protocol/api/enrollment';
import type { Device } from './agent';
import { forEachLimited } from './pool';
import { addressOf, hostnameOf, osFacts } from './synthetic';

export interface EnrollResult {
  devices: Device[];
  failures: Map<string, number>;
  elapsedMs: number;
}

/**
 * Enrolls devices `from`..`to-1` through the real endpoint with one shared key. Each device
 * presents its own client address, as a real fleet's machines do; the per-address enrollment
 * limit guards against guessing keys and is not what this bench measures.
 */
export async function enrollDevices(url: string, key: string, from: number, to: number, concurrency: number, deadline: number): Promise<EnrollResult> {
  const started = performance.now();
  const devices: Device[] = [];
  const failures = new Map<string, number>();
  const indices = Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
  await forEachLimited(indices, concurrency, async (index) => {
    if (Date.now() > deadline) {
      failures.set('time budget', (failures.get('time budget') ?? 0) + 1);
      return;
    }
    const request: EnrollRequest = { key, hostname: hostnameOf(index), os: osFacts(), agentVersion: 'bench-sim' };
    try {
      const res = await fetch(`${url}/agent/enroll`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'cf-connecting-ip': addressOf(index) },
        body: JSON.stringify(request),
      });
      const body = await res.json().catch(() => null);
      if (res.status !== 201) throw new Error(`HTTP ${res.status}`);
      const ok = v.parse(EnrollResponse, body);
      devices.push({ index, deviceId: ok.deviceId, deviceToken: ok.deviceToken });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      failures.set(why, (failures.get(why) ?? 0) + 1);
    }
  });
  devices.sort((a, b) => a.index - b.index);
  return { devices, failures, elapsedMs: performance.now() - started };
}
