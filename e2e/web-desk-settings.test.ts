import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { api, launchBrowser, startPlatform, type Platform } from './harness';
import { startReceiver, type Receiver } from './receiver';

// The service desk's settings as an admin meets them: a business calendar and an SLA policy
// made in the SLA page, a notification policy routing new tickets to a webhook, and a
// ticket's description and back-dated time worked on its page.

interface Ticket {
  id: string;
  title: string;
  description: string;
  createdAt: number;
  slaPolicyId: string | null;
  firstResponseDueAt: number | null;
  resolutionDueAt: number | null;
}
interface Detail {
  ticket: Ticket;
  timeEntries: { minutes: number; note: string; workedAt: number }[];
}

const WAIT = { timeout: 30_000, interval: 250 };
const DAY = 86_400_000;
const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('service desk settings in the dashboard', () => {
  let platform: Platform;
  let browser: Browser;
  let page: Page;
  let receiver: Receiver;
  let clientId = '';
  let ticketId = '';
  const pageErrors: string[] = [];

  const newTicket = (title: string, description = '') => api<Ticket>(platform, 'POST', '/tickets', { clientId, title, description, priority: 'urgent' });

  beforeAll(async () => {
    platform = await startPlatform(8806);
    receiver = await startReceiver();
    clientId = (await api<{ items: { id: string }[] }>(platform, 'GET', '/clients')).items[0]!.id;
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    // Deletes ask first; the test says yes.
    page.on('dialog', (d) => void d.accept());
    await page.goto(platform.url);
    await page.fill('#email', platform.email);
    await page.fill('#password', platform.password);
    await page.click('button[type=submit]');
  });

  afterAll(async () => {
    await receiver?.close();
    await browser?.close();
    await platform?.close();
  });

  it('makes a calendar and a default policy in the SLA page; a ticket opened afterwards is due by them', async () => {
    await page.getByRole('link', { name: 'SLA', exact: true }).click();
    await page.locator('[data-testid="calendars-empty"]').waitFor(WAIT);
    await page.click('[data-testid="new-calendar"]');
    await page.fill('[data-testid="calendar-name"]', 'Always on, but holidays');
    await page.fill('[data-testid="calendar-timezone"]', 'UTC');
    for (let day = 0; day < 7; day++) await page.fill(`[data-testid="calendar-hours-${day}"]`, '00:00–24:00');
    // Today and tomorrow (UTC) are off, so the clocks start the day after tomorrow at midnight.
    const today = Date.now();
    const holidays = [utcDate(today), utcDate(today + DAY)];
    for (const d of holidays) {
      await page.fill('[data-testid="calendar-holiday-date"]', d);
      await page.click('[data-testid="calendar-holiday-add"]');
    }
    expect(await page.locator('[data-testid="calendar-holiday"]').allTextContents()).toEqual(holidays.map((d) => expect.stringContaining(d)));

    // A span the form cannot read is named next to its day, and nothing is saved.
    await page.fill('[data-testid="calendar-hours-1"]', 'nine to five');
    await page.click('[data-testid="calendar-save"]');
    await expect.poll(() => page.locator('[data-testid="calendar-form"] .field-error').textContent(), WAIT).toContain('nine to five');
    await page.fill('[data-testid="calendar-hours-1"]', '0:00-24:00');
    await page.click('[data-testid="calendar-save"]');
    await page.locator('[data-testid="calendar-row"]', { hasText: 'Always on, but holidays' }).waitFor(WAIT);
    const calendars = await api<{ items: { id: string; timezone: string; hours: number[][][]; holidays: string[] }[] }>(platform, 'GET', '/business-calendars');
    expect(calendars.items).toMatchObject([{ timezone: 'UTC', hours: Array.from({ length: 7 }, () => [[0, 1440]]), holidays }]);

    await page.click('[data-testid="new-sla-policy"]');
    await page.fill('[data-testid="sla-policy-name"]', 'Standard');
    await page.selectOption('[data-testid="sla-policy-calendar"]', { label: 'Always on, but holidays (UTC)' });
    await page.fill('[data-testid="sla-target-urgent-first-h"]', '1');
    await page.fill('[data-testid="sla-target-urgent-first-m"]', '30');
    await page.fill('[data-testid="sla-target-urgent-resolution-h"]', '8');
    await page.click('[data-testid="sla-policy-save"]');
    const row = page.locator('[data-testid="sla-policy-row"]', { hasText: 'Standard' });
    await row.waitFor(WAIT);
    expect(await row.textContent()).toContain('Tenant default');
    expect(await row.locator('[data-testid="sla-policy-targets"]').textContent()).toBe('urgent: 1 h 30 min / 8 h 00 min');

    // The server's refusals show as they are: a second default policy, a calendar in use.
    await page.click('[data-testid="new-sla-policy"]');
    await page.fill('[data-testid="sla-policy-name"]', 'Another default');
    await page.click('[data-testid="sla-policy-save"]');
    await expect.poll(() => page.locator('[data-testid="sla-policy-form"] .form-error').textContent(), WAIT).toContain('already has a default SLA policy');
    await page.press('[data-testid="sla-policy-name"]', 'Escape');
    await page.locator('[data-testid="sla-policy-form"]').waitFor({ state: 'detached', ...WAIT });
    await page.click('[data-testid="calendar-delete"]');
    await page.locator('.toast', { hasText: 'is used by an SLA policy' }).waitFor(WAIT);
    expect(await page.locator('[data-testid="calendar-row"]').count()).toBe(1);

    const ticket = await newTicket('VPN drops every hour', 'Since the firewall update.');
    ticketId = ticket.id;
    const start = Date.parse(`${holidays[1]}T00:00:00Z`) + DAY;
    // Created after midnight UTC, "tomorrow" was still a holiday: the same start either way.
    expect(ticket.firstResponseDueAt).toBe(start + 90 * 60_000);
    expect(ticket.resolutionDueAt).toBe(start + 8 * 60 * 60_000);

    await page.goto(`${platform.url}/tickets/${ticketId}`);
    await expect.poll(() => page.locator('[data-testid="sla-first-response"]').textContent(), WAIT).toMatch(/due in \d+ (h|d)/);
    expect(await page.locator('[data-testid="sla-resolution"]').textContent()).toMatch(/due in \d+ (h|d)/);
  });

  it('routes new tickets to a webhook through a notification policy made on the integrations page', async () => {
    const hook = await api<{ id: string }>(platform, 'POST', '/integrations', { kind: 'webhook', name: 'Desk receiver', config: { url: `${receiver.url}/desk` } });
    await page.goto(`${platform.url}/integrations`);
    await page.click('[data-testid="tab-policies"]');
    expect(new URL(page.url()).search).toBe('?tab=policies');
    await page.locator('[data-testid="policies-empty"]').waitFor(WAIT);
    await page.click('[data-testid="new-policy"]');
    await page.fill('[data-testid="policy-name"]', 'New tickets to the receiver');
    await page.check('[data-testid="policy-events"] input[value="ticket.created"]');
    // Every event type the API knows is offered, except the test message (never routed).
    expect(await page.locator('[data-testid="policy-events"] input[value="ticket.sla_breached"]').count()).toBe(1);
    expect(await page.locator('[data-testid="policy-events"] input[value="test"]').count()).toBe(0);
    await page.check(`[data-testid="policy-integrations"] input[data-integration-id="${hook.id}"]`);
    await page.click('[data-testid="policy-save"]');
    const row = page.locator('[data-testid="policy-row"]', { hasText: 'New tickets to the receiver' });
    await row.waitFor(WAIT);
    expect(await row.locator('[data-testid="policy-targets"]').textContent()).toBe('Desk receiver');
    const policies = await api<{ items: unknown[] }>(platform, 'GET', '/notification-policies');
    expect(policies.items).toMatchObject([{ enabled: true, events: ['ticket.created'], severities: [], clientIds: null, timeOfDay: null, integrationIds: [hook.id] }]);

    const ticket = await newTicket('Printer offline');
    const created = () => receiver.received.map((r) => JSON.parse(r.body) as { type: string; data: { ticket?: { id?: string }; ticketId?: string } }).filter((b) => b.type === 'ticket.created');
    await expect.poll(() => created().length, WAIT).toBe(1);
    expect(JSON.stringify(created()[0])).toContain(ticket.id);
    expect(receiver.received[0]!.path).toBe('/desk');
  });

  it('edits a ticket’s description in place: Escape cancels, Ctrl+Enter saves', async () => {
    await page.goto(`${platform.url}/tickets/${ticketId}`);
    const text = page.locator('[data-testid="ticket-description"]');
    await expect.poll(() => text.textContent(), WAIT).toBe('Since the firewall update.');

    await page.click('[data-testid="ticket-description-edit"]');
    await page.fill('[data-testid="ticket-description-input"]', 'thrown away');
    await page.press('[data-testid="ticket-description-input"]', 'Escape');
    expect(await text.textContent()).toBe('Since the firewall update.');

    await page.click('[data-testid="ticket-description-edit"]');
    await page.fill('[data-testid="ticket-description-input"]', 'Since the firewall update.\nOnly on the guest Wi-Fi.');
    await page.press('[data-testid="ticket-description-input"]', 'Control+Enter');
    await expect.poll(() => text.textContent(), WAIT).toBe('Since the firewall update.\nOnly on the guest Wi-Fi.');
    expect((await api<Detail>(platform, 'GET', `/tickets/${ticketId}`)).ticket.description).toBe('Since the firewall update.\nOnly on the guest Wi-Fi.');

    // The title's rename control shows on hover (and on keyboard focus).
    await page.hover('[data-testid="ticket-heading"] .inline-edit');
    await page.getByRole('button', { name: 'Rename ticket title' }).click();
    await page.fill('[aria-label="New name for ticket title"]', 'VPN drops on guest Wi-Fi');
    await page.press('[aria-label="New name for ticket title"]', 'Enter');
    await expect.poll(() => page.locator('[data-testid="ticket-page-title"]').textContent(), WAIT).toBe('VPN drops on guest Wi-Fi');
    expect((await api<Detail>(platform, 'GET', `/tickets/${ticketId}`)).ticket.title).toBe('VPN drops on guest Wi-Fi');
  });

  it('logs time worked three days ago and lists it with that date', async () => {
    // Local wall time in the browser, as the datetime field takes it.
    const { value, ms, shown } = await page.evaluate(() => {
      const d = new Date(Date.now() - 3 * 86_400_000);
      d.setHours(10, 30, 0, 0);
      const pad = (n: number) => String(n).padStart(2, '0');
      const value = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T10:30`;
      const shown = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(d);
      return { value, ms: d.getTime(), shown };
    });
    await page.fill('[data-testid="time-minutes"]', '45');
    await page.fill('[data-testid="time-note"]', 'firewall logs');
    await page.fill('[data-testid="time-worked-on"]', value);
    await page.click('[data-testid="time-add"]');
    const entry = page.locator('[data-testid="time-entry"]');
    await expect.poll(() => entry.count(), WAIT).toBe(1);
    const when = entry.locator('[data-testid="time-worked-at"]');
    expect(await when.textContent()).toBe(shown);
    expect(await when.getAttribute('datetime')).toBe(new Date(ms).toISOString());

    const d = await api<Detail>(platform, 'GET', `/tickets/${ticketId}`);
    expect(d.timeEntries).toEqual([expect.objectContaining({ minutes: 45, note: 'firewall logs', workedAt: ms })]);
    // The form is back to "now" for the next entry.
    expect(await page.inputValue('[data-testid="time-worked-on"]')).not.toBe(value);
    expect(pageErrors).toEqual([]);
  });
});
