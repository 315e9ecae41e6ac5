import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { api, launchBrowser, startPlatform, type Platform } from './harness';

// Inventory as a technician meets it, against the real agent on this machine: its software
// list on the device page, a package installed during the test showing up as "added" in the
// Changes timeline after "Refresh inventory", and a fleet search for that package finding
// the device, saved under a name and offered as a job target.
const PROBE = `tether-e2e-probe-${Date.now().toString(36)}`;
const SAVED_NAME = `Has ${PROBE}`;

async function waitFor(what: string, ok: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A minimal Debian package: one documentation file, no scripts, no dependencies. */
function buildProbeDeb(dir: string): string {
  const root = join(dir, PROBE);
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  mkdirSync(join(root, 'usr', 'share', 'doc', PROBE), { recursive: true });
  writeFileSync(
    join(root, 'DEBIAN', 'control'),
    [`Package: ${PROBE}`, 'Version: 1.2.3', 'Architecture: all', 'Maintainer: Tether E2E <e2e@tether.test>', 'Description: inventory probe installed by an end-to-end test', ''].join('\n'),
  );
  writeFileSync(join(root, 'usr', 'share', 'doc', PROBE, 'README'), 'Installed and removed by the inventory end-to-end test.\n');
  const deb = join(dir, `${PROBE}.deb`);
  execFileSync('dpkg-deb', ['--root-owner-group', '--build', root, deb], { stdio: 'pipe' });
  return deb;
}

describe('inventory, changes and fleet search in the dashboard', () => {
  let platform: Platform;
  let browser: Browser;
  let page: Page;
  let deviceId = '';
  let hostname = '';
  let installed = false;

  beforeAll(async () => {
    platform = await startPlatform(8841);
    platform.startAgent();
    await waitFor('the real agent online', async () => {
      const d = (await api<{ items: { id: string; hostname: string; status: string }[] }>(platform, 'GET', '/devices')).items.find((x) => x.status === 'online');
      if (d) ({ id: deviceId, hostname } = d);
      return !!d;
    });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  });

  afterAll(async () => {
    try {
      if (installed) execFileSync('dpkg', ['-r', PROBE], { stdio: 'pipe' });
    } finally {
      await browser?.close();
      await platform?.close();
    }
  });

  it("lists the real agent's software on the device's Software tab, searchable", async () => {
    // The first snapshot arrives on its own shortly after the agent connects.
    await waitFor(
      'the first inventory',
      async () => (await api<{ items: unknown[] }>(platform, 'GET', `/devices/${deviceId}/software?q=bash`)).items.length > 0,
      120_000,
    );
    await page.goto(`${platform.url}/devices/${deviceId}/software`);
    await page.fill('#email', platform.email);
    await page.fill('#password', platform.password);
    await page.click('button[type=submit]');
    const rows = page.locator('[data-testid="software-row"]');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThan(10);
    const everything = await rows.count();
    await page.fill('[data-testid="software-search"]', 'bash');
    // The server's answer replaces the first page: fewer rows, bash among them.
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeLessThan(everything);
    expect(await page.locator('[data-testid="software-name"]').allTextContents()).toContain('bash');

    // The Inventory tab shows the OS with its end-of-life standing and the hardware sections.
    await page.click('[data-testid="tab-inventory"]');
    await expect.poll(() => page.locator('[data-testid="inventory-os"]').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.locator('[data-testid="os-eol"]').count()).toBe(1);
    expect(await page.locator('[data-testid="inventory-system"]').count()).toBe(1);
  });

  it('shows a package installed now as added in the Changes timeline after Refresh inventory', async () => {
    const deb = buildProbeDeb(platform.stateDir);
    execFileSync('dpkg', ['-i', deb], { stdio: 'pipe' });
    installed = true;

    await page.click('[data-testid="tab-changes"]');
    await expect.poll(() => page.locator('[data-testid="changes-tab"]').count(), { timeout: 15_000 }).toBe(1);
    await page.click('[data-testid="refresh-inventory"]');
    const status = page.locator('[data-testid="inventory-refresh-status"]');
    await expect.poll(() => status.getAttribute('data-phase'), { timeout: 90_000 }).toBe('done');
    expect(await status.textContent()).toBe('succeeded');

    const added = page.locator('[data-testid="change-row"][data-kind="software_added"]', { hasText: PROBE });
    await expect.poll(() => added.count(), { timeout: 30_000 }).toBe(1);
    expect(await added.locator('[data-testid="change-values"]').textContent()).toContain('1.2.3');
    // The kind filter keeps it; another kind hides it.
    await page.selectOption('[data-testid="changes-kind"]', 'software_removed');
    await expect.poll(() => added.count()).toBe(0);
    await page.selectOption('[data-testid="changes-kind"]', 'software_added');
    await expect.poll(() => added.count()).toBe(1);

    // And the Software tab finds it by name.
    await page.click('[data-testid="tab-software"]');
    await page.fill('[data-testid="software-search"]', PROBE);
    await expect.poll(() => page.locator('[data-testid="software-name"]').allTextContents(), { timeout: 15_000 }).toEqual([PROBE]);
  });

  it('finds the device with a fleet search for the package, and saves the search', async () => {
    await page.getByRole('link', { name: 'Search', exact: true }).click();
    await page.waitForURL(/\/assets\/search/);
    const condition = page.locator('[data-testid="condition"]').first();
    await condition.locator('[data-testid="condition-field"]').selectOption('software');
    await condition.locator('[data-testid="condition-op"]').selectOption('installed');
    await condition.locator('[data-testid="condition-match"]').selectOption('equals');
    await condition.locator('[data-testid="condition-name"]').fill(PROBE);
    // Enter runs it.
    await condition.locator('[data-testid="condition-name"]').press('Enter');

    const result = page.locator('[data-testid="search-result"]');
    await expect.poll(() => result.count(), { timeout: 30_000 }).toBe(1);
    expect(await result.locator('[data-testid="search-result-host"]').textContent()).toBe(hostname);
    expect(await result.locator('[data-testid="search-result-matched"]').textContent()).toContain(PROBE);
    expect(await page.locator('[data-testid="search-total"]').textContent()).toMatch(/^1 device · \d+ ms$/);

    await page.fill('[data-testid="search-name"]', SAVED_NAME);
    await page.click('[data-testid="save-search"]');
    await expect.poll(() => page.locator('[data-testid="saved-search"]', { hasText: SAVED_NAME }).count(), { timeout: 15_000 }).toBe(1);
    expect(await page.locator('[data-testid="current-search"]').textContent()).toBe(SAVED_NAME);
    const stored = (await api<{ items: { id: string; name: string; query: { conditions: { field: string; name?: string; match?: string }[] } }[] }>(platform, 'GET', '/searches')).items;
    expect(stored).toHaveLength(1);
    expect(stored[0]!.query.conditions).toEqual([expect.objectContaining({ field: 'software', name: PROBE, match: 'equals' })]);
    expect(page.url()).toContain(`saved=${stored[0]!.id}`);

    // A search for a package nobody has finds no device.
    await condition.locator('[data-testid="condition-name"]').fill(`${PROBE}-absent`);
    await page.click('[data-testid="run-search"]');
    await expect.poll(() => page.locator('[data-testid="search-total"]').textContent(), { timeout: 15_000 }).toMatch(/^0 devices/);
  });

  it('aims a new job at the saved search', async () => {
    await page.locator('[data-testid="saved-search"]', { hasText: SAVED_NAME }).click();
    await expect.poll(() => page.locator('[data-testid="search-result"]').count(), { timeout: 15_000 }).toBe(1);
    await page.click('[data-testid="search-run-job"]');
    await page.waitForURL(/\/jobs\/new$/);
    const box = page.locator('[data-testid="target-searches"] label', { hasText: SAVED_NAME }).locator('input');
    await expect.poll(() => box.isChecked(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => page.locator('[data-testid="preview-count"]').textContent(), { timeout: 15_000 }).toBe('1');
  });
});
