import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { api, launchBrowser, startPlatform, type Platform } from './harness';
import { ROOT, nodeBinary } from '../scripts/lib/platform';
import { run } from '../scripts/lib/processes';

// Groups and sites as an admin uses them: gather devices into a group from the Groups
// screen, filter the device list by it, add one from its own page, and move a device
// to another site (a refused move shows the API's reason).
const HOSTS = ['e2e-grp-alpha', 'e2e-grp-beta', 'e2e-grp-gamma'];
const deviceId = (i: number) => `dev_grp${i}`;

/** Three devices at one site, straight into the local D1: enrolling agents is not under test. */
async function seedDevices(p: Platform, clientId: string, siteId: string): Promise<void> {
  const me = await api<{ user: { tenantId: string } }>(p, 'GET', '/auth/me');
  const now = Date.now();
  const rows = HOSTS.map(
    (host, i) =>
      `('${deviceId(i)}', '${me.user.tenantId}', '${clientId}', '${siteId}', '${host}', 'linux', 'Ubuntu', '24.04', 'x64', '0.1.0', 'grp-hash-${i}', 'offline', ${now - i * 1000}, '["10.9.0.${i + 1}"]', ${now})`,
  );
  const file = join(p.stateDir, 'groups.sql');
  writeFileSync(
    file,
    'INSERT INTO devices (id, tenant_id, client_id, site_id, hostname, os_platform, os_name, os_version, arch, agent_version, token_hash, status, last_seen_at, ip_addresses, enrolled_at) VALUES\n' +
      rows.join(',\n') +
      ';',
  );
  await run(nodeBinary(), [join(ROOT, 'node_modules/.bin/wrangler'), 'd1', 'execute', 'DB', '--local', '--persist-to', p.stateDir, '--file', file], {
    cwd: ROOT,
    quiet: true,
    label: 'seed devices',
    env: { ...process.env, CI: '1' },
  });
}

const hostnames = (page: Page) => page.locator('[data-testid="device-row"] [data-testid="device-hostname"]').allTextContents();
const memberHostnames = (page: Page) => page.locator('[data-testid="member-row"] [data-testid="member-hostname"]').allTextContents();

describe('device groups and site moves in the dashboard', () => {
  let platform: Platform;
  let browser: Browser;
  let page: Page;
  let groupId = '';

  beforeAll(async () => {
    platform = await startPlatform(8793);
    const client = await api<{ id: string }>(platform, 'POST', '/clients', { name: 'Acme' });
    const hq = await api<{ id: string }>(platform, 'POST', '/sites', { clientId: client.id, name: 'HQ' });
    await api(platform, 'POST', '/sites', { clientId: client.id, name: 'Branch' });
    await seedDevices(platform, client.id, hq.id);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });

  it('creates a group and adds two devices picked from a search', async () => {
    // Sign-in lands on the fleet overview; asked for the device list, it returns there.
    await page.goto(`${platform.url}/devices`);
    await page.fill('#email', platform.email);
    await page.fill('#password', platform.password);
    await page.click('button[type=submit]');
    // The three seeded devices and the harness's enrolled one.
    await expect.poll(() => page.locator('[data-testid="device-count"]').textContent(), { timeout: 30_000 }).toBe('4 of 4');

    await page.getByRole('link', { name: 'Groups', exact: true }).click();
    await page.locator('[data-testid="create-group"] [data-testid="group-name"]').fill('Patch ring 1');
    await page.locator('[data-testid="create-group"] [data-testid="group-save"]').click();
    await page.waitForURL(/\/groups\/grp_/);
    groupId = page.url().split('/groups/')[1]!;
    await expect.poll(() => page.locator('[data-testid="group-title"]').textContent()).toBe('Patch ring 1');

    // From the keyboard: Enter picks the highlighted match, arrows move the highlight.
    await page.fill('[data-testid="member-search"]', 'e2e-grp');
    await expect.poll(() => page.locator('[data-testid="member-candidate"]').count()).toBe(3);
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[data-testid="picked-devices"] .chip').allTextContents()).toEqual(['e2e-grp-alpha×', 'e2e-grp-beta×']);
    await page.click('[data-testid="add-members-submit"]');

    await expect.poll(() => memberHostnames(page)).toEqual(['e2e-grp-alpha', 'e2e-grp-beta']);
    await expect.poll(() => page.locator('[data-testid="group-device-count"]').textContent()).toBe('2');
  });

  it('renames the group and gives it a description', async () => {
    await page.click('[data-testid="edit-group"]');
    await page.locator('[data-testid="edit-group-form"] [data-testid="group-name"]').fill('Patch ring A');
    await page.locator('[data-testid="edit-group-form"] [data-testid="group-description"]').fill('Early updates');
    await page.locator('[data-testid="edit-group-form"] [data-testid="group-save"]').click();
    await expect.poll(() => page.locator('[data-testid="group-title"]').textContent()).toBe('Patch ring A');
    await expect.poll(() => page.locator('[data-testid="groups-table"]').textContent()).toContain('Early updates');
  });

  it('filters the device list by the group', async () => {
    await page.getByRole('link', { name: 'Devices', exact: true }).click();
    await page.selectOption('[data-testid="filter-group"]', { label: 'Patch ring A' });
    await expect.poll(() => hostnames(page)).toEqual(['e2e-grp-alpha', 'e2e-grp-beta']);
    expect(await page.locator('[data-testid="device-count"]').textContent()).toBe('2 of 4');
  });

  it('moves a device to another site, and shows a refused move', async () => {
    await page.locator('[data-testid="device-row"]', { hasText: 'e2e-grp-alpha' }).click();
    await page.waitForURL(new RegExp(`/devices/${deviceId(0)}$`));
    await expect.poll(() => page.locator('[data-testid="device-site"]').textContent(), { timeout: 10_000 }).toBe('Acme / HQ');

    // A site deleted after it was offered: the API refuses, and the form says why.
    const acme = (await api<{ items: { id: string; name: string }[] }>(platform, 'GET', '/clients')).items.find((c) => c.name === 'Acme')!;
    const doomed = await api<{ id: string }>(platform, 'POST', '/sites', { clientId: acme.id, name: 'Doomed' });
    await page.click('[data-testid="move-device"]');
    await page.selectOption('[data-testid="move-site"]', { label: 'Doomed' });
    await api(platform, 'DELETE', `/sites/${doomed.id}`);
    await page.click('[data-testid="move-submit"]');
    await expect.poll(() => page.locator('[data-testid="device-placement"] .form-error').textContent()).toBe('site not found');

    await page.selectOption('[data-testid="move-site"]', { label: 'Branch' });
    await page.click('[data-testid="move-submit"]');
    await expect.poll(() => page.locator('[data-testid="device-site"]').textContent()).toBe('Acme / Branch');

    // The list agrees without a reload, and Back keeps its filter.
    await page.goBack();
    await page.waitForURL(/\/devices\?group=grp_/);
    const row = page.locator('[data-testid="device-row"]', { hasText: 'e2e-grp-alpha' });
    await expect.poll(() => row.locator('[role="gridcell"]').nth(3).textContent()).toBe('Branch');
  });

  it('adds a device to the group from its own page', async () => {
    await page.goto(`${platform.url}/devices/${deviceId(2)}`);
    await page.selectOption('[data-testid="add-to-group-select"]', { label: 'Patch ring A' });
    await page.click('[data-testid="add-to-group"]');
    await expect.poll(() => page.locator('.toast').allTextContents()).toContainEqual(expect.stringContaining('Added to Patch ring A'));
    const group = await api<{ deviceCount: number }>(platform, 'GET', `/groups/${groupId}`);
    expect(group.deviceCount).toBe(3);
  });

  it('shows a technician the groups but none of the admin actions', async () => {
    await api(platform, 'POST', '/users', { email: 'tech@e2e.test', name: 'Tech', password: 'technician-pass', role: 'technician' });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    try {
      const tech = await context.newPage();
      await tech.goto(`${platform.url}/groups/${groupId}`);
      await tech.fill('#email', 'tech@e2e.test');
      await tech.fill('#password', 'technician-pass');
      await tech.click('button[type=submit]');
      await expect.poll(() => memberHostnames(tech), { timeout: 10_000 }).toEqual(HOSTS);
      for (const id of ['create-group', 'edit-group', 'delete-group', 'add-members']) {
        expect(await tech.locator(`[data-testid="${id}"]`).count(), id).toBe(0);
      }
      expect(await tech.getByRole('button', { name: /^Remove / }).count()).toBe(0);

      // Technicians move devices; adding to groups is for admins.
      await tech.goto(`${platform.url}/devices/${deviceId(1)}`);
      await tech.locator('[data-testid="move-device"]').waitFor();
      await tech.waitForTimeout(500);
      expect(await tech.locator('[data-testid="add-to-group-select"]').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('removes a member, then deletes the group', async () => {
    await page.getByRole('link', { name: 'Groups', exact: true }).click();
    await expect.poll(() => memberHostnames(page), { timeout: 10_000 }).toEqual(HOSTS);
    await page.getByRole('button', { name: 'Remove e2e-grp-gamma from the group' }).click();
    await expect.poll(() => memberHostnames(page)).toEqual(['e2e-grp-alpha', 'e2e-grp-beta']);
    await expect.poll(() => page.locator('[data-testid="group-device-count"]').textContent()).toBe('2');

    page.once('dialog', (d) => void d.accept());
    await page.click('[data-testid="delete-group"]');
    await expect.poll(() => page.locator('[data-testid="groups-table"]').count()).toBe(0);
    expect((await api<{ items: unknown[] }>(platform, 'GET', '/groups')).items).toEqual([]);
    // The devices stay.
    expect((await api<{ items: unknown[] }>(platform, 'GET', '/devices')).items).toHaveLength(4);
  });
});
