import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { api, launchBrowser, startPlatform, type Platform } from './harness';

// The client portal as a client's employee meets it: signed in by the MSP, they see their own
// company's devices and tickets only, open a ticket, follow support's public replies (never the
// internal notes) and answer; the staff dashboard and other clients' tickets stay out of reach.

interface Detail {
  ticket: { id: string; status: string; priority: string; deviceId: string | null; clientId: string };
  comments: { body: string; internal: boolean; authorKind: string }[];
}

const WAIT = { timeout: 15_000, interval: 200 };
const POLL_MS = 20_000;
const PORTAL_EMAIL = 'dana@acme.test';
const PORTAL_PASSWORD = 'portal-password-123';
const TITLE = 'Scanner <b>offline</b> at reception';
const INTERNAL = 'Spooler on the print server is wedged; restart it after 6 pm';
const PUBLIC_REPLY = 'Thanks Dana, we are looking at it now.';

describe('client portal', () => {
  let platform: Platform;
  let browser: Browser;
  let staff: BrowserContext;
  let portal: BrowserContext;
  let page: Page;
  let clientA = '';
  let deviceId = '';
  let hostname = '';
  let staffTicketA = '';
  let ticketB = '';
  let ticketId = '';
  const pageErrors: string[] = [];

  beforeAll(async () => {
    platform = await startPlatform(8812);
    platform.startAgent();
    browser = await launchBrowser();

    // Two clients; the real agent's machine moves to client A.
    clientA = (await api<{ id: string }>(platform, 'POST', '/clients', { name: 'Acme Dental' })).id;
    const clientB = (await api<{ id: string }>(platform, 'POST', '/clients', { name: 'Bravo Freight' })).id;
    const siteA = (await api<{ id: string }>(platform, 'POST', '/sites', { clientId: clientA, name: 'Front office' })).id;
    const device = (await api<{ items: { id: string; hostname: string }[] }>(platform, 'GET', '/devices')).items[0]!;
    deviceId = device.id;
    hostname = device.hostname;
    await api(platform, 'PATCH', `/devices/${deviceId}`, { siteId: siteA });
    ticketB = (await api<{ id: string }>(platform, 'POST', '/tickets', { clientId: clientB, title: 'Bravo warehouse Wi-Fi', description: 'B only' })).id;
    staffTicketA = (await api<{ id: string }>(platform, 'POST', '/tickets', { clientId: clientA, title: 'Quarterly patch window', description: 'Planned by the MSP' })).id;

    staff = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    portal = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    // The portal polls every 20 s; the test moves the page's clock instead of waiting.
    await portal.clock.install();
    page = await portal.newPage();
    page.on('pageerror', (err) => pageErrors.push(String(err)));
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });

  it('an admin creates a portal user for exactly one client on the Access page', async () => {
    const admin = await staff.newPage();
    await admin.goto(`${platform.url}/access`);
    await admin.fill('#email', platform.email);
    await admin.fill('#password', platform.password);
    await admin.click('button[type=submit]');
    const users = admin.locator('section.panel', { has: admin.getByRole('heading', { name: 'Users' }) });
    await users.getByRole('button', { name: 'New user' }).click(WAIT);
    await users.getByLabel('Name').fill('Dana Acme');
    await users.getByLabel('Email').fill(PORTAL_EMAIL);
    await users.getByLabel('Initial password (12+ characters)').fill(PORTAL_PASSWORD);
    await users.locator('[data-testid="user-role"]').selectOption({ label: 'Client portal' });
    // A portal user without a client cannot be submitted.
    const create = users.locator('[data-testid="user-create"]');
    expect(await create.isDisabled()).toBe(true);
    await users.locator('[data-testid="user-portal-client"]').selectOption({ label: 'Acme Dental' });
    await create.click();
    const row = users.locator('tr', { hasText: PORTAL_EMAIL });
    await row.waitFor(WAIT);
    expect(await row.textContent()).toContain('Client portal');
    expect(await row.textContent()).toContain('Acme Dental');

    const listed = await api<{ items: { email: string; role: string; clientIds: string[] | null }[] }>(platform, 'GET', '/users');
    expect(listed.items.find((u) => u.email === PORTAL_EMAIL)).toMatchObject({ role: 'client', clientIds: [clientA] });

    // Staff have no business in the portal: its address sends them home.
    await admin.goto(`${platform.url}/portal`);
    await admin.waitForURL(`${platform.url}/`, WAIT);
    await admin.close();
  });

  it('the portal user signs in, lands on /portal and sees their client’s device', async () => {
    await page.goto(platform.url);
    await page.fill('#email', PORTAL_EMAIL);
    await page.fill('#password', PORTAL_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(`${platform.url}/portal`, WAIT);
    await expect.poll(() => page.locator('[data-testid="portal-client-name"]').textContent(), WAIT).toBe('Acme Dental');
    // No staff frame: no sidebar, no live feed.
    expect(await page.locator('nav.sidenav').count()).toBe(0);
    // The MSP's own ticket for this client is listed, the other client's is not.
    const rows = page.locator('[data-testid="portal-ticket-row"]');
    await expect.poll(() => rows.count(), WAIT).toBe(1);
    expect(await rows.first().getAttribute('data-ticket-id')).toBe(staffTicketA);

    await page.click('[data-testid="portal-nav-devices"]');
    const device = page.locator('[data-testid="portal-device-row"]');
    await expect.poll(() => device.count(), WAIT).toBe(1);
    expect(await device.getAttribute('data-device-id')).toBe(deviceId);
    expect(await device.locator('[data-testid="portal-device-name"]').textContent()).toBe(hostname);
    expect(await device.textContent()).toContain('Front office');
    await expect.poll(() => device.locator('[data-testid="portal-device-status"]').textContent(), WAIT).toBe('online');
  });

  it('opens a ticket with the form, field errors first, and finds it in the list', async () => {
    await page.click('[data-testid="portal-nav-new"]');
    await page.click('[data-testid="portal-new-submit"]');
    // The server's issues land under the fields they name.
    const form = page.locator('[data-testid="portal-new-ticket-form"]');
    await expect.poll(() => form.locator('.field-error').count(), WAIT).toBe(2);
    expect(page.url()).toMatch(/\/portal\/new$/);

    await page.fill('[data-testid="portal-new-title"]', TITLE);
    await page.fill('[data-testid="portal-new-description"]', 'It shows a red light.\nSince this morning.');
    await page.selectOption('[data-testid="portal-new-priority"]', 'high');
    await expect.poll(() => page.locator('[data-testid="portal-new-device"] option').count(), WAIT).toBe(2);
    await page.selectOption('[data-testid="portal-new-device"]', deviceId);
    await page.click('[data-testid="portal-new-submit"]');
    await page.waitForURL(/\/portal\/tickets\/tkt_/, WAIT);
    ticketId = new URL(page.url()).pathname.split('/').pop()!;
    // User text is text: the markup shows as typed.
    await expect.poll(() => page.locator('[data-testid="portal-ticket-page-title"]').textContent(), WAIT).toBe(TITLE);
    expect(await page.locator('[data-testid="portal-ticket-heading"] b').count()).toBe(0);

    const d = await api<Detail>(platform, 'GET', `/tickets/${ticketId}`);
    expect(d.ticket).toMatchObject({ priority: 'high', deviceId, clientId: clientA, status: 'new' });

    await page.click('[data-testid="portal-nav-tickets"]');
    const mine = page.locator('[data-testid="portal-ticket-row"]', { hasText: 'Scanner' });
    await mine.waitFor(WAIT);
    expect(await mine.locator('[data-testid="portal-ticket-priority"]').textContent()).toBe('high');
    expect(await mine.locator('[data-testid="portal-ticket-status"]').textContent()).toBe('new');
    // "Only tickets I opened" hides the one the MSP opened.
    await page.check('[data-testid="portal-only-mine"]');
    const rows = page.locator('[data-testid="portal-ticket-row"]');
    await expect.poll(() => rows.count(), WAIT).toBe(1);
    expect(await rows.first().getAttribute('data-ticket-id')).toBe(ticketId);
    expect(page.url()).toContain('mine=true');
  });

  it('shows support’s public reply after a poll, never the internal note, and sends a reply', async () => {
    // From the keyboard: j/k move, Enter opens.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/portal/tickets/${ticketId}$`), WAIT);
    const comments = page.locator('[data-testid="portal-comment"]');
    await page.locator('[data-testid="portal-thread"]').waitFor(WAIT);
    expect(await comments.count()).toBe(0);

    await api(platform, 'POST', `/tickets/${ticketId}/comments`, { body: INTERNAL, internal: true });
    await api(platform, 'POST', `/tickets/${ticketId}/comments`, { body: PUBLIC_REPLY });
    await page.clock.fastForward(POLL_MS);
    await expect.poll(() => comments.count(), WAIT).toBe(1);
    expect(await comments.first().getAttribute('data-from')).toBe('support');
    expect(await comments.first().locator('[data-testid="portal-comment-body"]').textContent()).toBe(PUBLIC_REPLY);
    expect(await page.content()).not.toContain('Spooler');

    await page.fill('[data-testid="portal-reply-body"]', 'Great, I will be at the desk until 5.');
    await page.click('[data-testid="portal-reply-submit"]');
    await expect.poll(() => comments.count(), WAIT).toBe(2);
    expect(await comments.nth(1).getAttribute('data-from')).toBe('client');
    expect(await page.locator('[data-testid="portal-reply-body"]').inputValue()).toBe('');

    const d = await api<Detail>(platform, 'GET', `/tickets/${ticketId}`);
    expect(d.comments.map((c) => [c.body, c.internal])).toEqual([
      [INTERNAL, true],
      [PUBLIC_REPLY, false],
      ['Great, I will be at the desk until 5.', false],
    ]);
  });

  it('a ticket closed meanwhile refuses the reply and says to open a new one', async () => {
    await api(platform, 'PATCH', `/tickets/${ticketId}`, { status: 'closed' });
    // The page has not polled yet: the reply goes out and the server answers 409.
    await page.fill('[data-testid="portal-reply-body"]', 'One more thing…');
    await page.click('[data-testid="portal-reply-submit"]');
    await page.locator('[data-testid="portal-ticket-closed"]').waitFor(WAIT);
    expect(await page.locator('[data-testid="portal-ticket-closed"]').textContent()).toContain('Open a new ticket');
    await expect.poll(() => page.locator('[data-testid="portal-ticket-page-status"]').textContent(), WAIT).toBe('closed');
    expect(await page.locator('[data-testid="portal-reply-form"]').count()).toBe(0);
  });

  it('sends staff addresses to /portal and answers another client’s ticket as not found', async () => {
    await page.goto(`${platform.url}/devices`);
    await page.waitForURL(`${platform.url}/portal`, WAIT);
    await page.locator('[data-testid="portal-ticket-row"]').first().waitFor(WAIT);

    await page.goto(`${platform.url}/portal/tickets/${ticketB}`);
    await page.locator('[data-testid="portal-ticket-not-found"]').waitFor(WAIT);
    expect(await page.content()).not.toContain('Bravo warehouse');

    // The closed ticket sits under "Done", not "Open".
    await page.goto(`${platform.url}/portal?state=done`);
    const rows = page.locator('[data-testid="portal-ticket-row"]');
    await expect.poll(() => rows.count(), WAIT).toBe(1);
    expect(await rows.first().getAttribute('data-ticket-id')).toBe(ticketId);

    expect(pageErrors).toEqual([]);
  });
});
