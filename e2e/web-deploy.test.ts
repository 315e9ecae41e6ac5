import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, openSync, readFileSync, readSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { api, r2BlobFiles, type Platform } from './harness';
import { startWithAgent, waitFor } from './pages';

// Software deployment as an admin meets it, with the real agent installing on this machine:
// a .deb built now is uploaded from the dashboard (progress bar, the server's SHA-256),
// deployed to the device (dpkg shows it), rolled back from the deployment page (dpkg no
// longer knows it); then a second version whose stored bytes are changed on disk after the
// upload is refused by the agent (integrity_failed) and nothing is installed.
const PKG = `tether-e2e-${randomBytes(4).toString('hex')}`;
/* Over one 8 MiB upload part, so the bar moves through a part boundary; not compressed. */
const PAYLOAD_BYTES = 9 * 1024 * 1024;

/** A Debian package installing one file under /opt/<name>/, no scripts, no dependencies. */
function buildDeb(dir: string, version: string): { file: string; sha256: string } {
  const root = join(dir, `${PKG}-${version}`);
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  mkdirSync(join(root, 'opt', PKG), { recursive: true });
  writeFileSync(
    join(root, 'DEBIAN', 'control'),
    [`Package: ${PKG}`, `Version: ${version}`, 'Architecture: all', 'Maintainer: Tether E2E <e2e@tether.test>', 'Description: deployment probe installed by an end-to-end test', ''].join('\n'),
  );
  writeFileSync(join(root, 'opt', PKG, 'payload.bin'), randomBytes(PAYLOAD_BYTES));
  const file = join(dir, `${PKG}_${version}_all.deb`);
  execFileSync('dpkg-deb', ['--root-owner-group', '-Znone', '--build', root, file], { stdio: 'pipe' });
  return { file, sha256: createHash('sha256').update(readFileSync(file)).digest('hex') };
}

/** dpkg's view of the probe: its status and version, or null when dpkg does not know it. */
function dpkgStatus(): { status: string; version: string } | null {
  const r = spawnSync('dpkg-query', ['-W', '-f', '${Status}|${Version}', PKG], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const [status = '', version = ''] = r.stdout.split('|');
  return { status, version };
}
const dpkgKnows = () => spawnSync('dpkg', ['-s', PKG], { stdio: 'pipe' }).status === 0;

/** The upload bar's every value, recorded in the page as it changes (it is gone once the upload ends). */
async function recordUploadBar(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { uploadSeen: number[] };
    w.uploadSeen = [];
    const read = () => {
      const bar = document.querySelector('[data-testid="upload-progress"]');
      const now = bar?.getAttribute('aria-valuenow');
      if (now != null && w.uploadSeen[w.uploadSeen.length - 1] !== Number(now)) w.uploadSeen.push(Number(now));
    };
    new MutationObserver(read).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
  });
}

describe('software deployment with the real agent', () => {
  let platform: Platform;
  let browser: Browser;
  let page: Page;
  let deviceId = '';
  let hostname = '';
  let packageUrl = '';
  let firstJobUrl = '';

  // A busy machine can take minutes to start wrangler dev and enroll the agent.
  beforeAll(async () => {
    ({ platform, browser, page, device: { id: deviceId, hostname } } = await startWithAgent(8851));
    page.on('dialog', (d) => void d.accept());
  }, 480_000);

  afterAll(async () => {
    try {
      // Other package managers on this machine may hold dpkg's lock for a while.
      for (let i = 0; i < 60 && dpkgStatus() !== null; i++) {
        if (spawnSync('dpkg', ['--purge', PKG], { stdio: 'pipe' }).status === 0) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
    } finally {
      await browser?.close();
      await platform?.close();
    }
  });

  /** Add version → choose the file → the bar runs to 100 % → ready with the server's digest. */
  async function uploadVersion(version: string, deb: { file: string; sha256: string }): Promise<void> {
    if (!(await page.locator('[data-testid="version-form"]').count())) await page.click('[data-testid="add-version"]');
    const form = page.locator('[data-testid="version-form"]');
    await form.waitFor();
    await recordUploadBar(page);
    await form.locator('[data-testid="version-text"]').fill(version);
    await form.locator('[data-testid="version-file"]').setInputFiles(deb.file);
    await form.locator('[data-testid="save-version"]').click();

    await expect.poll(() => form.locator('[data-testid="upload-sha256"]').textContent(), { timeout: 120_000 }).toBe(deb.sha256);
    expect(await form.locator('[data-testid="version-ready"]').textContent()).toContain(`Version ${version} is ready`);
    const seen = await page.evaluate(() => (window as unknown as { uploadSeen: number[] }).uploadSeen);
    expect(seen[0]).toBeLessThan(100);
    expect(seen[seen.length - 1]).toBe(100);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    const row = page.locator(`[data-testid="version-row"][data-version="${version}"]`);
    await expect.poll(() => row.locator('[data-testid="version-status"]').textContent(), { timeout: 15_000 }).toBe('ready');
    expect(await row.locator('[data-testid="version-sha"]').getAttribute('title')).toBe(deb.sha256);
  }

  /** From a version's Deploy link: this device only, install, created; the deployment page opens. */
  async function deployToDevice(version: string): Promise<string> {
    await page.goto(packageUrl);
    await page.locator(`[data-testid="version-row"][data-version="${version}"] [data-testid="version-deploy"]`).click();
    await page.waitForURL(/\/deployments\/new/);
    await expect.poll(() => page.locator('[data-testid="deploy-version-facts"]').textContent(), { timeout: 30_000 }).toContain(`${PKG} ${version}`);
    await page.locator('[data-testid="target-device"]').fill(hostname);
    await page.locator('.pick-list [role="option"]', { hasText: hostname }).first().waitFor();
    await page.locator('[data-testid="target-device"]').press('Enter');
    await expect.poll(() => page.locator('[data-testid="preview-count"]').textContent(), { timeout: 15_000 }).toBe('1');
    await page.locator('[data-testid="create-deployment"]').click();
    await page.waitForURL(/\/deployments\/job_/);
    return page.url();
  }

  const stepOf = () => page.locator(`[data-testid="deploy-row-${deviceId}"] [data-testid="deploy-step"]`).getAttribute('data-step');

  it('uploads a .deb from the dashboard: the bar reaches 100 % and the version is ready with its SHA-256', async () => {
    const deb = buildDeb(platform.stateDir, '1.0.0');
    await page.goto(`${platform.url}/packages`);
    await page.fill('#email', platform.email);
    await page.fill('#password', platform.password);
    await page.click('button[type=submit]');
    await page.locator('[data-testid="new-package"]').click();
    await page.locator('[data-testid="package-name"]').fill(PKG);
    await page.locator('[data-testid="package-installer"]').selectOption('deb');
    await page.locator('[data-testid="save-package"]').click();
    await page.waitForURL(/\/packages\/[^/?]+\?add=1/);
    packageUrl = page.url().replace(/\?.*$/, '');
    expect(await page.locator('[data-testid="package-title"]').textContent()).toBe(PKG);
    await uploadVersion('1.0.0', deb);
  });

  it('deploys it to the real device: the step ends succeeded and dpkg has 1.0.0 installed', async () => {
    expect(dpkgKnows()).toBe(false);
    firstJobUrl = await deployToDevice('1.0.0');
    await expect.poll(stepOf, { timeout: 180_000, interval: 500 }).toBe('succeeded');
    // The command's status follows the step (the job's feed carries them separately).
    await expect.poll(() => page.locator(`[data-testid="deploy-row-${deviceId}"]`).getAttribute('data-status'), { timeout: 30_000 }).toBe('succeeded');
    expect(dpkgStatus()).toEqual({ status: 'install ok installed', version: '1.0.0' });
    expect(readFileSync(join('/opt', PKG, 'payload.bin')).length).toBe(PAYLOAD_BYTES);
  });

  it('rolls it back from the deployment page: a new deployment succeeds and dpkg no longer knows it', async () => {
    await page.goto(firstJobUrl);
    await page.locator('[data-testid="deploy-rollback"]').click();
    await page.waitForURL((u) => /\/deployments\/job_/.test(u.pathname) && !firstJobUrl.endsWith(u.pathname));
    await expect.poll(stepOf, { timeout: 180_000, interval: 500 }).toBe('succeeded');
    await waitFor('dpkg to forget the package', async () => !dpkgKnows(), 15_000);
    expect(dpkgStatus()).toBeNull();
  });

  it('refuses a version whose stored bytes were changed after the upload: integrity_failed, nothing installed', async () => {
    // A version the agent has never fetched: it keeps verified files by digest and reuses them,
    // so only bytes it has yet to download can show what it does with a tampered object.
    const deb = buildDeb(platform.stateDir, '1.0.1');
    const before = new Set(r2BlobFiles(platform).map((b) => b.path));
    await page.goto(packageUrl);
    await uploadVersion('1.0.1', deb);
    const fresh = r2BlobFiles(platform).filter((b) => !before.has(b.path));
    expect(fresh.length).toBeGreaterThan(0);
    const blob = fresh[0]!;
    const at = Math.floor(blob.size / 2);
    const fd = openSync(blob.path, 'r+');
    try {
      const byte = Buffer.alloc(1);
      readSync(fd, byte, 0, 1, at);
      const flipped = Buffer.from([byte[0]! ^ 0xff]);
      writeSync(fd, flipped, 0, 1, at);
      const check = Buffer.alloc(1);
      readSync(fd, check, 0, 1, at);
      expect(check[0]).toBe(flipped[0]);
    } finally {
      closeSync(fd);
    }

    await deployToDevice('1.0.1');
    await expect.poll(stepOf, { timeout: 180_000, interval: 500 }).toBe('failed');
    const row = page.locator(`[data-testid="deploy-row-${deviceId}"]`);
    await expect.poll(() => row.locator('[data-testid="deploy-error"]').textContent(), { timeout: 15_000 }).toContain('integrity_failed');
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 30_000 }).toBe('failed');
    expect(dpkgStatus()).toBeNull();
  });
});
