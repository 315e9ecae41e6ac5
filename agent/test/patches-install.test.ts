import { afterEach, describe, expect, it, vi } from 'vitest';
import * as v from 'valibot';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DoneFrame } from '../../protocol/agent-frames';
import { InstallPatchesParams, InstallPatchesResult, PatchItem, PatchScan } from '../../protocol/patches';
import { CommandRunner } from '../src/commands';
import { Journal } from '../src/journal';
import type { NewDurableFrame } from '../src/outbox';
import { aptPlan } from '../src/patches/apt';
import { patchCommand } from '../src/patches/command';
import { defaultPatchContext } from '../src/patches/context';
import { dnfPlan } from '../src/patches/dnf';
import { softwareUpdatePlan } from '../src/patches/macos';
import { PatchStateFile } from '../src/patches/state';
import { WUA_INSTALL_SCRIPT, WUA_KEYS_VAR } from '../src/patches/wua-scripts';
import { importSigningKey } from '../src/verify';
import { manager, OPTS, SCAN, standInDirs, standIns } from './fixtures/patches/stand-ins';
import { newHubIdentity, signCommand } from './helpers/fake-hub';

afterEach(() => {
  vi.useRealTimers();
  standInDirs.splice(0).forEach((d) => d.remove());
});

const params = (p: Partial<v.InferInput<typeof InstallPatchesParams>>) => v.parse(InstallPatchesParams, { keys: [], ...p });

describe('install_patches', () => {
  it('installs only approved keys that are missing, at the scanned version, and never reboots with policy never', async () => {
    const s = standIns();
    const { m, frames } = manager(s);
    const run = await m.install(
      params({ keys: ['apt:openssl@3.0.22-1~deb12u2', 'apt:linux-image-6.1.0-28-amd64@6.1.119-1', 'apt:openssl@9.9', 'dnf:htop.x86_64@3.3.0-1.el9', 'apt:coreutils@9.1-1'], reboot: 'never' }),
      () => false,
    );
    expect(s.aptCalls()).toEqual([
      SCAN,
      ['install', ...OPTS, '--only-upgrade', 'openssl=3.0.22-1~deb12u2'],
      // Not installed yet: --only-upgrade would skip it.
      ['install', ...OPTS, 'linux-image-6.1.0-28-amd64=6.1.119-1'],
      SCAN,
    ]);
    expect(s.aptEnv()).toEqual(['|C', 'noninteractive|C', 'noninteractive|C', '|C']);
    expect(v.parse(InstallPatchesResult, run.result)).toEqual({
      installed: ['apt:openssl@3.0.22-1~deb12u2', 'apt:linux-image-6.1.0-28-amd64@6.1.119-1'],
      failed: [],
      notApplicable: 3,
      rebootRequired: true,
      rebootAt: null,
    });
    expect(run.error).toBeNull();
    expect(s.shutdownCalls()).toEqual([]);
    // The list after installing goes to the server.
    expect(frames).toHaveLength(1);
    expect(frames[0].scan.items.map((i) => i.key)).toEqual(['apt:bash@5.2.15-2+b13', 'apt:libssl3@3.0.22-1~deb12u2']);
  });

  it('if_needed: no reboot when nothing needs one, a noticed reboot when the OS says one is pending', async () => {
    const s = standIns();
    const { m } = manager(s);
    const quiet = await m.install(params({ keys: ['apt:bash@5.2.15-2+b13'], reboot: 'if_needed' }), () => false);
    expect(quiet.result).toMatchObject({ installed: ['apt:bash@5.2.15-2+b13'], rebootRequired: false, rebootAt: null });
    expect(s.shutdownCalls()).toEqual([]);

    writeFileSync(join(s.dir, 'reboot-required'), '*** System restart required ***\n');
    const before = Date.now();
    const run = await m.install(params({ keys: ['apt:libssl3@3.0.22-1~deb12u2'], reboot: 'if_needed', noticeMinutes: 15, message: 'Monthly patching.' }), () => false);
    expect(run.result).toMatchObject({ installed: ['apt:libssl3@3.0.22-1~deb12u2'], rebootRequired: true });
    expect(run.result.rebootAt).toBeGreaterThanOrEqual(before + 15 * 60_000);
    const calls = s.shutdownCalls();
    expect(calls).toHaveLength(1);
    expect(calls[0].slice(0, 3)).toEqual(['-r', '--', '+15']);
    expect(calls[0][3]).toMatch(/^Monthly patching\. This computer will restart at \d\d:\d\d to finish installing updates\. Save your work\.$/);
    expect(new PatchStateFile(s.statePath).get().reboot).toMatchObject({ deferrals: 0, maxDeferrals: 2, noticeMinutes: 15 });
    m.stop();
  });

  it('always reboots with policy always, even when nothing was missing', async () => {
    const s = standIns();
    const { m } = manager(s);
    const run = await m.install(params({ keys: ['apt:coreutils@9.1-1'], reboot: 'always', noticeMinutes: 0 }), () => false);
    expect(run.result).toMatchObject({ installed: [], failed: [], notApplicable: 1, rebootRequired: false });
    expect(run.result.rebootAt).not.toBeNull();
    // Nothing to install: no install run, and no second scan.
    expect(s.aptCalls()).toEqual([SCAN]);
    expect(s.shutdownCalls()).toEqual([['-r', '--', 'now', expect.stringContaining('This computer will restart at')]]);
    m.stop();
  });

  it('answers per key: a failing package is retried alone and the others still go in; the command fails with JSON output', async () => {
    const s = standIns();
    writeFileSync(join(s.dir, 'fail'), 'openssl');
    const { m } = manager(s);
    const out: { stream: string; data: string }[] = [];
    const running = patchCommand(async (stopped) => {
      const run = await m.install(params({ keys: ['apt:openssl@3.0.22-1~deb12u2', 'apt:libssl3@3.0.22-1~deb12u2'], reboot: 'never' }), stopped);
      return { json: run.result, error: run.error };
    }, (stream, data) => out.push({ stream, data }));
    const r = await running.result;
    expect(s.aptCalls()).toEqual([
      SCAN,
      ['install', ...OPTS, '--only-upgrade', 'openssl=3.0.22-1~deb12u2', 'libssl3=3.0.22-1~deb12u2'],
      ['install', ...OPTS, '--only-upgrade', 'openssl=3.0.22-1~deb12u2'],
      ['install', ...OPTS, '--only-upgrade', 'libssl3=3.0.22-1~deb12u2'],
      SCAN,
    ]);
    expect(r).toMatchObject({ status: 'failed', error: '1 update(s) failed: apt:openssl@3.0.22-1~deb12u2' });
    expect(out.map((o) => o.stream)).toEqual(['stdout']);
    const result = v.parse(InstallPatchesResult, JSON.parse(out.map((o) => o.data).join('')));
    expect(result.installed).toEqual(['apt:libssl3@3.0.22-1~deb12u2']);
    expect(result.failed).toEqual([{ key: 'apt:openssl@3.0.22-1~deb12u2', error: 'apt-get failed (exit 100): E: Sub-process /usr/bin/dpkg returned an error code (1)' }]);
  });
});

describe('patch commands through the command runner', () => {
  it('runs signed scan_patches and install_patches: JSON output, done frames and fresh patches frames', async () => {
    const s = standIns();
    const hub = newHubIdentity();
    const journal = Journal.open(join(s.dir, 'journal.jsonl'));
    const frames: NewDurableFrame[] = [];
    const { m, frames: patchFrames } = manager(s);
    const done = new Map<string, (d: Omit<DoneFrame, 'fid'>) => void>();
    const runner = new CommandRunner({
      key: importSigningKey(hub.publicKeyB64),
      deviceId: hub.deviceId,
      tenantId: hub.tenantId,
      journal,
      scratchDir: join(s.dir, 'scripts'),
      emit: (f) => {
        frames.push(f);
        if (f.t === 'done') done.get(f.id)?.(f);
      },
      patches: m,
    });
    const run = async (over: Parameters<typeof signCommand>[1]) => {
      const cmd = signCommand(hub, over);
      const finished = new Promise<Omit<DoneFrame, 'fid'>>((resolve) => done.set(cmd.id, resolve));
      runner.handle(cmd.signed);
      const d = await finished;
      const stdout = frames.filter((f) => f.t === 'out' && f.id === cmd.id && f.stream === 'stdout').map((f) => (f as { data: string }).data).join('');
      return { done: d, json: JSON.parse(stdout) as unknown };
    };
    try {
      const scan = await run({ type: 'scan_patches', params: {} });
      expect(scan.done).toMatchObject({ status: 'succeeded', exitCode: 0 });
      expect(v.parse(PatchScan, scan.json).items.map((i) => i.key)).toContain('apt:openssl@3.0.22-1~deb12u2');
      expect(patchFrames).toHaveLength(1);

      const inst = await run({ type: 'install_patches', params: { keys: ['apt:openssl@3.0.22-1~deb12u2'], reboot: 'never' } });
      expect(inst.done).toMatchObject({ status: 'succeeded' });
      expect(v.parse(InstallPatchesResult, inst.json)).toEqual({ installed: ['apt:openssl@3.0.22-1~deb12u2'], failed: [], notApplicable: 0, rebootRequired: false, rebootAt: null });
      expect(patchFrames).toHaveLength(2);
      expect(patchFrames[1].scan.items.map((i) => i.key)).not.toContain('apt:openssl@3.0.22-1~deb12u2');
    } finally {
      journal.close();
    }
  });
});

describe('Windows Update install script', () => {
  it('reads the approved keys as a list of strings on Windows PowerShell 5.1, whose ConvertFrom-Json does not enumerate arrays', () => {
    const line = WUA_INSTALL_SCRIPT.split('\n').find((l) => l.includes(WUA_KEYS_VAR))!;
    // Wrapped in @(), 5.1 yields [[keys]]: -contains then matches nothing and no update installs.
    expect(line).not.toMatch(/@\(\s*\$env:\w+\s*\|\s*ConvertFrom-Json\s*\)/);
    expect(line.trim()).toBe(`$wanted = [string[]]($env:${WUA_KEYS_VAR} | ConvertFrom-Json)`);
    expect(WUA_INSTALL_SCRIPT).toMatch(/\$wanted -contains \('wua:KB' \+ \$kb\)/);
  });
});

describe('install plans', () => {
  const item = (source: PatchItem['source'], key: string, name: string, installedVersion: string | null, availableVersion: string) =>
    v.parse(PatchItem, { key: `${source}:${key}`, source, name, title: name, installedVersion, availableVersion, classification: 'security', severity: 'unknown', cves: [], advisory: null, rebootRequired: false, sizeBytes: null, releasedAt: null });
  const ctx = defaultPatchContext('linux', { PATH: '/usr/bin' });

  it('never hands a package tool an operand it could read as an option, and leaves such an item out of the invocation', () => {
    const plans = [
      aptPlan(ctx, [item('apt', 'openssl@3.0.22-1', 'openssl', '3.0.11-1', '3.0.22-1'), item('apt', '-oAPT::Get::Trivial-Only=1@1', '-oAPT::Get::Trivial-Only=1', '0', '1')]),
      dnfPlan(ctx, [item('dnf', 'htop.x86_64@3.3.0-1.el9', 'htop.x86_64', '3.2.0-1.el9', '3.3.0-1.el9'), item('dnf', '--setopt=gpgcheck=0.x86_64@1-1', '--setopt=gpgcheck=0.x86_64', '0-1', '1-1')]),
      softwareUpdatePlan(ctx, [item('softwareupdate', 'Safari18.1-18.1', 'Safari', null, '18.1'), item('softwareupdate', '--all', 'Everything', null, '1')]),
    ];
    for (const plan of plans) {
      expect(plan).toHaveLength(1);
      const [inv] = plan;
      expect(inv.args.filter((a) => /Trivial|setopt|--all/.test(a))).toEqual([]);
      // The item that was left out is not given the invocation's outcome.
      expect(inv.items).toHaveLength(1);
      expect(inv.items[0].key).not.toMatch(/:-/);
    }
  });
});
