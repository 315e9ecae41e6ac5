import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hb, hello, seedDevice, seedTenant } from './testing/fixtures';
import { connectAgent, deviceHub, eventually, type TestSocket } from './testing/sockets';

const MIN = 60_000;
const HOUR = 3600_000;
const DAY = 24 * HOUR;

const open: TestSocket[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const s of open.splice(0)) s.close();
});

const rows = (deviceId: string, table: string) =>
  runInDurableObject(deviceHub(deviceId), (_, state) => state.storage.sql.exec(`SELECT * FROM ${table}`).toArray());

describe('DeviceHub metrics', () => {
  it('keeps per-minute buckets, rolls them into hours, and expires both', async () => {
    const device = await seedDevice(await seedTenant());
    const hub = deviceHub(device.deviceId);
    vi.useFakeTimers({ toFake: ['Date'] });
    const H = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
    vi.setSystemTime(H + 10 * MIN);
    const agent = await connectAgent(device);
    open.push(agent);
    agent.send(hello());
    const beat = async (at: number, seq: number, cpu: number, used: number, disk: number) => {
      vi.setSystemTime(at);
      // Network: two interfaces summed; swap: its used share, the highest of the bucket kept.
      const net = [
        { iface: 'eth0', rxBytesPerSec: cpu * 10, txBytesPerSec: cpu, errorsPerSec: 0 },
        { iface: 'eth1', rxBytesPerSec: cpu * 10, txBytesPerSec: 0, errorsPerSec: 0 },
      ];
      const swap = { swapTotalBytes: 1000, swapUsedBytes: disk * 10 };
      agent.send(hb(seq, { cpuPercent: cpu, memUsedBytes: used, volumes: [{ mount: '/', sizeBytes: 200, usedBytes: disk }], net, ...swap }));
      await agent.next((f) => f.t === 'hb_ack' && f.seq === seq);
    };
    await beat(H + 10 * MIN, 1, 10, 1000, 20);
    await beat(H + 10 * MIN + 30_000, 2, 30, 3000, 50);
    await beat(H + 11 * MIN, 3, 50, 2000, 10);

    expect(await hub.getMetrics({ from: H, to: H + HOUR, resolution: 'minute' })).toEqual([
      { ts: H + 10 * MIN, cpuAvg: 20, cpuMax: 30, memUsedAvg: 2000, memTotal: 8e9, diskMaxPercent: 25, netRxAvg: 400, netTxAvg: 20, swapMaxPercent: 50 },
      { ts: H + 11 * MIN, cpuAvg: 50, cpuMax: 50, memUsedAvg: 2000, memTotal: 8e9, diskMaxPercent: 5, netRxAvg: 1000, netTxAvg: 50, swapMaxPercent: 10 },
    ]);
    const hourly = { ts: H, cpuAvg: 30, cpuMax: 50, memUsedAvg: 2000, memTotal: 8e9, diskMaxPercent: 25, netRxAvg: 600, netTxAvg: 30, swapMaxPercent: 50 };
    // Before the rollup ran, the hour is computed from its minutes.
    expect(await hub.getMetrics({ from: H, to: H + HOUR, resolution: 'hour' })).toEqual([hourly]);

    agent.close();
    await eventually(async () => expect((await hub.getStatus()).online).toBe(false));
    // The hourly job, an hour later: the hour is stored, and stays right if the alarm repeats.
    vi.setSystemTime(H + HOUR + 2 * MIN);
    expect(await runDurableObjectAlarm(hub)).toBe(true);
    expect(await rows(device.deviceId, 'metrics_hour')).toEqual([
      { hour: H, n: 3, cpu_sum: 90, cpu_max: 50, mem_used_sum: 6000, mem_total: 8e9, disk_max_pct: 25, net_rx_sum: 1800, net_tx_sum: 90, swap_pct_max: 50 },
    ]);
    await runInDurableObject(hub, (instance) => instance.alarm());
    expect(await rows(device.deviceId, 'metrics_hour')).toHaveLength(1);
    expect(await hub.getMetrics({ from: H, to: H + HOUR, resolution: 'hour' })).toEqual([hourly]);

    // Minutes live 48 hours, hours 90 days.
    vi.setSystemTime(H + 49 * HOUR);
    await runInDurableObject(hub, (instance) => instance.alarm());
    expect(await rows(device.deviceId, 'metrics_minute')).toHaveLength(0);
    expect(await hub.getMetrics({ from: H, to: H + HOUR, resolution: 'hour' })).toEqual([hourly]);
    const wake = await runInDurableObject(hub, (_, state) => state.storage.getAlarm());
    expect(wake).toBe(H + 90 * DAY + 1);
    vi.setSystemTime(wake! + 1);
    expect(await runDurableObjectAlarm(hub)).toBe(true);
    expect(await rows(device.deviceId, 'metrics_hour')).toHaveLength(0);
    expect(await runInDurableObject(hub, (_, state) => state.storage.getAlarm())).toBeNull();
  });
});
