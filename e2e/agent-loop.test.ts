import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { hostname } from 'node:os';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startPlatform, type Platform } from './harness';

// The foundation loop, as a technician sees it: log in, find this machine online, run a
// script on it and read the output, then watch it go offline when its agent stops.
describe('agent loop in the dashboard', () => {
  let platform: Platform;
  let browser: Browser;
  let page: Page;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    platform = await startPlatform(8791);
    platform.startAgent();
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });

  it('logs in and shows this machine online with its real hostname', async () => {
    // Sign-in lands on the fleet overview; asked for the device list, it returns there.
    const res = await page.goto(`${platform.url}/devices`);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.fill('#email', platform.email);
    await page.fill('#password', platform.password);
    await page.click('button[type=submit]');
    const row = page.locator('[data-testid="device-row"]', {
      has: page.locator('[data-testid="device-hostname"]', { hasText: hostname() }),
    });
    await row.first().waitFor({ timeout: 30_000 });
    await expect
      .poll(() => row.first().locator('[data-testid="device-status"]').textContent(), { timeout: 30_000 })
      .toBe('online');
  });

  it('runs uname -a on the machine and shows its output', async () => {
    await page.locator('[data-testid="device-row"]').first().click();
    await page.locator('[data-testid="device-status"]').waitFor();
    await page.selectOption('[data-testid="script-interpreter"]', 'bash');
    await page.fill('[data-testid="script-editor"]', 'uname -a');
    await page.click('[data-testid="run-script"]');
    const expected = execFileSync('uname', ['-a'], { encoding: 'utf8' }).trim();
    await expect
      .poll(() => page.locator('[data-testid="command-status"]').textContent(), { timeout: 30_000 })
      .toBe('succeeded');
    const output = await page.locator('[data-testid="script-output"]').textContent();
    expect(output).toContain(expected);
  });

  it('turns the device offline in the open page when the agent stops', async () => {
    await expect.poll(() => page.locator('[data-testid="device-status"]').first().textContent(), { timeout: 10_000 }).toBe('online');
    await platform.stopAgent();
    await expect
      .poll(() => page.locator('[data-testid="device-status"]').first().textContent(), { timeout: 30_000 })
      .toBe('offline');
    // And the list agrees, without a reload of the app.
    await page.goBack();
    await expect
      .poll(() => page.locator('[data-testid="device-row"] [data-testid="device-status"]').first().textContent(), { timeout: 15_000 })
      .toBe('offline');
    // The dashboard works entirely within its Content-Security-Policy.
    expect(cspViolations).toEqual([]);
  });
});
