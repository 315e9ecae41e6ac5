import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { AgentFrame, CheckResultsFrame, EventsFrame, HelloFrame } from '../../protocol/agent-frames';
import type { StateFrame } from '../../protocol/device-state';
import { systemdRunning } from '../src/service';
import { runCli, stopAgent, tempDir } from './helpers/agent-process';
import { enrolledRig, type Rig } from './helpers/enrolled';
import { checkConfig, signPayload } from './helpers/fake-hub';
import { result } from './helpers/results';

let rig: Rig | null = null;
const children: ChildProcess[] = [];
const scratch = tempDir('tether-monitoring-');
afterEach(async () => {
  children.splice(0).forEach((c) => c.kill('SIGKILL'));
  await rig?.dispose();
  rig = null;
});
afterAll(() => scratch.remove());

const isResults = (version: string) => (f: AgentFrame): f is CheckResultsFrame => f.t === 'check_results' && f.version === version;
const isState =
  <S extends StateFrame['section']>(section: S) =>
  (f: AgentFrame): f is Extract<StateFrame, { section: S }> =>
    f.t === 'state' && f.section === section;
const until = async (cond: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('monitoring, end to end', () => {
  it('ends a process and controls a service through signed commands', async () => {
    rig = await enrolledRig();
    await rig.connect();
    const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    children.push(sleeper);
    const kill = rig.hub.command({ type: 'kill_process', params: { pid: sleeper.pid!, name: 'sleep' } });
    rig.hub.sendCommand(kill.signed);
    const killed = await result(rig.hub, kill.id);
    expect(killed.done).toMatchObject({ status: 'succeeded', exitCode: null });
    expect(killed.stdout).toBe(`sleep (pid ${sleeper.pid}) ended after SIGTERM\n`);

    const reused = rig.hub.command({ type: 'kill_process', params: { pid: process.pid, name: 'nginx', force: true } });
    rig.hub.sendCommand(reused.signed);
    expect((await result(rig.hub, reused.id)).done.error).toBe(`pid ${process.pid} is now "node", not "nginx": the pid was reused; refused`);

    const svc = rig.hub.command({ type: 'service', params: { name: 'cron', action: 'restart' } });
    rig.hub.sendCommand(svc.signed);
    const done = (await result(rig.hub, svc.id)).done;
    if (!systemdRunning()) expect(done).toMatchObject({ status: 'failed', error: 'systemd is not running on this machine' });
    else expect(['succeeded', 'failed']).toContain(done.status);
  });

  it('runs a signed check config, refuses a tampered one, and keeps checking after a restart', async () => {
    const server = createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    const evidence = join(scratch.path, 'check-runs');
    const forged = join(scratch.path, 'forged-runs');
    try {
      rig = await enrolledRig();
      await rig.connect();
      const payload = checkConfig(rig.id, [
        { key: 'db-port', name: 'Database port', severity: 'critical', type: 'tcp', host: '127.0.0.1', port },
        { key: 'backup', name: 'Backup age', severity: 'warning', type: 'script', interpreter: 'bash', script: `echo ran >> ${evidence}; echo "backup is 30 h old"; exit 1` },
      ]);
      rig.hub.send({ t: 'checks', config: signPayload(rig.id, payload) });
      const first = await rig.hub.waitFor(isResults(payload.version));
      expect(first.results.map((r) => [r.key, r.status, r.message]).sort()).toEqual([
        ['backup', 'warning', 'exit 1: backup is 30 h old'],
        ['db-port', 'pass', expect.stringMatching(/^127\.0\.0\.1:\d+ accepted a connection in \d+ ms$/)],
      ]);

      const status = await runCli(['status', '--state', rig.state]);
      expect(status.stdout).toMatch(new RegExp(`checks: +2 agent check\\(s\\), config ${payload.version} issued `));

      // Same signature, different script: refused before anything in it is read.
      const newer = checkConfig(rig.id, [{ key: 'x', name: 'x', severity: 'critical', type: 'script', interpreter: 'bash', script: 'true' }]);
      const good = signPayload(rig.id, newer);
      rig.hub.send({ t: 'checks', config: { ...good, payload: good.payload.replace('"true"', JSON.stringify(`touch ${forged}`)) } });
      await rig.agent!.logged('check config refused: bad signature');

      // After a restart the saved config runs at once; this hub never sends it again.
      await stopAgent(rig.agent);
      const runs = readFileSync(evidence, 'utf8').split('\n').length - 1;
      const from = rig.hub.frames.length;
      await rig.connect();
      await rig.hub.waitFor((f) => isResults(payload.version)(f) && rig!.hub.frames.indexOf(f) >= from);
      expect(readFileSync(evidence, 'utf8').split('\n').length - 1).toBe(runs + 1);
      expect(existsSync(forged)).toBe(false);
      expect(rig.hub.closeCodes.filter((c) => c === 1008)).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('sends collector sections once collected, and the latest again after a reconnect', async () => {
    rig = await enrolledRig();
    await rig.connect();
    const processes = await rig.hub.waitFor(isState('processes'));
    const smart = await rig.hub.waitFor(isState('smart'), 15_000);
    expect(processes.data.length).toBeGreaterThan(0);
    expect(smart.data.available).toBe(false); // no smartctl here
    const hub2 = await rig.restartHub();
    await hub2.waitFor((f): f is HelloFrame => f.t === 'hello', 15_000);
    const again = await hub2.waitFor(isState('processes'), 2_000);
    expect(again.at).toBe(processes.at);
    expect((await hub2.waitFor(isState('smart'), 2_000)).at).toBe(smart.at);
  });

  it('reads the event log from its saved position and moves it only when the hub acknowledges', async () => {
    const bin = join(scratch.path, 'bin');
    const journal = join(scratch.path, 'journal.jsonl');
    const reads = join(scratch.path, 'journal-reads');
    mkdirSync(bin, { recursive: true });
    const t0 = Date.now();
    const entry = (i: number, message: string) =>
      JSON.stringify({ __CURSOR: `s=test;i=${i}`, __REALTIME_TIMESTAMP: String((t0 + i * 1000) * 1000), PRIORITY: '3', SYSLOG_IDENTIFIER: 'nginx', MESSAGE: message });
    writeFileSync(journal, [entry(1, 'bind() failed'), entry(2, 'worker exited on signal 11')].join('\n') + '\n');
    // A stand-in journalctl over that file, honouring --after-cursor and --since.
    writeFileSync(
      join(bin, 'journalctl'),
      `#!${process.execPath}
const fs = require('fs');
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(reads)}, args.join(' ') + '\\n');
let lines = fs.readFileSync(${JSON.stringify(journal)}, 'utf8').split('\\n').filter(Boolean);
const after = args.find((a) => a.startsWith('--after-cursor='));
if (after) lines = lines.slice(lines.findIndex((l) => JSON.parse(l).__CURSOR === after.slice(15)) + 1);
const since = args.find((a) => a.startsWith('--since=@'));
if (since) lines = lines.filter((l) => Number(JSON.parse(l).__REALTIME_TIMESTAMP) >= Number(since.slice(9)) * 1e6);
process.stdout.write(lines.map((l) => l + '\\n').join(''));
`,
    );
    chmodSync(join(bin, 'journalctl'), 0o755);
    const env = { PATH: `${bin}:${process.env.PATH}` };

    rig = await enrolledRig({ autoAck: false });
    const eventsFile = join(rig.state, 'events.json');
    // A position saved by an earlier run, just before the two entries.
    writeFileSync(eventsFile, JSON.stringify({ source: 'journald', cursor: { since: t0 }, pending: null }));
    await rig.connect(env);
    const frame = await rig.hub.waitFor((f): f is EventsFrame => f.t === 'events');
    expect(frame.entries.map((e) => [e.source, e.level, e.message])).toEqual([
      ['nginx', 'error', 'bind() failed'],
      ['nginx', 'error', 'worker exited on signal 11'],
    ]);
    const saved = () => JSON.parse(readFileSync(eventsFile, 'utf8'));
    // The agent saves the pending fid right after sending: a moment after the hub has it.
    await until(() => saved().pending !== null);
    expect(saved()).toMatchObject({ cursor: { since: t0 }, pending: { fid: frame.fid, cursor: { cursor: 's=test;i=2' } } });

    // Killed before the ack: the same frame comes back from the outbox; the log is not read again.
    await stopAgent(rig.agent, 'SIGKILL');
    const from = rig.hub.frames.length;
    await rig.connect(env);
    const resent = await rig.hub.waitFor((f) => f.t === 'events' && rig!.hub.frames.indexOf(f) >= from);
    expect(resent).toEqual(frame);
    await new Promise((r) => setTimeout(r, 3_000)); // past the first event-log tick
    expect(readFileSync(reads, 'utf8').trim().split('\n')).toHaveLength(1);
    expect(rig.hub.frames.filter((f) => f.t === 'events')).toHaveLength(2);

    rig.hub.send({ t: 'ack', fids: [frame.fid] });
    await until(() => saved().pending === null);
    expect(saved().cursor).toEqual({ cursor: 's=test;i=2' });
  });
});
