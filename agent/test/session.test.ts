import { afterEach, describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { networkInterfaces, hostname, totalmem, uptime } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HeartbeatFrame, HelloFrame, type AgentFrame } from '../../protocol/agent-frames';
import { enrolledRig, type Rig } from './helpers/enrolled';
import { runCli } from './helpers/agent-process';

let rig: Rig | null = null;
afterEach(async () => {
  await rig?.dispose();
  rig = null;
});

const isHb = (f: AgentFrame): f is v.InferOutput<typeof HeartbeatFrame> => f.t === 'hb';

describe('agent session', () => {
  it('says hello, then sends real heartbeats on the interval the server sets', async () => {
    rig = await enrolledRig({ heartbeatSeconds: 60 });
    await rig.connect();
    const hello = rig.hub.frames[0];
    expect(v.is(HelloFrame, hello)).toBe(true);
    if (hello.t !== 'hello') throw new Error('first frame is not hello');
    expect(hello.hostname).toBe(hostname());
    expect(hello.os.platform).toBe(process.platform);
    expect(hello.lastFid).toBe(0);

    // The first heartbeat follows the welcome at once.
    const first = await rig.hub.waitFor(isHb);
    const m = first.m;
    expect(Math.abs(m.ts - Date.now())).toBeLessThan(10_000);
    expect(m.cpuPercent).toBeGreaterThanOrEqual(0);
    expect(m.cpuPercent).toBeLessThanOrEqual(100);
    expect(Math.abs(m.memTotalBytes - totalmem()) / totalmem()).toBeLessThan(0.01);
    expect(m.memUsedBytes).toBeGreaterThan(0);
    expect(m.memUsedBytes).toBeLessThanOrEqual(m.memTotalBytes);
    expect(Math.abs(m.uptimeSeconds - uptime())).toBeLessThan(10);
    const root = m.volumes.find((vol) => vol.mount === '/');
    expect(root?.sizeBytes).toBeGreaterThan(0);
    expect(root!.usedBytes).toBeLessThanOrEqual(root!.sizeBytes);
    const external = Object.values(networkInterfaces()).flat().filter((a) => a && !a.internal).map((a) => a!.address);
    expect(m.ipAddresses.sort()).toEqual([...new Set(external)].sort());

    // A technician starts watching: 1 s heartbeats.
    const t0 = Date.now();
    const before = rig.hub.frames.filter(isHb).length;
    rig.hub.send({ t: 'config', heartbeatSeconds: 1 });
    await rig.hub.waitFor((f) => f.t === 'hb' && rig!.hub.frames.filter(isHb).length >= before + 3, 6_000);
    expect(Date.now() - t0).toBeLessThan(4_000);
    const seqs = rig.hub.frames.filter(isHb).map((f) => f.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i));
  });

  it('ignores invalid server frames and stays connected', async () => {
    rig = await enrolledRig();
    const agent = await rig.connect();
    await rig.hub.waitFor(isHb);
    rig.hub.send('this is not json');
    rig.hub.send({ t: 'launch_missiles' });
    rig.hub.send({ t: 'config', heartbeatSeconds: 0 });
    rig.hub.send({ t: 'cmd', cmd: { payload: 'x', sig: 'not-base64' } });
    await agent.logged('ignored an invalid server frame: cmd.sig');
    expect(agent.stderr()).toContain('ignored a server frame that is not JSON');
    // Still the same connection, still obeying valid frames.
    const hbs = rig.hub.frames.filter(isHb).length;
    rig.hub.send({ t: 'config', heartbeatSeconds: 30 });
    await rig.hub.waitFor((f) => f.t === 'hb' && rig!.hub.frames.filter(isHb).length > hbs);
    expect(rig.hub.connections).toBe(1);
    expect(rig.hub.closeCodes).toEqual([]);
  });

  it('reconnects after the server restarts, and stops cleanly on SIGTERM', async () => {
    rig = await enrolledRig();
    const agent = await rig.connect();
    const hub2 = await rig.restartHub();
    await hub2.waitFor((f) => f.t === 'hello', 15_000);
    await hub2.waitFor(isHb);
    await agent.logged('disconnected');

    const status = await runCli(['status', '--state', rig.state]);
    expect(status.stdout).toMatch(/agent: +running \(pid \d+\), connected/);
    // A second `run` on the same state would share its journal and outbox: refused.
    const second = await runCli(['run', '--state', rig.state]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`another agent (pid ${agent.child.pid}) is already running`);

    const closed = new Promise<number>((r) => hub2.once('close', r));
    agent.child.kill('SIGTERM');
    expect(await closed).toBe(1000);
    expect((await agent.exited).code).toBe(0);
    const after = await runCli(['status', '--state', rig.state]);
    expect(after.stdout).toContain('not running (last state: stopped)');
  });

  it('exits non-zero and does not reconnect when the device is revoked (4003)', async () => {
    rig = await enrolledRig({ revoked: true });
    const agent = rig.start();
    const { code } = await agent.exited;
    expect(code).toBe(78);
    expect(agent.stderr()).toContain('unauthorized');
    expect(agent.stderr()).toContain('not reconnecting');
    expect(rig.hub.connections).toBe(1);
    const status = await runCli(['status', '--state', rig.state]);
    expect(status.stdout).toContain('last state: unauthorized');
  });

  it('treats a refused token on the upgrade like a revocation', async () => {
    rig = await enrolledRig();
    const path = join(rig.state, 'identity.json');
    const identity = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify({ ...identity, deviceToken: 'tdt_revokedrevokedrevoked' }));
    const agent = rig.start();
    expect((await agent.exited).code).toBe(78);
    expect(agent.stderr()).toContain('HTTP 401');
    expect(agent.stderr()).not.toContain('tdt_');
  });
});
