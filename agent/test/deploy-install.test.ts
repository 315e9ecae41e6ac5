import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDeb, dpkgStatus, purge, stepNames, testPackageName, TestDevice } from './fixtures/deploy/harness';

/*
 * Deployments on this machine, for real: .deb files built with dpkg-deb, served with a device
 * token, installed and removed with dpkg by the agent's command runner.
 */

const made = new Set<string>();
const newName = (tag: string) => {
  const name = testPackageName(tag);
  made.add(name);
  return name;
};
let device: TestDevice;

beforeAll(async () => {
  device = await new TestDevice().start();
});
afterAll(async () => {
  try {
    await purge(made);
  } finally {
    await device?.stop();
  }
}, 90_000);

describe('install_package with a .deb', () => {
  it('downloads, verifies, installs and detects it, reporting every step; uninstall_package removes it', async () => {
    const deb = buildDeb(newName('ok'), '1.2.0');
    const { signed, manifest } = device.publish(deb);
    const requestsBefore = device.server.requests.length;

    const run = await device.run('install_package', { manifest: signed });
    expect(run.done).toMatchObject({ status: 'succeeded', step: 'succeeded', exitCode: 0 });
    expect(run.done.error).toBeUndefined();
    expect(dpkgStatus(deb.name)).toEqual({ status: 'install ok installed', version: '1.2.0' });

    expect(stepNames(run.steps)).toEqual(['downloading', 'verifying', 'installing', 'checking', 'succeeded']);
    // Download progress is reported within the downloading step.
    const progress = run.steps.filter((s) => s.progress !== null);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((s) => s.step === 'downloading')).toBe(true);
    expect(run.result).toMatchObject({ name: deb.name, version: '1.2.0', outcome: 'succeeded', failure: null, before: null, after: '1.2.0', installerExit: 0, rebootRequired: false });
    expect(run.result.steps.map((s) => s.step)).toEqual(stepNames(run.steps));
    expect(run.stderr).toContain(`$ dpkg -i ${join(device.packagesDir, `${deb.sha256}.deb`)}`);

    // The request carried the device token; the verified file stays cached under its digest.
    const req = device.server.requests[requestsBefore];
    expect(req.url).toBe(`/agent/packages/${manifest.versionId}`);
    expect(req.headers.authorization).toBe(`Bearer ${device.hub.token}`);
    expect(req.headers.range).toBeUndefined();
    expect(readFileSync(join(device.packagesDir, `${deb.sha256}.pkg`)).equals(deb.bytes)).toBe(true);
    expect(readdirSync(device.packagesDir)).toEqual([`${deb.sha256}.pkg`]);

    const removed = await device.run('uninstall_package', { manifest: signed });
    expect(removed.done).toMatchObject({ status: 'succeeded', step: 'succeeded' });
    expect(stepNames(removed.steps)).toEqual(['installing', 'checking', 'succeeded']);
    expect(removed.result).toMatchObject({ outcome: 'succeeded', before: '1.2.0', after: null });
    expect(dpkgStatus(deb.name)).toBeNull();

    // Installing again uses the cached file: no second download.
    const again = await device.run('install_package', { manifest: signed });
    expect(again.done.status).toBe('succeeded');
    expect(device.server.requests.length).toBe(requestsBefore + 1);
    expect(dpkgStatus(deb.name)?.status).toBe('install ok installed');
  });

  it('refuses a package whose bytes do not match the signed digest: nothing installed, nothing kept', async () => {
    const deb = buildDeb(newName('tampered'), '1.0.0');
    const { signed } = device.publish(deb, {}, { flipByte: 200 });
    const run = await device.run('install_package', { manifest: signed });
    expect(run.done).toMatchObject({ status: 'failed', step: 'failed', exitCode: null });
    expect(run.done.error).toMatch(new RegExp(`^integrity_failed: sha256 mismatch: expected ${deb.sha256}, got [0-9a-f]{64}$`));
    expect(stepNames(run.steps)).toEqual(['downloading', 'verifying', 'failed']);
    expect(run.result).toMatchObject({ outcome: 'failed', failure: 'integrity_failed', before: null, installerExit: null });
    expect(run.stderr).not.toContain('dpkg');
    expect(dpkgStatus(deb.name)).toBeNull();
    expect(existsSync(join(device.packagesDir, `${deb.sha256}.part`))).toBe(false);
    expect(existsSync(join(device.packagesDir, `${deb.sha256}.pkg`))).toBe(false);
  });

  it('resumes a download that broke off, asking for the rest with Range', async () => {
    const deb = buildDeb(newName('resume'), '2.0.0');
    const cut = Math.floor(deb.bytes.length / 2);
    const { signed, manifest } = device.publish(deb, {}, { cutAfter: cut });
    const first = device.server.requests.length;
    const run = await device.run('install_package', { manifest: signed });
    expect(run.done).toMatchObject({ status: 'succeeded', step: 'succeeded' });
    const mine = device.server.requests.slice(first).filter((r) => r.url === `/agent/packages/${manifest.versionId}`);
    expect(mine.map((r) => r.headers.range)).toEqual([undefined, `bytes=${cut}-`]);
    expect(readFileSync(join(device.packagesDir, `${deb.sha256}.pkg`)).equals(deb.bytes)).toBe(true);
    expect(dpkgStatus(deb.name)).toEqual({ status: 'install ok installed', version: '2.0.0' });
  });

  it('refuses a manifest with a bad signature before any request', async () => {
    const deb = buildDeb(newName('forged'), '1.0.0');
    const { signed } = device.publish(deb);
    const forged = { ...signed, text: signed.text.replace('"1.0.0"', '"1.0.1"') };
    const first = device.server.requests.length;
    const run = await device.run('install_package', { manifest: forged });
    expect(run.done).toMatchObject({ status: 'failed', step: 'failed' });
    expect(run.done.error).toBe('signature_failed: the package manifest is not signed by this tenant');
    expect(stepNames(run.steps)).toEqual(['failed']);
    expect(device.server.requests.length).toBe(first);
    expect(dpkgStatus(deb.name)).toBeNull();

    // The command key's plain signature over the text (no manifest prefix) does not count either.
    const { sign } = await import('node:crypto');
    const plain = { text: signed.text, sig: sign(null, Buffer.from(signed.text), device.hub.privateKey).toString('base64') };
    expect((await device.run('install_package', { manifest: plain })).done.error).toMatch(/^signature_failed: /);
  });

  it('refuses a package for another platform', async () => {
    const deb = buildDeb(newName('platform'), '1.0.0');
    const { signed } = device.publish(deb, { platform: 'windows', installer: 'msi' });
    const first = device.server.requests.length;
    const run = await device.run('install_package', { manifest: signed });
    expect(run.done.error).toMatch(/^wrong_platform: .* is for windows, this device runs linux$/);
    expect(device.server.requests.length).toBe(first);
  });

  it('refuses a manifest signed for another tenant', async () => {
    const deb = buildDeb(newName('tenant'), '1.0.0');
    const { signed } = device.publish(deb, { tenantId: 'ten_someoneelse0' });
    const run = await device.run('install_package', { manifest: signed });
    expect(run.done.error).toBe('signature_failed: the manifest is signed for another tenant');
  });

  it('rolls back a package whose postinst fails: install_failed, then removed', async () => {
    const deb = buildDeb(newName('postinst'), '1.0.0', { postinst: 'echo "configuration failed" >&2\nexit 3' });
    const { signed } = device.publish(deb);
    const run = await device.run('install_package', { manifest: signed });
    expect(run.done).toMatchObject({ status: 'failed', step: 'rolled_back', exitCode: 1 });
    expect(run.done.error).toMatch(/^install_failed: dpkg -i failed \(exit 1\)/);
    expect(stepNames(run.steps)).toEqual(['downloading', 'verifying', 'installing', 'rolling_back', 'rolled_back']);
    expect(run.result).toMatchObject({ outcome: 'rolled_back', failure: 'install_failed', before: null, after: null, installerExit: 1 });
    expect(run.stderr).toContain('configuration failed');
    expect(run.stderr).toContain(`$ dpkg -r ${deb.name}`);
    expect(dpkgStatus(deb.name)).toBeNull();
  });

  it('with rollback off, leaves a failed install as it is and says so', async () => {
    const deb = buildDeb(newName('norollback'), '1.0.0', { postinst: 'exit 1' });
    const { signed } = device.publish(deb);
    const run = await device.run('install_package', { manifest: signed, rollbackOnFailure: false });
    expect(run.done).toMatchObject({ status: 'failed', step: 'failed' });
    expect(stepNames(run.steps)).toEqual(['downloading', 'verifying', 'installing', 'failed']);
    // dpkg left it unpacked but not configured: not "installed" to detection.
    expect(run.result).toMatchObject({ outcome: 'failed', failure: 'install_failed', after: null });
    expect(dpkgStatus(deb.name)?.status).toBe('install ok half-configured');
  });

  it('reinstalls the previous version when an upgrade fails', async () => {
    const name = newName('upgrade');
    const v1 = device.publish(buildDeb(name, '1.0.0'));
    const v2 = device.publish(buildDeb(name, '2.0.0', { postinst: 'exit 1' }), { packageId: v1.manifest.packageId });
    expect((await device.run('install_package', { manifest: v1.signed })).done.status).toBe('succeeded');

    const run = await device.run('install_package', { manifest: v2.signed, previous: v1.signed });
    expect(run.done).toMatchObject({ status: 'failed', step: 'rolled_back' });
    expect(run.done.error).toMatch(/^install_failed: /);
    expect(run.result).toMatchObject({ outcome: 'rolled_back', before: '1.0.0', after: '1.0.0' });
    expect(run.result.steps.at(-1)).toMatchObject({ step: 'rolled_back', detail: `${name} 1.0.0 reinstalled` });
    expect(dpkgStatus(name)).toEqual({ status: 'install ok installed', version: '1.0.0' });
  });

  it('fails detection when the rule names software the package did not install, and rolls back', async () => {
    const deb = buildDeb(newName('detect'), '1.0.0');
    const { signed } = device.publish(deb, { detection: { type: 'software', name: `${deb.name}-other`, match: 'exact' } });
    const run = await device.run('install_package', { manifest: signed });
    expect(run.done).toMatchObject({ status: 'failed', step: 'rolled_back' });
    expect(run.done.error).toBe(`detection_failed: ${deb.name} 1.0.0 is not there after the install (found nothing)`);
    expect(stepNames(run.steps)).toEqual(['downloading', 'verifying', 'installing', 'checking', 'rolling_back', 'rolled_back']);
    // The rollback removes the package by its own name, read from the file.
    expect(dpkgStatus(deb.name)).toBeNull();
  });

  it('runs one installation at a time: the second waits for the first', async () => {
    const a = device.publish(buildDeb(newName('first'), '1.0.0', { postinst: 'sleep 1' }));
    const b = device.publish(buildDeb(newName('second'), '1.0.0'));
    const [ra, rb] = await Promise.all([device.run('install_package', { manifest: a.signed }), device.run('install_package', { manifest: b.signed })]);
    expect([ra.done.status, rb.done.status]).toEqual(['succeeded', 'succeeded']);
    expect(rb.steps[0]).toMatchObject({ step: 'pending', detail: 'waiting for another installation to finish' });
    const aDone = ra.result.steps.at(-1)!.at;
    expect(rb.result.steps.find((s) => s.step === 'downloading')!.at).toBeGreaterThanOrEqual(aDone);
  });

  it('when the agent stops, a deployment still waiting for its turn ends as interrupted, having done nothing', async () => {
    const a = device.publish(buildDeb(newName('running'), '1.0.0', { postinst: 'sleep 1' }));
    const b = device.publish(buildDeb(newName('queued'), '1.0.0'));
    const first = device.server.requests.length;
    const mark = device.frameCount;
    const runs = Promise.all([device.run('install_package', { manifest: a.signed }), device.run('install_package', { manifest: b.signed })]);
    await device.stepReached('installing', mark);
    await device.interruptAll();
    const [ra, rb] = await runs;
    // What was already installing is finished rather than cut off halfway.
    expect(ra.done.status).toBe('succeeded');
    expect(rb.done).toMatchObject({ status: 'interrupted', step: 'failed', error: 'the agent stopped during the deployment' });
    expect(rb.result).toMatchObject({ outcome: 'failed', failure: null });
    expect(device.server.requests.slice(first).map((r) => r.url)).toEqual([`/agent/packages/${a.manifest.versionId}`]);
    expect(dpkgStatus(b.manifest.name)).toBeNull();
  });

  it('fails a download the server refuses, with its status', async () => {
    const deb = buildDeb(newName('missing'), '1.0.0');
    const { signed, manifest } = device.publish(deb);
    device.server.files.delete(manifest.versionId);
    const run = await device.run('install_package', { manifest: signed });
    expect(run.done.error).toBe('download_failed: HTTP 404 from the server');
    expect(stepNames(run.steps)).toEqual(['downloading', 'failed']);
  });
});
