import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentFrame } from '../../protocol/agent-frames';
import { enrolledRig, type Rig } from './helpers/enrolled';
import { stopAgent, tempDir } from './helpers/agent-process';
import { isDone, result } from './helpers/results';

let rig: Rig | null = null;
const scratch = tempDir('tether-delivery-');
afterEach(async () => {
  await rig?.dispose();
  rig = null;
});
afterAll(() => scratch.remove());

/** A script that leaves evidence of every run: one line appended per execution. */
const evidence = (name: string) => {
  const file = join(scratch.path, `${name}-${Math.random().toString(36).slice(2)}`);
  return { file, script: `echo ran >> ${file}; echo ok`, runs: () => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 1 : 0) };
};
const settle = (ms = 800) => new Promise((r) => setTimeout(r, ms));

describe('command delivery', () => {
  it('refuses forged, misaddressed, expired and replayed commands without running them', async () => {
    rig = await enrolledRig();
    await rig.connect();
    const hub = rig.hub;
    const now = Date.now();

    const tampered = evidence('tampered');
    const t = hub.command({ params: { interpreter: 'bash', script: 'true' } });
    // Same signature, different script: the signed bytes no longer match.
    const forged = { ...t.signed, payload: t.signed.payload.replace('"script":"true"', `"script":${JSON.stringify(tampered.script)}`) };
    expect(forged.payload).not.toBe(t.signed.payload);
    hub.sendCommand(forged);

    const badSig = evidence('badsig');
    const b = hub.command({ params: { interpreter: 'bash', script: badSig.script } });
    const flipped = Buffer.from(b.signed.sig, 'base64');
    flipped[0] ^= 1;
    hub.sendCommand({ ...b.signed, sig: flipped.toString('base64') });

    const other = evidence('other');
    const o = hub.command({ deviceId: 'dev_notthisdevice', params: { interpreter: 'bash', script: other.script } });
    hub.sendCommand(o.signed);

    const tenant = evidence('tenant');
    const tn = hub.command({ tenantId: 'ten_notthistenant', params: { interpreter: 'bash', script: tenant.script } });
    hub.sendCommand(tn.signed);

    const expired = evidence('expired');
    const e = hub.command({ issuedAt: now - 7200_000, expiresAt: now - 1000, params: { interpreter: 'bash', script: expired.script } });
    hub.sendCommand(e.signed);

    const first = evidence('first');
    const f = hub.command({ params: { interpreter: 'bash', script: first.script } });
    hub.sendCommand(f.signed);
    expect((await result(hub, f.id)).done.status).toBe('succeeded');
    const replay = evidence('replay');
    const rp = hub.command({ nonce: f.nonce, params: { interpreter: 'bash', script: replay.script } });
    hub.sendCommand(rp.signed);

    const expectRefused = async (id: string, status: string, error: string) => {
      const { done } = await result(hub, id);
      expect(done).toMatchObject({ status, exitCode: null, truncated: false });
      expect(done.error).toContain(error);
      expect(hub.framesOf(id).filter((x) => x.t === 'out')).toEqual([]);
    };
    await expectRefused(t.id, 'rejected', 'bad signature');
    await expectRefused(b.id, 'rejected', 'bad signature');
    await expectRefused(o.id, 'rejected', 'another device');
    await expectRefused(tn.id, 'rejected', 'another tenant');
    await expectRefused(e.id, 'expired', 'expired');
    await expectRefused(rp.id, 'rejected', 'replayed nonce');

    await settle(300);
    for (const ev of [tampered, badSig, other, tenant, expired, replay]) expect(ev.runs()).toBe(0);
    expect(first.runs()).toBe(1);
  });

  it('runs a redelivered command id once, also after an agent restart', async () => {
    rig = await enrolledRig();
    await rig.connect();
    const ev = evidence('once');
    const cmd = rig.hub.command({ params: { interpreter: 'bash', script: ev.script } });
    rig.hub.sendCommand(cmd.signed);
    await result(rig.hub, cmd.id);

    const acks = () => rig!.hub.framesOf(cmd.id).filter((f) => f.t === 'cmd_ack').length;
    rig.hub.sendCommand(cmd.signed);
    await rig.hub.waitFor((f) => f.t === 'cmd_ack' && f.id === cmd.id && acks() === 2);

    await stopAgent(rig.agent);
    await rig.connect();
    rig.hub.sendCommand(cmd.signed);
    await rig.hub.waitFor((f) => f.t === 'cmd_ack' && f.id === cmd.id && acks() === 3);
    await settle();
    expect(ev.runs()).toBe(1);
    expect(rig.hub.framesOf(cmd.id).filter((f) => f.t === 'done').length).toBe(1);
  });

  it('runs a command once when the socket drops as it is delivered, and reports one done', async () => {
    rig = await enrolledRig({ autoAck: false });
    await rig.connect();
    const hub = rig.hub;
    /** Each frame once: after reconnects the agent resends what the hub never acknowledged. */
    const unique = (id: string) => [...new Map(hub.framesOf(id).map((f) => [('fid' in f ? f.fid : 0), f])).values()];

    // Lost right after the hub sent the command, and lost as the agent's cmd_ack arrived.
    for (const drop of ['after send', 'at cmd_ack'] as const) {
      const ev = evidence(drop.replace(' ', '-'));
      const cmd = hub.command({ params: { interpreter: 'bash', script: ev.script } });
      const from = hub.frames.length;
      if (drop === 'after send') {
        hub.socket!.send(JSON.stringify({ t: 'cmd', cmd: cmd.signed }), () => hub.socket!.terminate());
      } else {
        const onFrame = (f: AgentFrame) => {
          if (f.t !== 'cmd_ack' || f.id !== cmd.id) return;
          hub.off('frame', onFrame);
          hub.socket!.terminate();
        };
        hub.on('frame', onFrame);
        hub.sendCommand(cmd.signed);
      }
      // The hub cannot know whether the command arrived: after the reconnect it sends it again.
      await hub.waitFor((f) => f.t === 'hello' && hub.frames.indexOf(f) >= from);
      const redelivered = hub.frames.length;
      hub.sendCommand(cmd.signed);
      await hub.waitFor((f) => f.t === 'cmd_ack' && f.id === cmd.id && hub.frames.indexOf(f) >= redelivered);
      await hub.waitFor(isDone(cmd.id));
      await settle();

      expect(ev.runs(), drop).toBe(1);
      const frames = unique(cmd.id);
      const dones = frames.filter((f) => f.t === 'done');
      expect(dones, drop).toHaveLength(1);
      expect(dones[0]).toMatchObject({ status: 'succeeded', exitCode: 0 });
      // One execution's output: "ok" once, each chunk once.
      const outs = frames.filter((f) => f.t === 'out');
      expect(outs.map((f) => f.data).join(''), drop).toBe('ok\n');
      expect(new Set(outs.map((f) => f.seq)).size).toBe(outs.length);
      // Certain only when the ack came back: the first delivery did arrive.
      if (drop === 'at cmd_ack') expect(rig.agent!.stderr()).toContain(`command ${cmd.id} redelivered: acknowledged again, not rerun`);
    }
  });

  it('resends unacknowledged results after a SIGKILL and restart, then forgets them once acked', async () => {
    rig = await enrolledRig({ autoAck: false });
    await rig.connect();
    const cmd = rig.hub.command({ params: { interpreter: 'bash', script: 'echo first; echo second >&2' } });
    rig.hub.sendCommand(cmd.signed);
    await result(rig.hub, cmd.id);
    const sent = rig.hub.framesOf(cmd.id);
    expect(sent.map((f) => f.t)).toContain('out');

    await stopAgent(rig.agent, 'SIGKILL');
    const from = rig.hub.frames.length;
    await rig.connect();
    const after = () => rig!.hub.frames.slice(from);
    await rig.hub.waitFor((f) => isDone(cmd.id)(f) && rig!.hub.frames.indexOf(f) >= from);
    const hello = after()[0];
    expect(hello).toMatchObject({ t: 'hello', lastFid: Math.max(...sent.map((f) => ('fid' in f ? f.fid : 0))) });
    // Exactly the same frames, same fids, same order, right after hello.
    expect(after().slice(1, 1 + sent.length)).toEqual(sent);

    rig.hub.send({ t: 'ack', fids: sent.map((f) => ('fid' in f ? f.fid : 0)) });
    await settle(300);
    await stopAgent(rig.agent, 'SIGKILL');
    rig.hub.autoAck = true;
    const from2 = rig.hub.frames.length;
    await rig.connect();
    const next = rig.hub.command({ params: { interpreter: 'bash', script: 'true' } });
    rig.hub.sendCommand(next.signed);
    await result(rig.hub, next.id);
    const durable = rig.hub.frames.slice(from2).filter((f: AgentFrame) => 'fid' in f);
    expect(durable.every((f) => 'id' in f && f.id === next.id)).toBe(true);
    // fids keep increasing across restarts.
    expect(Math.min(...durable.map((f) => ('fid' in f ? f.fid : 0)))).toBeGreaterThan(Math.max(...sent.map((f) => ('fid' in f ? f.fid : 0))));
  });

  it('reports a command cut short by an agent crash as interrupted, without rerunning it', async () => {
    rig = await enrolledRig();
    await rig.connect();
    const ev = evidence('crash');
    const pidFile = join(scratch.path, 'crash.pid');
    const cmd = rig.hub.command({ params: { interpreter: 'bash', script: `echo $$ > ${pidFile}; ${ev.script}; sleep 20` } });
    rig.hub.sendCommand(cmd.signed);
    await rig.hub.waitFor((f) => f.t === 'out' && f.id === cmd.id);
    await stopAgent(rig.agent, 'SIGKILL');
    try {
      process.kill(-Number(readFileSync(pidFile, 'utf8')), 'SIGKILL'); // the orphaned script
    } catch {
      // already gone
    }
    expect(readdirSync(join(rig.state, 'scripts')).length).toBe(1); // the dead run's script file
    await rig.connect();
    const { done } = await result(rig.hub, cmd.id);
    expect(done).toMatchObject({ status: 'interrupted', exitCode: null });
    expect(existsSync(join(rig.state, 'scripts'))).toBe(false);
    rig.hub.sendCommand(cmd.signed);
    await settle();
    expect(ev.runs()).toBe(1);
    expect(rig.hub.framesOf(cmd.id).filter((f) => f.t === 'done').length).toBe(1);
  });

  it('reports running scripts as interrupted when stopped by SIGTERM', async () => {
    rig = await enrolledRig();
    const agent = await rig.connect();
    const cmd = rig.hub.command({ params: { interpreter: 'bash', script: 'echo up; sleep 20' } });
    rig.hub.sendCommand(cmd.signed);
    await rig.hub.waitFor((f) => f.t === 'out' && f.id === cmd.id);
    agent.child.kill('SIGTERM');
    const { done } = await result(rig.hub, cmd.id);
    expect(done).toMatchObject({ status: 'interrupted', exitCode: null });
    expect((await agent.exited).code).toBe(0);
  });
});
