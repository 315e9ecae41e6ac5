import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { api, launchBrowser, startPlatform, type Platform } from './harness';

// Licences and warranties as a technician meets them, against the real agent's inventory:
// a one-seat licence for bash (installed on every Debian machine) shows 1 / 1 in use; a
// manual warranty ending in 20 days lands under "expiring" and on the device card; a CSV
// import matches the device by the serial its inventory reports (or, on a machine that
// reports none, lists the serial as unmatched).
const KEY = 'E2E-KEY-7Q4P-XW92';
const DAY_MS = 86_400_000;
const inDays = (n: number) => new Date(Date.now() + n * DAY_MS).toISOString().slice(0, 10);

async function poll<T>(what: string, get: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const v = await get();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('licences and warranties in the dashboard', () => {
  let platform: Platform;
  let browser: Browser;
  let page: Page;
  let deviceId = '';
  let hostname = '';

  beforeAll(async () => {
    platform = await startPlatform(8847);
    platform.startAgent();
    const device = await poll('the agent to come online', async () =>
      (await api<{ items: { id: string; hostname: string; status: string }[] }>(platform, 'GET', '/devices')).items.find((d) => d.status === 'online'),
    );
    deviceId = device.id;
    hostname = device.hostname;
    // The licence's compliance is counted from the software list: wait until bash is in it.
    await poll('bash in the reported software', async () => {
      const page = await api<{ items: { name: string }[] }>(platform, 'GET', `/devices/${deviceId}/software?q=bash`);
      return page.items.find((s) => s.name === 'bash');
    });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });

  it('creates a one-seat licence for bash and shows it in use, compliant', async () => {
    await page.goto(`${platform.url}/licences`);
    await page.fill('#email', platform.email);
    await page.fill('#password', platform.password);
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('[data-testid="licences-empty"]').count(), { timeout: 30_000 }).toBe(1);

    await page.click('[data-testid="new-licence"]');
    const form = page.locator('[data-testid="licence-form"]');
    await form.locator('[data-testid="licence-product"]').fill('GNU Bash support');
    await form.locator('[data-testid="licence-vendor"]').fill('GNU');
    await form.locator('[data-testid="licence-seats"]').fill('1');
    await form.locator('[data-testid="licence-key"]').fill(KEY);
    await form.locator('[data-testid="licence-expires"]').fill(inDays(200));
    await form.locator('[data-testid="licence-match-name"]').fill('bash');
    await form.locator('[data-testid="licence-match-exact"]').check();
    // The rule's preview asks the fleet search while typing: the one device has bash.
    await expect.poll(() => form.locator('[data-testid="licence-preview"]').textContent(), { timeout: 15_000 }).toContain('1 device');
    await form.locator('[data-testid="licence-save"]').click();

    const row = page.locator('[data-testid="licence-row"]', { hasText: 'GNU Bash support' });
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    expect(await row.locator('[data-testid="licence-seat-use"]').textContent()).toBe('1 / 1');
    expect(await row.locator('[data-testid="licence-compliance"]').getAttribute('data-status')).toBe('compliant');
    expect(await row.textContent()).toContain(`…${KEY.slice(-4)}`);

    // The detail lists the device using the seat, and reveals the key once, after asking.
    const detail = page.locator('[data-testid="licence-detail"]');
    await expect.poll(() => detail.locator('[data-testid="licence-device-row"]').allTextContents(), { timeout: 15_000 }).toEqual([expect.stringContaining(hostname)]);
    expect(await page.content()).not.toContain(KEY);
    await detail.locator('[data-testid="licence-reveal"]').click();
    const dialog = page.locator('[data-testid="licence-key-dialog"]');
    await dialog.locator('[data-testid="licence-reveal-confirm"]').click();
    await expect.poll(() => dialog.locator('[data-testid="licence-key-value"]').textContent(), { timeout: 15_000 }).toBe(KEY);
    await dialog.locator('[data-testid="licence-key-close"]').click();
    expect(await page.content()).not.toContain(KEY);
    const audit = await api<{ items: { action: string }[] }>(platform, 'GET', '/audit?limit=20');
    expect(audit.items.map((a) => a.action)).toContain('licence.key_reveal');
  });

  it('sets a manual warranty ending in 20 days on the device card and finds it under expiring', async () => {
    await page.goto(`${platform.url}/devices/${deviceId}`);
    const card = page.locator('[data-testid="warranty-card"]');
    await expect.poll(() => card.locator('[data-testid="warranty-coverage"]').textContent(), { timeout: 30_000 }).toContain('no warranty');
    await card.locator('[data-testid="warranty-edit"]').click();
    await card.locator('[data-testid="warranty-vendor"]').fill('Acme Care');
    await card.locator('[data-testid="warranty-end-input"]').fill(inDays(20));
    await card.locator('[data-testid="warranty-save"]').click();
    await expect.poll(() => card.locator('[data-testid="warranty-card-end-days"]').textContent(), { timeout: 15_000 }).toBe('20 d left');
    expect(await card.locator('[data-testid="warranty-entry"][data-source="manual"]').textContent()).toContain('Acme Care');

    // Asset facts sit beside it.
    await card.locator('[data-testid="asset-edit"]').click();
    await card.locator('[data-testid="asset-tag-input"]').fill('TAG-0042');
    await card.locator('[data-testid="asset-save"]').click();
    await expect.poll(() => card.locator('[data-testid="asset-tag"]').textContent(), { timeout: 15_000 }).toBe('TAG-0042');

    await page.getByRole('link', { name: 'Warranties', exact: true }).click();
    await page.click('[data-testid="warranty-tab-expiring"]');
    await page.waitForURL(/state=expiring/);
    const row = page.locator(`[data-testid="warranty-row"][data-device-id="${deviceId}"]`);
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    expect(await row.locator('[data-testid="warranty-end"]').textContent()).toContain(inDays(20));
    // Not expired, and no longer among the devices without a warranty.
    await page.click('[data-testid="warranty-tab-expired"]');
    await expect.poll(() => page.locator('[data-testid="warranties-empty"]').count(), { timeout: 15_000 }).toBe(1);
    await page.click('[data-testid="warranty-tab-none"]');
    await expect.poll(() => page.locator('[data-testid="warranties-empty"]').count(), { timeout: 15_000 }).toBe(1);
  });

  it('imports a CSV matched by the serial the inventory reports', async () => {
    const inv = await api<{ inventory: { hardware: { system: { serial: string | null } } } | null }>(platform, 'GET', `/devices/${deviceId}/inventory`);
    const reported = inv.inventory?.hardware.system.serial ?? null;
    // A machine without a readable serial (a container, a VM without DMI), or with one no CSV
    // may name (imports take letters, digits, space and . _ / -), cannot be matched: then the import
    // must say so for the serial it was given.
    const serial = reported && /^[A-Za-z0-9][A-Za-z0-9 ._/-]{0,63}$/.test(reported) ? reported : null;
    const csvSerial = serial ?? 'E2ENOSUCHSERIAL7';
    const end = inDays(400);
    await page.click('[data-testid="warranty-import-open"]');
    const dialog = page.locator('[data-testid="warranty-import"]');
    await dialog.locator('[data-testid="warranty-import-text"]').fill(`serial,vendor,start,end,description\n${csvSerial},Acme,${inDays(-10)},${end},Imported\nBADLINE1,Acme,,not-a-date,\n`);
    await dialog.locator('[data-testid="warranty-import-submit"]').click();
    const result = dialog.locator('[data-testid="warranty-import-result"]');
    await expect.poll(() => result.count(), { timeout: 15_000 }).toBe(1);
    // Only the third line (a date that is none) is refused, and the report says which line.
    expect(await result.locator('[data-testid="warranty-import-error"] td:first-child').allTextContents()).toEqual(['3']);
    if (serial) {
      expect(await result.locator('[data-testid="warranty-imported"]').textContent()).toBe('1');
      expect(await result.locator('[data-testid="warranty-unmatched-count"]').textContent()).toBe('0');
      const view = await api<{ coverageEnd: string; entries: { source: string }[] }>(platform, 'GET', `/devices/${deviceId}/warranty`);
      expect(view.coverageEnd).toBe(end);
      expect(view.entries.map((e) => e.source).sort()).toEqual(['csv', 'manual']);
    } else {
      expect(await result.locator('[data-testid="warranty-imported"]').textContent()).toBe('0');
      expect(await result.locator('[data-testid="warranty-unmatched"]').textContent()).toContain(csvSerial);
    }
    await page.keyboard.press('Escape');
  });
});
