import { afterAll, afterEach, describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FetchFileResult, PowerResult, ProcessListResult } from '../../protocol/command';
import { findExecutable } from '../src/interpreters';
import { enrolledRig, type Rig } from './helpers/enrolled';
import { tempDir } from './helpers/agent-process';
import { result } from './helpers/results';

/*
 * The remote actions end to end: signed commands of every new type through the built agent,
 * results back as out and done frames.
 */

let rig: Rig | null = null;
const scratch = tempDir('tether-actions-');
afterEach(async () => {
  await rig?.dispose();
  rig = null;
});
afterAll(() => scratch.remove());

describe('remote actions through the agent', () => {
  it('lists processes, fetches a file, reads no registry off Windows', async () => {
    rig = await enrolledRig();
    const agent = await rig.connect();
    const hub = rig.hub;

    const ps = hub.command({ type: 'process_list', params: {} });
    hub.sendCommand(ps.signed);
    const listed = await result(hub, ps.id);
    expect(listed.done).toMatchObject({ status: 'succeeded', exitCode: 0 });
    const list = v.parse(ProcessListResult, JSON.parse(listed.stdout));
    expect(list.processes.find((p) => p.pid === agent.child.pid)).toBeDefined();

    const file = join(scratch.path, 'report.bin');
    const bytes = Buffer.from([0, 1, 2, 250, 251, 252, 10, 13]);
    writeFileSync(file, bytes);
    const ff = hub.command({ type: 'fetch_file', params: { path: file } });
    hub.sendCommand(ff.signed);
    const fetched = await result(hub, ff.id);
    expect(fetched.done.status).toBe('succeeded');
    expect(Buffer.from(v.parse(FetchFileResult, JSON.parse(fetched.stdout)).data, 'base64').equals(bytes)).toBe(true);

    const big = hub.command({ type: 'fetch_file', params: { path: file, maxBytes: 4 } });
    hub.sendCommand(big.signed);
    expect((await result(hub, big.id)).done).toMatchObject({ status: 'failed', error: 'file is 8 bytes, above the limit of 4' });

    const reg = hub.command({ type: 'registry_read', params: { hive: 'HKLM', key: 'SOFTWARE\\Microsoft' } });
    hub.sendCommand(reg.signed);
    expect((await result(hub, reg.id)).done).toMatchObject({ status: 'failed', exitCode: null, error: 'the registry exists only on Windows' });
  });

  it('schedules and cancels a reboot with the shutdown found on PATH', async () => {
    const bin = tempDir('tether-fake-shutdown-');
    const calls = join(bin.path, 'calls.txt');
    writeFileSync(join(bin.path, 'shutdown'), `#!/bin/bash\n(IFS='|'; echo "$*") >> ${calls}\n`);
    chmodSync(join(bin.path, 'shutdown'), 0o755);
    const PATH = `${bin.path}:${process.env.PATH}`;
    // The stand-in must come first: this machine's own shutdown is further down PATH.
    expect(findExecutable('shutdown', { PATH })).toBe(join(bin.path, 'shutdown'));
    try {
      rig = await enrolledRig();
      await rig.connect({ PATH });
      const hub = rig.hub;
      const before = Date.now();
      const reboot = hub.command({ type: 'power', params: { action: 'reboot', delaySeconds: 150, message: 'Updates: save your work' } });
      hub.sendCommand(reboot.signed);
      const r = await result(hub, reboot.id);
      expect(r.done).toMatchObject({ status: 'succeeded', exitCode: 0 });
      const scheduled = v.parse(PowerResult, JSON.parse(r.stdout));
      expect(scheduled).toMatchObject({ action: 'reboot', message: 'Updates: save your work' });
      expect(scheduled.at! - before).toBeGreaterThanOrEqual(180_000);
      expect(scheduled.at! - Date.now()).toBeLessThanOrEqual(180_000);

      const cancel = hub.command({ type: 'power_cancel', params: {} });
      hub.sendCommand(cancel.signed);
      expect(JSON.parse((await result(hub, cancel.id)).stdout)).toEqual({ action: 'cancel', at: null, message: 'cancelled any pending shutdown or reboot' });
      expect(readFileSync(calls, 'utf8')).toBe('-r|--|+3|Updates: save your work\n-c\n');
    } finally {
      bin.remove();
    }
  });

  it('runs a script with parameters, keeping its secret out of every frame and the log', async () => {
    rig = await enrolledRig();
    const agent = await rig.connect();
    const secret = 'Tr0ub4dor&3-xyzzy';
    const cmd = rig.hub.command({
      params: {
        interpreter: 'bash',
        script: 'echo "site=$PARAM_SITE token=$PARAM_TOKEN"; printf %s "$PARAM_TOKEN" | cut -c1-8; echo "$PARAM_TOKEN" >&2; exit 3',
        env: { PARAM_SITE: 'Main office', PARAM_TOKEN: secret },
        secretEnv: ['PARAM_TOKEN'],
      },
    });
    rig.hub.sendCommand(cmd.signed);
    const r = await result(rig.hub, cmd.id);
    expect(r.done).toMatchObject({ status: 'failed', exitCode: 3 });
    expect(r.stdout).toBe('site=Main office token=******\nTr0ub4do\n');
    expect(r.stderr).toBe('******\n');
    for (const f of rig.hub.framesOf(cmd.id)) expect(JSON.stringify(f)).not.toContain(secret);
    expect(agent.stderr()).toContain(`command ${cmd.id}: run_script (bash, timeout 300 s, as system, parameters PARAM_SITE PARAM_TOKEN)`);
    expect(agent.stderr()).not.toContain(secret);
  });
});
