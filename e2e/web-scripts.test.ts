import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { api, launchBrowser, startPlatform, type Platform } from './harness';
import { enrollDevices } from '../bench/sim/enroll';

// The script library as a technician uses it: a built-in opens read-only and highlighted,
// its copy is edited in CodeMirror and saved as version 2, the versions diff shows the new
// line, and a run on the real agent with a typed and a secret parameter shows the output
// with the secret masked, here and in the history.
const SECRET = 's3cret-Value-91';
const ADDED = 'echo "greeting=$PARAM_GREETING token=$PARAM_TOKEN"';

/** The real agent's hostname once its device shows online. */
async function onlineHostname(p: Platform): Promise<string> {
  for (let i = 0; i < 120; i++) {
    const d = (await api<{ items: { hostname: string; status: string }[] }>(p, 'GET', '/devices')).items.find((x) => x.status === 'online');
    if (d) return d.hostname;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the agent never came online');
}

describe('script library in the dashboard', () => {
  let platform: Platform;
  let browser: Browser;
  let page: Page;
  let hostname = '';
  let deviceId = '';

  beforeAll(async () => {
    platform = await startPlatform(8831);
    platform.startAgent();
    hostname = await onlineHostname(platform);
    deviceId = (await api<{ items: { id: string }[] }>(platform, 'GET', '/devices')).items[0]!.id;
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });

  it('opens a built-in script read-only, with its body highlighted', async () => {
    await page.goto(`${platform.url}/scripts?q=Uptime`);
    await page.fill('#email', platform.email);
    await page.fill('#password', platform.password);
    await page.click('button[type=submit]');
    const row = page.locator('[data-testid="script-row"]', { hasText: 'Uptime and last boot' });
    await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1);
    expect(await row.locator('[data-testid="builtin-badge"]').count()).toBe(1);
    await row.click();
    await page.waitForURL(/\/scripts\/builtin_uptime-last-boot$/);

    const content = page.locator('[data-testid="script-body"] .cm-content');
    await expect.poll(() => content.textContent(), { timeout: 15_000 }).toContain('PARAM_MAX_DAYS');
    // The shell mode tokenised the text: keywords, strings and variables sit in styled spans.
    await expect.poll(() => content.locator('.cm-line span[class]').count()).toBeGreaterThan(10);
    expect(await content.getAttribute('contenteditable')).toBe('false');
    expect(await page.locator('[data-testid="save-script"]').count()).toBe(0);
  });

  it('duplicates it, edits the body and parameters, and saves version 2', async () => {
    await page.click('[data-testid="duplicate-script"]');
    await page.waitForURL(/\/scripts\/scr_/);
    const content = page.locator('[data-testid="script-body"] .cm-content');
    await expect.poll(() => content.getAttribute('contenteditable')).toBe('true');
    expect(await page.locator('[data-testid="script-version"]').textContent()).toBe('v1');

    // A new last line, typed into the editor.
    await content.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText(ADDED);

    const rows = page.locator('[data-testid="param-row"]');
    await page.click('[data-testid="add-param"]');
    await page.click('[data-testid="add-param"]');
    await expect.poll(() => rows.count()).toBe(3);
    await rows.nth(1).locator('input[aria-label="Parameter name"]').fill('GREETING');
    await rows.nth(1).locator('input[aria-label="Parameter name"]').press('Tab');
    await rows.nth(2).locator('input[aria-label="Parameter name"]').fill('TOKEN');
    await rows.nth(2).locator('input[aria-label="Parameter name"]').press('Tab');
    await rows.nth(2).locator('select[aria-label="Parameter type"]').selectOption('secret');
    await page.fill('[data-testid="version-note"]', 'greets and takes a token');

    // Ctrl+S from inside the editor saves.
    await content.click();
    await page.keyboard.press('Control+s');
    await expect.poll(() => page.locator('[data-testid="script-version"]').textContent(), { timeout: 15_000 }).toBe('v2');
    await expect.poll(() => page.locator('[data-testid="script-body"] .cm-content').textContent()).toContain('greeting=$PARAM_GREETING');
  });

  it('shows the added line in the versions diff', async () => {
    await page.click('[data-testid="tab-versions"]');
    await expect.poll(() => page.locator('[data-testid="version-row"]').count(), { timeout: 15_000 }).toBe(2);
    const diff = page.locator('[data-testid="version-diff"]');
    await expect.poll(() => diff.locator('[data-diff="add"]').allTextContents()).toEqual([expect.stringContaining(ADDED)]);
    expect(await diff.locator('[data-diff="del"]').count()).toBe(0);
    // Side by side: the new line sits on the right, with nothing opposite.
    await page.getByRole('button', { name: 'Side by side' }).click();
    await expect.poll(() => diff.locator('td[data-diff="add"]').allTextContents()).toEqual([`+ ${ADDED}`]);
  });

  it('runs it on the real agent with a typed and a secret value; the secret is masked', async () => {
    await page.click('[data-testid="run-script-open"]');
    const dialog = page.locator('[data-testid="run-dialog"]');
    await dialog.locator('[data-testid="param-GREETING"]').fill('hello-e2e');
    await dialog.locator('[data-testid="param-TOKEN"]').fill(SECRET);
    expect(await dialog.locator('[data-testid="param-TOKEN"]').getAttribute('type')).toBe('password');
    await dialog.locator('[data-testid="run-device"]').fill(hostname);
    await dialog.locator('[data-testid="run-device"]').press('Enter');
    await expect.poll(() => dialog.locator('[data-testid="run-device-chosen"]').count()).toBe(1);
    await dialog.locator('[data-testid="run-submit"]').click();

    const result = dialog.locator('[data-testid="run-result"]');
    await expect.poll(() => result.locator('[data-testid="command-status"]').textContent(), { timeout: 60_000 }).toBe('succeeded');
    await expect.poll(() => result.locator('[data-testid="script-output"]').textContent()).toContain('greeting=hello-e2e token=******');
    expect(await result.locator('[data-testid="script-output"]').textContent()).not.toContain(SECRET);
    await page.keyboard.press('Escape');
  });

  it('keeps the secret out of the history', async () => {
    await page.getByRole('link', { name: 'History', exact: true }).click();
    const row = page.locator('[data-testid="history-row"]', { hasText: 'Uptime and last boot' });
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    await row.click();
    const detail = page.locator('[data-testid="history-detail"]');
    await expect.poll(() => detail.locator('[data-testid="script-output"]').textContent(), { timeout: 15_000 }).toContain('token=******');
    await detail.locator('summary', { hasText: 'Parameters' }).click();
    await expect.poll(() => detail.locator('[data-testid="history-params"]').textContent()).toContain('******');
    expect(await page.content()).not.toContain(SECRET);
    // The search finds it by the script's name.
    await page.fill('[data-testid="history-search"]', 'Uptime');
    await expect.poll(() => page.locator('[data-testid="history-row"]').count()).toBe(1);
  });

  it('runs a library script from the device page, with its typed form', async () => {
    await page.goto(`${platform.url}/devices/${deviceId}`);
    await page.click('[data-testid="mode-library"]');
    const runner = page.locator('[data-testid="library-runner"]');
    const copy = runner.locator('[data-testid="library-script"] option', { hasText: '(custom)' });
    await expect.poll(() => copy.count(), { timeout: 15_000 }).toBe(1);
    await runner.locator('[data-testid="library-script"]').selectOption({ value: (await copy.getAttribute('value'))! });
    // A required-less number with bounds, a text and a secret: the typed form of version 2.
    expect(await runner.locator('[data-testid="param-MAX_DAYS"]').getAttribute('type')).toBe('number');
    await runner.locator('[data-testid="param-GREETING"]').fill('from-device-page');
    await runner.locator('[data-testid="param-TOKEN"]').fill(SECRET);
    await runner.locator('[data-testid="param-TOKEN"]').press('Control+Enter');
    await expect.poll(() => page.locator('[data-testid="command-status"]').first().textContent(), { timeout: 60_000 }).toBe('succeeded');
    await expect.poll(() => page.locator('[data-testid="script-output"]').first().textContent()).toContain('greeting=from-device-page token=******');
  });

  it('lists processes from the device and fetches a file as a download', async () => {
    await page.click('[data-testid="tab-processes"]');
    await page.click('[data-testid="refresh-processes"]');
    const fresh = page.locator('[data-testid="fresh-processes"]');
    await expect.poll(() => fresh.locator('[data-testid="process-list-row"]').count(), { timeout: 60_000 }).toBeGreaterThan(3);
    // The agent itself is a node process, and each row offers End process.
    await expect.poll(() => fresh.locator('[data-testid="process-list-row"]', { hasText: 'node' }).count()).toBeGreaterThan(0);
    expect(await fresh.getByRole('button', { name: /^End / }).count()).toBeGreaterThan(3);

    const file = join(platform.stateDir, 'fetch-me.txt');
    writeFileSync(file, 'fetched by the dashboard\n');
    await page.click('[data-testid="tab-actions"]');
    await page.fill('[data-testid="fetch-path"]', file);
    await page.click('[data-testid="fetch-file"]');
    const link = page.locator('[data-testid="fetched-file-download"]');
    await expect.poll(() => link.count(), { timeout: 60_000 }).toBe(1);
    const res = await page.request.get(`${platform.url}${await link.getAttribute('href')}`);
    expect(res.status()).toBe(200);
    expect(await res.text()).toBe('fetched by the dashboard\n');

    // Power asks first; Escape leaves the machine alone and sends nothing.
    const before = (await api<{ items: unknown[] }>(platform, 'GET', `/devices/${deviceId}/commands`)).items.length;
    await page.click('[data-testid="power-reboot"]');
    await expect.poll(() => page.locator('[data-testid="power-dialog"]').isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('[data-testid="power-dialog"]').isVisible()).toBe(false);
    expect((await api<{ items: unknown[] }>(platform, 'GET', `/devices/${deviceId}/commands`)).items.length).toBe(before);
  });

  it('queues a reboot for an offline device and cancels it before it is sent', async () => {
    const client = (await api<{ items: { id: string }[] }>(platform, 'GET', '/clients')).items[0]!;
    const site = (await api<{ items: { id: string }[] }>(platform, 'GET', `/sites?clientId=${client.id}`)).items[0]!;
    const { key } = await api<{ key: string }>(platform, 'POST', '/enrollment-keys', { name: 'offline one', clientId: client.id, siteId: site.id, expiresInHours: 1 });
    const [offline] = (await enrollDevices(platform.url, key, 0, 1, 1, Date.now() + 30_000)).devices;
    await page.goto(`${platform.url}/devices/${offline!.deviceId}/actions`);
    await page.click('[data-testid="power-reboot"]');
    await page.click('[data-testid="power-confirm"]');
    const cancel = page.locator('[data-testid="command-cancel"]');
    await expect.poll(() => cancel.count(), { timeout: 30_000 }).toBe(1);
    await cancel.click();
    await expect.poll(() => page.locator('[data-testid="command-status"]').first().textContent(), { timeout: 30_000 }).toBe('cancelled');
    const [cmd] = (await api<{ items: { type: string; status: string }[] }>(platform, 'GET', `/devices/${offline!.deviceId}/commands`)).items;
    expect(cmd).toMatchObject({ type: 'power', status: 'cancelled' });
  });
});
