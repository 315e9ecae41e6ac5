import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { api, launchBrowser, startPlatform, type Platform } from './harness';
import { SimAgent, type Device } from '../bench/sim/agent';
import { enrollDevices } from '../bench/sim/enroll';
import { forEachLimited } from '../bench/sim/pool';
import { hostnameOf } from '../bench/sim/synthetic';
import { CommandLog, Tally } from '../bench/sim/tally';

// The acceptance test: one library script on 52 devices (the real agent and 51
// simulated ones, one of them offline) ten at a time. The tenant-wide job waits for a
// second admin, who approves it in another browser; the progress bar passes 50 % with the
// offline device still pending; it connects, runs it late, and every row ends succeeded.
const SIMS = 51;
const LATE = SIMS - 1;
const SCRIPT = 'builtin_uptime-last-boot';
const ADMIN2 = { email: 'second@e2e.test', name: 'Second Admin', password: 'second-admin-pass', role: 'admin' };

async function onlineCount(p: Platform): Promise<number> {
  const { items } = await api<{ items: { status: string }[] }>(p, 'GET', '/devices?limit=1000');
  return items.filter((d) => d.status === 'online').length;
}

async function waitFor(what: string, ok: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function signIn(page: Page, p: Platform, url: string, email: string, password: string): Promise<void> {
  await page.goto(url);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
}

describe('a bulk job over 52 devices in the dashboard', () => {
  let platform: Platform;
  let browser: Browser;
  let page: Page;
  let approver: Page;
  let realHost = '';
  let jobUrl = '';
  const sims: SimAgent[] = [];
  let wsUrl = '';

  beforeAll(async () => {
    platform = await startPlatform(8832);
    platform.startAgent();
    await waitFor('the real agent', async () => (await onlineCount(platform)) === 1);
    realHost = (await api<{ items: { hostname: string }[] }>(platform, 'GET', '/devices')).items[0]!.hostname;

    const client = (await api<{ items: { id: string }[] }>(platform, 'GET', '/clients')).items[0]!;
    const site = (await api<{ items: { id: string }[] }>(platform, 'GET', `/sites?clientId=${client.id}`)).items[0]!;
    const { key } = await api<{ key: string }>(platform, 'POST', '/enrollment-keys', { name: 'simulated fleet', clientId: client.id, siteId: site.id, expiresInHours: 1 });
    const enrolled = await enrollDevices(platform.url, key, 0, SIMS, 8, Date.now() + 60_000);
    expect(enrolled.devices).toHaveLength(SIMS);
    wsUrl = `${platform.url.replace(/^http/, 'ws')}/agent/connect`;
    const tally = new Tally();
    const log = new CommandLog();
    for (const d of enrolled.devices) sims.push(new SimAgent(d as Device, wsUrl, tally, log));
    // All but the last: it stays offline until the job is half done.
    await forEachLimited(sims.slice(0, LATE), 10, (a) => a.connect(20_000).then(() => undefined));
    await waitFor('51 devices online', async () => (await onlineCount(platform)) === SIMS);

    await api(platform, 'POST', '/users', ADMIN2);
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
    approver = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
  });

  afterAll(async () => {
    for (const a of sims) a.close();
    await browser?.close();
    await platform?.close();
  });

  it('creates the job from the dashboard; a tenant-wide job waits for approval', async () => {
    await signIn(page, platform, `${platform.url}/jobs/new`, platform.email, platform.password);
    const form = page.locator('[data-testid="new-job-form"]');
    await expect.poll(() => form.locator(`[data-testid="job-script"] option[value="${SCRIPT}"]`).count(), { timeout: 30_000 }).toBe(1);
    await form.locator('[data-testid="job-script"]').selectOption(SCRIPT);
    await expect.poll(() => form.locator('[data-testid="param-MAX_DAYS"]').count()).toBe(1);
    await form.locator('[data-testid="target-all"]').check();
    await expect.poll(() => form.locator('[data-testid="preview-count"]').textContent(), { timeout: 15_000 }).toBe('52');
    expect(await form.locator('[data-testid="preview-online"]').textContent()).toBe('51');
    expect(await form.locator('[data-testid="preview-approval"]').count()).toBe(1);
    await form.locator('[data-testid="job-concurrency"]').fill('10');
    await form.locator('[data-testid="job-name"]').fill('Uptime everywhere');
    await form.locator('[data-testid="create-job"]').click();

    await page.waitForURL(/\/jobs\/job_/);
    jobUrl = page.url();
    await expect.poll(() => page.locator('[data-testid="job-status"]').textContent()).toBe('awaiting approval');
    // The requester cannot approve their own job, and is told why.
    expect(await page.locator('[data-testid="job-approve"]').isDisabled()).toBe(true);
    expect(await page.locator('[data-testid="approve-why"]').textContent()).toContain('a second person must approve');
    expect(await page.locator('[data-testid="job-progress"]').getAttribute('aria-valuenow')).toBe('0');
  });

  it('a second admin approves it in another browser; progress passes 50 % with the offline device pending', async () => {
    await signIn(approver, platform, jobUrl, ADMIN2.email, ADMIN2.password);
    await expect.poll(() => approver.locator('[data-testid="job-approve"]').isEnabled(), { timeout: 30_000 }).toBe(true);
    await approver.locator('[data-testid="job-approve"]').click();
    await expect.poll(() => approver.locator('[data-testid="job-approved-by"]').textContent()).toContain('Second Admin');

    // The requester's page follows the feed: running, then the bar moves.
    await expect.poll(() => page.locator('[data-testid="job-status"]').textContent(), { timeout: 15_000 }).not.toBe('awaiting approval');
    await expect
      .poll(async () => Number(await page.locator('[data-testid="job-progress"]').getAttribute('aria-valuenow')), { timeout: 90_000, interval: 200 })
      .toBeGreaterThanOrEqual(50);
    const late = page.locator(`[data-testid="job-device-row"][data-host="${hostnameOf(LATE)}"]`);
    await expect.poll(() => late.getAttribute('data-status'), { timeout: 15_000 }).toBe('pending');
    expect(Number(await page.locator('[data-testid="job-progress"]').getAttribute('aria-valuenow'))).toBeLessThan(100);
  });

  it('the late device connects and runs it; the bar reaches 100 % and every row succeeded', async () => {
    await sims[LATE]!.connect(20_000);
    await expect.poll(async () => page.locator('[data-testid="job-progress"]').getAttribute('aria-valuenow'), { timeout: 90_000 }).toBe('100');
    await expect.poll(() => page.locator('[data-testid="job-status"]').textContent(), { timeout: 15_000 }).toBe('completed');

    const rows = page.locator('[data-testid="job-device-row"]');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(52);
    await expect.poll(() => page.locator('[data-testid="job-device-row"][data-status="succeeded"]').count(), { timeout: 15_000 }).toBe(52);
    expect(await page.locator(`[data-testid="job-device-row"][data-host="${hostnameOf(LATE)}"]`).getAttribute('data-status')).toBe('succeeded');
    expect(await page.locator('[data-testid="job-counts"] [data-count="succeeded"]').textContent()).toBe('52 succeeded');

    // The real agent really ran the script: its own output, opened from its row.
    await page.locator(`[data-testid="job-device-row"][data-host="${realHost}"]`).click();
    const output = page.locator('[data-testid="job-command"] [data-testid="script-output"]');
    await expect.poll(() => output.textContent(), { timeout: 15_000 }).toContain('Last boot:');
    expect(await output.textContent()).toMatch(/Up \d+ days, \d+ hours, \d+ minutes/);
  });
});
