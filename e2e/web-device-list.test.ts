import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { api, launchBrowser, startPlatform, type Platform } from './harness';
import { ROOT, nodeBinary } from '../scripts/lib/platform';
import { run } from '../scripts/lib/processes';

// The device list at MSP scale: 10,000 rows fetched page by page, virtualized, searchable
// from the keyboard, and agent-reported text shown as text.
const FLEET = 10_000;
const HOSTILE = '<img src=x onerror="window.__pwned=1">';

/** Rows go straight into the local D1: enrolling 10,000 real agents is the benchmark's job. */
async function seedFleet(p: Platform): Promise<void> {
  const me = await api<{ user: { tenantId: string } }>(p, 'GET', '/auth/me');
  const client = await api<{ id: string }>(p, 'POST', '/clients', { name: 'Seeded Fleet' });
  const site = await api<{ id: string }>(p, 'POST', '/sites', { clientId: client.id, name: 'Rack A' });
  const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const now = Date.now();
  const rows: string[] = [];
  for (let i = 0; i < FLEET; i++) {
    const host = i === 4242 ? HOSTILE : `fleet-${String(i).padStart(5, '0')}`;
    const online = i % 2 === 0 ? 'online' : 'offline';
    rows.push(
      `(${q(`dev_seed${i}`)}, ${q(me.user.tenantId)}, ${q(client.id)}, ${q(site.id)}, ${q(host)}, 'linux', 'Ubuntu', '24.04', 'x64', '0.1.0', ${q(`seed-hash-${i}`)}, '${online}', ${now - i * 1000}, '["10.${(i >> 8) & 255}.${i & 255}.1"]', ${now})`,
    );
  }
  const sql: string[] = [];
  for (let i = 0; i < rows.length; i += 250) {
    sql.push(
      'INSERT INTO devices (id, tenant_id, client_id, site_id, hostname, os_platform, os_name, os_version, arch, agent_version, token_hash, status, last_seen_at, ip_addresses, enrolled_at) VALUES\n' +
        rows.slice(i, i + 250).join(',\n') +
        ';',
    );
  }
  const file = join(p.stateDir, 'fleet.sql');
  writeFileSync(file, sql.join('\n'));
  await run(nodeBinary(), [join(ROOT, 'node_modules/.bin/wrangler'), 'd1', 'execute', 'DB', '--local', '--persist-to', p.stateDir, '--file', file], {
    cwd: ROOT,
    quiet: true,
    label: 'seed devices',
    env: { ...process.env, CI: '1' },
  });
}

const rowCount = (page: Page) => page.locator('[data-testid="device-row"]').count();
const hostnames = (page: Page) => page.locator('[data-testid="device-row"] [data-testid="device-hostname"]').allTextContents();

describe('device list at fleet scale', () => {
  let platform: Platform;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    platform = await startPlatform(8792);
    await seedFleet(platform);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('dialog', (d) => void d.dismiss());
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });

  it('loads every page of devices but renders only the visible window', async () => {
    // Sign-in lands on the fleet overview; asked for the device list, it returns there.
    await page.goto(`${platform.url}/devices`);
    await page.fill('#email', platform.email);
    await page.fill('#password', platform.password);
    await page.click('button[type=submit]');
    const total = (FLEET + 1).toLocaleString();
    await expect
      .poll(() => page.locator('[data-testid="device-count"]').textContent(), { timeout: 60_000 })
      .toBe(`${total} of ${total}`);
    expect(await rowCount(page)).toBeLessThan(100);
  });

  it('scrolls to the end of the list', async () => {
    await page.locator('.grid-body').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect.poll(async () => (await hostnames(page)).includes('fleet-09999'), { timeout: 5_000 }).toBe(true);
    expect(await rowCount(page)).toBeLessThan(100);
  });

  it('searches with / and opens the selection with Enter', async () => {
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('/');
    await page.keyboard.type('fleet-0123');
    await expect.poll(() => hostnames(page), { timeout: 5_000 }).toEqual(['fleet-01230', 'fleet-01231', 'fleet-01232', 'fleet-01233', 'fleet-01234', 'fleet-01235', 'fleet-01236', 'fleet-01237', 'fleet-01238', 'fleet-01239']);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/devices\/dev_seed1232$/);
    await expect.poll(() => page.locator('.facts dd').first().textContent()).toBe('fleet-01232');
    await page.goBack();
  });

  it('filters by status and sorts by hostname descending', async () => {
    await page.fill('[data-testid="device-search"]', 'fleet-');
    await page.selectOption('[data-testid="filter-status"]', 'offline');
    await expect.poll(async () => new Set(await page.locator('[data-testid="device-row"] [data-testid="device-status"]').allTextContents())).toEqual(new Set(['offline']));
    // Hostname ascending is the default; one click flips it.
    await page.getByRole('button', { name: 'Hostname' }).click();
    await expect.poll(async () => (await hostnames(page))[0]).toBe('fleet-09999');
  });

  it('shows an agent-reported hostname as text, never as markup', async () => {
    await page.selectOption('[data-testid="filter-status"]', '');
    await page.fill('[data-testid="device-search"]', 'onerror');
    await expect.poll(() => hostnames(page)).toEqual([HOSTILE]);
    expect(await page.locator('.grid img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });
});
