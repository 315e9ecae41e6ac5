import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { userInfo } from 'node:os';
import { ProcessListResult } from '../../protocol/command';
import { dataCommand } from '../src/system/data-command';
import { processList, toProcessList } from '../src/system/process-list';

describe('process_list', () => {
  it('lists every process as JSON on stdout, this one with its pid', async () => {
    const out: { stream: string; data: string }[] = [];
    const r = await dataCommand(processList, (stream, data) => out.push({ stream, data })).result;
    expect(r).toMatchObject({ status: 'succeeded', exitCode: 0 });
    expect(out.every((o) => o.stream === 'stdout')).toBe(true);
    const list = v.parse(ProcessListResult, JSON.parse(out.map((o) => o.data).join('')));
    const self = list.processes.find((p) => p.pid === process.pid);
    expect(self).toBeDefined();
    expect(self!.name).toMatch(/node/);
    expect(self!.user).toBe(userInfo().username);
    expect(self!.memBytes).toBeGreaterThan(1024 * 1024);
    expect(list.processes.find((p) => p.pid === process.ppid)).toBeDefined();
    // More than the 50 busiest that the processes collector sends.
    expect(list.processes.length).toBeGreaterThan(2);
  });

  it('orders by CPU then memory and fits a huge list into the output cap', () => {
    const long = 'x'.repeat(5000);
    const list = Array.from({ length: 400 }, (_, i) => ({ pid: i + 1, name: `p${i}`, user: 'u', cpu: i === 7 ? 50 : 0, memRss: i, command: '/bin/p', params: long }));
    const all = toProcessList(list, 10_000_000);
    expect(all.processes[0].pid).toBe(8);
    expect(all.processes[1].memBytes).toBe(399 * 1024);
    expect(all.processes[0].command).toHaveLength(1024);
    const fitted = toProcessList(list, 40_000);
    expect(Buffer.byteLength(JSON.stringify(fitted.processes))).toBeLessThanOrEqual(40_000);
    expect(fitted.processes[0].pid).toBe(8);
    expect(fitted.processes[0].command!.length).toBeLessThanOrEqual(120);
    expect(fitted.processes.length).toBeLessThan(400);
  });
});
