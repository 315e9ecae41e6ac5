import * as v from 'valibot';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentCheckConfig, CheckResult, type AgentCheck } from '../../protocol/checks';
import { CheckResultsFrame } from '../../protocol/agent-frames';
import { CheckScheduler, type ResultsFrame } from '../src/checks/check-scheduler';
import type { Outcome } from '../src/checks/outcome';

const config = (version: string, checks: Record<string, unknown>[], issuedAt = 1) =>
  v.parse(AgentCheckConfig, {
    v: 1,
    type: 'checks',
    deviceId: 'dev_12345678',
    tenantId: 'ten_12345678',
    version,
    issuedAt,
    collectors: {},
    checks: checks.map((c) => ({ name: String(c.key), severity: 'critical', type: 'tcp', host: '127.0.0.1', port: 1, ...c })),
  });

/** Each check key answers from its own script of outcomes (the last one repeats). */
function rig(outcomes: Record<string, Outcome[]>) {
  const frames: ResultsFrame[] = [];
  const runs: Record<string, number> = {};
  const scheduler = new CheckScheduler({
    emit: (f) => {
      expect(v.is(CheckResultsFrame, { ...f, fid: 1 })).toBe(true);
      frames.push(f);
    },
    scratchDir: '/nonexistent',
    batchMs: 1,
    spreadMs: 0,
    run: async (c: AgentCheck) => {
      const n = (runs[c.key] = (runs[c.key] ?? 0) + 1);
      const list = outcomes[c.key];
      return list[Math.min(n, list.length) - 1];
    },
  });
  return { scheduler, frames, runs };
}
const batch = () => new Promise((r) => setTimeout(r, 20));
const statuses = (f: ResultsFrame) => f.results.map((r) => `${r.key}:${r.status}`);

let current: CheckScheduler | null = null;
afterEach(() => current?.stop());

describe('check scheduling and reporting', () => {
  it('counts a failure only after failAfter in a row, and reports changes of status only', async () => {
    const fail = { status: 'fail' as const, message: 'refused' };
    const ok = { status: 'pass' as const, message: 'ok' };
    const r = rig({ web: [fail, fail, fail, { ...fail, message: 'still refused' }, ok, ok], db: [ok] });
    current = r.scheduler;
    await r.scheduler.apply(config('v1', [{ key: 'web', failAfter: 3 }, { key: 'db' }]));
    // The first round: db passed; web failed once, which does not count yet.
    expect(r.frames.map(statuses)).toEqual([['db:pass']]);
    await r.scheduler.runNow('web');
    await batch();
    expect(r.frames).toHaveLength(1);
    await r.scheduler.runNow('web');
    await batch();
    expect(r.frames.map(statuses)).toEqual([['db:pass'], ['web:fail']]);
    expect(r.frames[1]).toMatchObject({ t: 'check_results', version: 'v1', results: [{ key: 'web', status: 'fail', message: 'refused' }] });
    // Same status, new message: not sent now, but the full set carries the latest.
    await r.scheduler.runNow('web');
    await batch();
    expect(r.frames).toHaveLength(2);
    expect(r.scheduler.results().find((x) => x.key === 'web')?.message).toBe('still refused');
    await r.scheduler.runNow('web');
    await batch();
    expect(r.frames.map(statuses)[2]).toEqual(['web:pass']);
    await r.scheduler.runNow('web');
    await batch();
    expect(r.frames).toHaveLength(3);
    for (const f of r.frames) for (const x of f.results) expect(v.is(CheckResult, x)).toBe(true);
  });

  it('reports an urgent result at once, whatever failAfter says', async () => {
    const r = rig({ svc: [{ status: 'warning', message: 'nginx was stopped; restarted automatically', urgent: true }, { status: 'pass', message: 'nginx is running' }] });
    current = r.scheduler;
    await r.scheduler.apply(config('v1', [{ key: 'svc', type: 'service', service: 'nginx', restart: true, failAfter: 5 }]));
    expect(r.frames.map(statuses)).toEqual([['svc:warning']]);
    expect(r.frames[0].results[0].message).toBe('nginx was stopped; restarted automatically');
  });

  it('sends the full set after a reconnect', async () => {
    const r = rig({ a: [{ status: 'pass', message: 'a' }], b: [{ status: 'warning', message: 'b' }] });
    current = r.scheduler;
    await r.scheduler.apply(config('v1', [{ key: 'a' }, { key: 'b' }]));
    r.frames.length = 0;
    r.scheduler.onConnect();
    expect(r.frames.map(statuses).flat().sort()).toEqual(['a:pass', 'b:warning']);
  });

  it('on a new config keeps unchanged checks, reruns changed ones, forgets removed ones, and skips disabled ones', async () => {
    const r = rig({ same: [{ status: 'pass', message: 's' }], changed: [{ status: 'pass', message: 'c' }], gone: [{ status: 'pass', message: 'g' }], off: [{ status: 'pass', message: 'o' }] });
    current = r.scheduler;
    await r.scheduler.apply(config('v1', [{ key: 'same' }, { key: 'changed', port: 80 }, { key: 'gone' }]));
    expect(r.runs).toEqual({ same: 1, changed: 1, gone: 1 });
    r.frames.length = 0;
    await r.scheduler.apply(config('v2', [{ key: 'same' }, { key: 'changed', port: 443 }, { key: 'off', enabled: false }], 2));
    expect(r.runs).toEqual({ same: 1, changed: 2, gone: 1 });
    expect(r.frames).toHaveLength(1);
    expect(r.frames[0].version).toBe('v2');
    expect(statuses(r.frames[0]).sort()).toEqual(['changed:pass', 'same:pass']);
    await r.scheduler.runNow('gone');
    expect(r.runs.gone).toBe(1);
  });

  it('splits a large full set into frames the hub accepts', async () => {
    const output = 'x'.repeat(8192);
    const keys = Array.from({ length: 60 }, (_, i) => `k${i}`);
    const r = rig(Object.fromEntries(keys.map((k) => [k, [{ status: 'fail' as const, message: 'm'.repeat(1024), output }]])));
    current = r.scheduler;
    await r.scheduler.apply(config('v1', keys.map((key) => ({ key }))));
    expect(r.frames.length).toBeGreaterThan(1);
    expect(r.frames.flatMap((f) => f.results)).toHaveLength(60);
    for (const f of r.frames) expect(Buffer.byteLength(JSON.stringify({ ...f, fid: 1 }))).toBeLessThan(256 * 1024);
  });
});
