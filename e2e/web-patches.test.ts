import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { api, type Platform } from './harness';
import { startWithAgent } from './pages';

// Patch scanning against the real agent's package manager on this machine: "Scan now" on the
// device's Patches tab runs a scan whose time the tab then shows (this machine may well be
// missing nothing: the scan happening is what is asserted, not a count), and the compliance
// page counts the device as scanned for its client, with the trend chart.

describe('patch scan and compliance in the dashboard', () => {
  let platform: Platform;
  let browser: Browser;
  let page: Page;
  let deviceId = '';
  let clientId = '';

  // A busy machine can take minutes to start wrangler dev and enroll the agent.
  beforeAll(async () => {
    ({ platform, browser, page, device: { id: deviceId, clientId } } = await startWithAgent(8852));
  }, 480_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });

  it('"Scan now" on the Patches tab scans the device and shows when', async () => {
    await page.goto(`${platform.url}/devices/${deviceId}/patches`);
    await page.fill('#email', platform.email);
    await page.fill('#password', platform.password);
    await page.click('button[type=submit]');
    await page.locator('[data-testid="patches-tab"] [data-testid="scan-now"]').waitFor({ timeout: 30_000 });
    const clickedAt = Date.now();
    await page.click('[data-testid="scan-now"]');
    await expect.poll(() => page.locator('[data-testid="scan-status"]').getAttribute('data-phase'), { timeout: 240_000, interval: 500 }).toBe('done');
    const time = page.locator('[data-testid="patch-scan-time"]');
    await expect.poll(async () => Number((await time.getAttribute('data-scanned-at')) || 0), { timeout: 30_000 }).toBeGreaterThanOrEqual(clickedAt - 2_000);
    expect(await time.textContent()).not.toBe('never');
    // The server holds it too.
    const stored = await api<{ scannedAt: number | null }>(platform, 'GET', `/devices/${deviceId}/patches`);
    expect(stored.scannedAt).toBeGreaterThanOrEqual(clickedAt - 2_000);
  });

  it('the compliance page shows the client with its one scanned device, and the trend chart', async () => {
    await page.goto(`${platform.url}/patches/compliance`);
    const row = page.locator(`[data-testid="compliance-row"][data-client-id="${clientId}"]`);
    await row.waitFor({ timeout: 30_000 });
    // Client, devices, scanned.
    expect((await row.locator('td').nth(1).textContent())?.trim()).toBe('1');
    expect((await row.locator('td').nth(2).textContent())?.trim()).toBe('1');
    expect(await page.locator('[data-testid="compliance-chart"]').count()).toBe(1);
  });
});
