import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { api, launchBrowser, startPlatform, type Platform } from './harness';
import { waitFor } from '../scripts/lib/platform';

// Monitoring as a technician meets it: a check set assigned to the whole tenant opens an
// alert on the real agent's machine, the open Alerts page shows it without a reload, and
// it is selected and acknowledged from the keyboard alone, note included.

const rows = (page: Page) => page.locator('[data-testid="alert-row"]');

describe('alerts in the dashboard', () => {
  let platform: Platform;
  let browser: Browser;
  let page: Page;
  let deviceId = '';
  let alertId = '';
  const cspViolations: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    platform = await startPlatform(8795);
    platform.startAgent();
    // The check is judged on the agent's samples: wait until it is connected and reporting.
    await waitFor(async () => {
      const online = (await api<{ items: { id: string; status: string }[] }>(platform, 'GET', '/devices')).items.find((d) => d.status === 'online');
      deviceId = online?.id ?? '';
      return !!online;
    }, 60_000);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
    });
    page.on('pageerror', (err) => pageErrors.push(String(err)));
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });

  it('lands on the fleet overview after signing in', async () => {
    await page.goto(platform.url);
    await page.fill('#email', platform.email);
    await page.fill('#password', platform.password);
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('[data-testid="fleet-online"]').textContent(), { timeout: 30_000 }).toBe('1');
    await expect.poll(() => page.locator('[data-testid="fleet-critical"]').textContent(), { timeout: 10_000 }).toBe('0');
  });

  it('shows a new alert live on the open alerts page, without a reload', async () => {
    await page.getByRole('link', { name: 'Alerts', exact: true }).click();
    await page.locator('[data-testid="alerts-empty"]').waitFor({ timeout: 15_000 });
    // Survives only if the page is never reloaded.
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));

    // Memory in use above 0 %: true on every machine that reports memory.
    const set = await api<{ id: string }>(platform, 'POST', '/check-sets', {
      name: 'E2E always breached',
      checks: [{ type: 'metric', key: 'mem-any', name: 'Memory in use', severity: 'critical', metric: 'memory', op: 'above', threshold: 0 }],
    });
    await api(platform, 'POST', '/check-set-assignments', { checkSetId: set.id, scopeType: 'tenant' });

    await expect.poll(() => rows(page).count(), { timeout: 90_000, interval: 250 }).toBe(1);
    const row = rows(page).first();
    alertId = (await row.getAttribute('data-alert-id'))!;
    expect(await row.locator('[data-testid="alert-status"]').textContent()).toBe('open');
    expect(await row.locator('[data-testid="alert-message"]').textContent()).toContain('Memory in use');
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    // The nav badge counts it too.
    await expect.poll(() => page.locator('[data-testid="nav-alert-count"]').textContent(), { timeout: 10_000 }).toBe('1');
  });

  it('selects and acknowledges it from the keyboard, with a note', async () => {
    await page.keyboard.press('x');
    await expect.poll(() => page.locator('[data-testid="bulk-bar"]').textContent()).toContain('1 selected');
    await page.keyboard.press('a');
    const note = page.locator('[data-testid="alert-note"]');
    await note.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('alert-note');
    await page.keyboard.type('looking into it');
    await page.keyboard.press('Enter');

    await expect.poll(() => rows(page).first().locator('[data-testid="alert-status"]').textContent(), { timeout: 15_000 }).toBe('acknowledged');
    // The live frame can beat the action's own answer, which is what closes the dialog.
    await expect.poll(() => page.locator('[data-testid="alert-action-dialog"]').isVisible(), { timeout: 5_000 }).toBe(false);
    await expect.poll(() => page.locator('[data-testid="bulk-bar"]').count(), { timeout: 5_000 }).toBe(0);
    await expect.poll(() => page.locator('[data-testid="nav-alert-count"]').count(), { timeout: 10_000 }).toBe(0);

    const detail = await api<{ alert: { status: string }; events: { kind: string; detail: { note?: string } | null }[] }>(platform, 'GET', `/alerts/${alertId}`);
    expect(detail.alert.status).toBe('acknowledged');
    expect(detail.events.find((e) => e.kind === 'acknowledged')?.detail?.note).toBe('looking into it');
  });

  it('opens the alert with Enter and shows its history', async () => {
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/alerts/${alertId}`));
    const history = page.locator('[data-testid="alert-history"]');
    await expect.poll(() => history.textContent(), { timeout: 10_000 }).toContain('Note: looking into it');
    expect(await history.textContent()).toContain('Opened');
    expect(await page.locator('[data-testid="drawer-status"]').textContent()).toBe('acknowledged');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('[data-testid="alert-drawer"]').count()).toBe(0);
  });

  it('shows the breached check and the metrics on the device page', async () => {
    await page.goto(`${platform.url}/devices/${deviceId}/checks`);
    const check = page.locator('[data-testid="device-check-row"]', { hasText: 'Memory in use' });
    await expect.poll(() => check.locator('[data-testid="check-state"]').textContent(), { timeout: 20_000 }).toBe('breach');

    await page.getByRole('link', { name: 'Metrics', exact: true }).click();
    await page.locator('[data-testid="chart-cpu"] canvas').waitFor({ timeout: 15_000 });
    await page.click('[data-testid="range-1h"]');
    await expect.poll(() => page.locator('[data-testid="range-alerts"]').textContent(), { timeout: 15_000 }).toContain('Memory in use');

    await page.getByRole('link', { name: 'Processes', exact: true }).click();
    await page.locator('[data-testid="processes-table"], .empty').first().waitFor({ timeout: 15_000 });
  });

  it('renders the configuration screens within the Content-Security-Policy', async () => {
    await page.getByRole('link', { name: 'Check sets', exact: true }).click();
    await page.locator('[data-testid="set-row"]', { hasText: 'E2E always breached' }).getByRole('link').click();
    await expect.poll(() => page.locator('[data-testid="assignments-table"]').textContent(), { timeout: 10_000 }).toContain('Every device');
    await page.getByRole('link', { name: 'Maintenance', exact: true }).click();
    await page.locator('[data-testid="new-window"]').waitFor();
    await page.getByRole('link', { name: 'Escalation', exact: true }).click();
    await page.locator('[data-testid="new-policy"]').waitFor();
    await page.getByRole('link', { name: 'Overview', exact: true }).click();
    await expect.poll(() => page.locator('[data-testid="recent-alerts"]').textContent(), { timeout: 10_000 }).toContain('Memory in use');

    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
