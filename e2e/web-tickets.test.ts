import { createHmac } from 'node:crypto';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { api, launchBrowser, startPlatform, type Platform } from './harness';
import { startReceiver } from './receiver';
import { waitFor } from '../scripts/lib/platform';

// The service desk as a technician meets it: a ticket opened from the form, worked from its
// page (reply, internal note, status, time), and a ticket opened from an alert's drawer.

interface Detail {
  ticket: { id: string; status: string; priority: string; title: string; description: string; firstResponseAt: number | null; source: string };
  alerts: { id: string }[];
  comments: { body: string; internal: boolean }[];
  timeEntries: { minutes: number; billable: boolean; note: string }[];
  timeTotals: { billableMinutes: number; nonBillableMinutes: number };
}

const WAIT = { timeout: 30_000, interval: 250 };
const TITLE = 'Printer on floor 2 jams <b>daily</b>';

describe('tickets in the dashboard', () => {
  let platform: Platform;
  let browser: Browser;
  let page: Page;
  let ticketId = '';
  let checkSetId = '';
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];

  beforeAll(async () => {
    platform = await startPlatform(8797);
    platform.startAgent();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });

  it('opens a ticket from the form and finds it in the queue', async () => {
    await page.goto(platform.url);
    await page.fill('#email', platform.email);
    await page.fill('#password', platform.password);
    await page.click('button[type=submit]');
    await page.getByRole('link', { name: 'Tickets', exact: true }).click();
    await page.locator('[data-testid="tickets-empty"]').waitFor(WAIT);

    // A tenant-wide SLA: a high ticket is answered within 1 h and solved within 8 h, round the clock.
    await api(platform, 'POST', '/sla-policies', { name: 'Standard', targets: { high: { firstResponseMinutes: 60, resolutionMinutes: 480 } } });

    await page.click('[data-testid="new-ticket"]');
    const form = page.locator('[data-testid="new-ticket-form"]');
    await form.waitFor(WAIT);
    const client = page.locator('[data-testid="new-ticket-client"]');
    await expect.poll(() => client.locator('option').count(), WAIT).toBeGreaterThan(1);
    await client.selectOption({ index: 1 });
    await page.fill('[data-testid="new-ticket-title"]', TITLE);
    await page.fill('[data-testid="new-ticket-description"]', 'Paper tray 2.\nSince Monday.');
    await page.selectOption('[data-testid="new-ticket-priority"]', 'high');
    await page.click('[data-testid="new-ticket-save"]');

    await page.waitForURL(/\/tickets\/tkt_/, WAIT);
    ticketId = new URL(page.url()).pathname.split('/').pop()!;
    // User text is text: the markup shows as typed, no element is made of it.
    await expect.poll(() => page.locator('[data-testid="ticket-page-title"]').textContent(), WAIT).toBe(TITLE);
    expect(await page.locator('[data-testid="ticket-heading"] b').count()).toBe(0);

    await page.getByRole('link', { name: '← Tickets' }).click();
    const row = page.locator('[data-testid="ticket-row"]', { hasText: 'Printer on floor 2' });
    await row.waitFor(WAIT);
    expect(await row.getAttribute('data-ticket-id')).toBe(ticketId);
    expect(await row.locator('[data-testid="ticket-priority"]').textContent()).toBe('high');
    expect(await row.locator('[data-testid="ticket-status"]').textContent()).toBe('new');
    expect(await row.locator('[data-testid="ticket-sla"]').textContent()).toMatch(/^in (59 min|1 h)$/);
    // The default view ("open work") sits in no query string; a filter does.
    await page.selectOption('[data-testid="ticket-filter-priority"]', 'low');
    await page.locator('[data-testid="tickets-empty"]').waitFor(WAIT);
    expect(page.url()).toContain('priority=low');
    await page.selectOption('[data-testid="ticket-filter-priority"]', '');
    await row.waitFor(WAIT);
  });

  it('opens it from the keyboard and works it: reply, internal note, pending, 30 billable minutes', async () => {
    // The filter menu still has focus, and shortcuts stay out of form fields.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/tickets/${ticketId}$`), WAIT);

    await page.fill('[data-testid="comment-body"]', 'We are sending someone over.');
    await page.click('[data-testid="comment-submit"]');
    const comments = page.locator('[data-testid="ticket-comment"]');
    await expect.poll(() => comments.count(), WAIT).toBe(1);
    expect(await comments.first().getAttribute('data-internal')).toBe('false');
    // The first public reply stops the first-response clock, in time.
    await expect.poll(() => page.locator('[data-testid="sla-first-response"]').textContent(), WAIT).toMatch(/^met /);
    expect(await page.locator('[data-testid="sla-resolution"]').textContent()).toMatch(/^due in /);

    await page.check('[data-testid="comment-internal"]');
    await page.fill('[data-testid="comment-body"]', 'Roller worn; order part 4411.');
    await page.click('[data-testid="comment-submit"]');
    await expect.poll(() => comments.count(), WAIT).toBe(2);
    expect(await comments.nth(1).getAttribute('data-internal')).toBe('true');
    expect(await comments.nth(1).textContent()).toContain('internal note');

    await page.selectOption('[data-testid="ticket-status-select"]', 'pending');
    await expect.poll(() => page.locator('[data-testid="ticket-history"]').textContent(), WAIT).toContain('Status: new → pending');

    await page.fill('[data-testid="time-minutes"]', '30');
    await page.fill('[data-testid="time-note"]', 'diagnosis');
    await page.click('[data-testid="time-add"]');
    await expect.poll(() => page.locator('[data-testid="time-billable"]').textContent(), WAIT).toBe('30 min');

    const d = await api<Detail>(platform, 'GET', `/tickets/${ticketId}`);
    expect(d.ticket).toMatchObject({ status: 'pending', priority: 'high', title: TITLE, description: 'Paper tray 2.\nSince Monday.', source: 'manual' });
    expect(d.ticket.firstResponseAt).not.toBeNull();
    expect(d.comments.map((c) => [c.body, c.internal])).toEqual([
      ['We are sending someone over.', false],
      ['Roller worn; order part 4411.', true],
    ]);
    expect(d.timeEntries).toMatchObject([{ minutes: 30, billable: true, note: 'diagnosis' }]);
    expect(d.timeTotals).toEqual({ billableMinutes: 30, nonBillableMinutes: 0 });
  });

  it('attaches a file with its name as text, and serves it back as a download', async () => {
    await page.setInputFiles('[data-testid="attachment-input"]', { name: 'notes <1>.txt', mimeType: 'text/plain', buffer: Buffer.from('tray 2 log\n') });
    const link = page.locator('[data-testid="attachment"] a');
    await expect.poll(() => link.textContent(), WAIT).toBe('notes <1>.txt');
    const href = (await link.getAttribute('href'))!;
    const res = await fetch(`${platform.url}${href}`, { headers: { authorization: `Bearer ${platform.token}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('tray 2 log\n');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment/);
  });

  it('creates a ticket from an alert drawer and lands on it, linked both ways', async () => {
    // Memory in use above 0 %: true on every machine that reports memory.
    const set = await api<{ id: string }>(platform, 'POST', '/check-sets', {
      name: 'E2E always breached',
      checks: [{ type: 'metric', key: 'mem-any', name: 'Memory in use', severity: 'critical', metric: 'memory', op: 'above', threshold: 0 }],
    });
    checkSetId = set.id;
    await api(platform, 'POST', '/check-set-assignments', { checkSetId: set.id, scopeType: 'tenant' });
    let alertId = '';
    await waitFor(async () => {
      alertId = (await api<{ items: { id: string }[] }>(platform, 'GET', '/alerts')).items[0]?.id ?? '';
      return !!alertId;
    }, 120_000);

    await page.goto(`${platform.url}/alerts/${alertId}`);
    await page.click('[data-testid="alert-create-ticket"]', WAIT);
    await page.waitForURL(/\/tickets\/tkt_/, WAIT);
    const alertTicket = new URL(page.url()).pathname.split('/').pop()!;
    expect(alertTicket).not.toBe(ticketId);
    await expect.poll(() => page.locator(`[data-testid="ticket-alert"] a[href="/alerts/${alertId}"]`).count(), WAIT).toBe(1);
    expect(await page.locator('[data-testid="ticket-page-title"]').textContent()).toContain('Memory in use');

    const d = await api<Detail>(platform, 'GET', `/tickets/${alertTicket}`);
    expect(d.ticket.source).toBe('alert');
    expect(d.alerts.map((a) => a.id)).toEqual([alertId]);
    expect((await api<{ ticketId: string | null }>(platform, 'GET', `/alerts/${alertId}`)).ticketId).toBe(alertTicket);

    // Back on the alert, the drawer links to the ticket instead of offering another.
    await page.goto(`${platform.url}/alerts/${alertId}`);
    await page.locator('[data-testid="alert-ticket-link"]').waitFor(WAIT);
    expect(await page.locator('[data-testid="alert-create-ticket"]').count()).toBe(0);
    await page.click('[data-testid="alert-ticket-link"]');
    await page.waitForURL(new RegExp(`/tickets/${alertTicket}$`), WAIT);

  });

  it('assigns and reopens tickets in bulk from the queue', async () => {
    await page.getByRole('link', { name: 'Tickets', exact: true }).click();
    const rows = page.locator('[data-testid="ticket-row"]');
    await expect.poll(() => rows.count(), WAIT).toBe(2);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('x');
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    await expect.poll(() => page.locator('[data-testid="ticket-bulk-bar"]').textContent(), WAIT).toContain('2 selected');
    await page.click('[data-testid="bulk-assign-me"]');
    await expect.poll(async () => (await rows.locator('[data-testid="ticket-assignee"]').allTextContents()).join(','), WAIT).toBe('me,me');
    await rows.first().locator('[data-testid="ticket-select"]').check();
    await rows.nth(1).locator('[data-testid="ticket-select"]').check();
    await page.selectOption('[data-testid="bulk-status"]', 'open');
    await expect.poll(async () => (await rows.locator('[data-testid="ticket-status"]').allTextContents()).join(','), WAIT).toBe('open,open');

    const list = await api<{ items: { status: string; assigneeId: string | null }[] }>(platform, 'GET', '/tickets');
    expect(list.items).toHaveLength(2);
    expect(list.items.every((t) => t.status === 'open' && t.assigneeId !== null && t.assigneeId === list.items[0]!.assigneeId)).toBe(true);
  });

  it('previews a rule’s templates live, refuses an unknown token and saves it', async () => {
    await page.getByRole('link', { name: 'Ticket rules', exact: true }).click();
    await page.locator('[data-testid="rules-empty"]').waitFor(WAIT);
    await page.click('[data-testid="new-rule"]');
    await page.fill('[data-testid="rule-name"]', 'Critical to tickets');
    await page.fill('[data-testid="rule-title"]', 'ALERT {{alert.checkName}} / {{alert.severity}}');
    const title = page.locator('[data-testid="rule-preview-title"]');
    await expect.poll(() => title.textContent(), WAIT).toMatch(/^ALERT .+ \/ (critical|warning|info)$/);

    await page.fill('[data-testid="rule-title"]', 'ALERT {{device.bogus}}');
    await expect.poll(() => page.locator('[data-testid="rule-preview-error"]').textContent(), WAIT).toContain('device.bogus');
    await page.fill('[data-testid="rule-title"]', 'ALERT {{alert.checkName}}');
    await expect.poll(() => title.textContent(), WAIT).toMatch(/^ALERT \S/);

    await page.click('[data-testid="rule-save"]');
    await page.locator('[data-testid="rule-row"]', { hasText: 'Critical to tickets' }).waitFor(WAIT);
  });

  it('shows a ticket the rule opens live in the open queue, then switches the rule off', async () => {
    await page.getByRole('link', { name: 'Tickets', exact: true }).click();
    const rows = page.locator('[data-testid="ticket-row"]');
    await expect.poll(() => rows.count(), WAIT).toBe(2);
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    await api(platform, 'PATCH', `/check-sets/${checkSetId}`, {
      checks: [
        { type: 'metric', key: 'mem-any', name: 'Memory in use', severity: 'critical', metric: 'memory', op: 'above', threshold: 0 },
        { type: 'metric', key: 'mem-again', name: 'Memory again', severity: 'critical', metric: 'memory', op: 'above', threshold: 0 },
      ],
    });
    await expect.poll(() => rows.count(), { timeout: 120_000, interval: 250 }).toBe(3);
    expect(await page.locator('[data-testid="ticket-title"]', { hasText: 'ALERT Memory again' }).count()).toBe(1);
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

    await page.getByRole('link', { name: 'Ticket rules', exact: true }).click();
    const row = page.locator('[data-testid="rule-row"]', { hasText: 'Critical to tickets' });
    await row.waitFor(WAIT);
    await row.locator('[data-testid="rule-enabled"]').uncheck();
    await expect
      .poll(async () => (await api<{ items: { name: string; enabled: boolean; titleTemplate: string }[] }>(platform, 'GET', '/ticket-rules')).items, WAIT)
      .toEqual([expect.objectContaining({ name: 'Critical to tickets', enabled: false, titleTemplate: 'ALERT {{alert.checkName}}' })]);
  });

  it('connects a webhook, shows its secret once, sends a test message and redelivers it', async () => {
    const receiver = await startReceiver();
    const { received } = receiver;
    const port = new URL(receiver.url).port;
    try {
      await page.getByRole('link', { name: 'Integrations', exact: true }).click();
      await page.locator('[data-testid="integrations-empty"]').waitFor(WAIT);
      await page.click('[data-testid="new-integration"]');
      await page.selectOption('[data-testid="integration-kind"]', 'webhook');
      await page.fill('[data-testid="integration-name"]', 'E2E receiver');
      await page.fill('[data-testid="integration-url"]', `http://127.0.0.1:${port}/hook`);
      await page.click('[data-testid="integration-save"]');
      const secret = (await page.locator('[data-testid="generated-secret"]').textContent(WAIT))!;
      expect(secret.length).toBeGreaterThanOrEqual(16);

      const row = page.locator('[data-testid="integration-row"]', { hasText: 'E2E receiver' });
      await row.waitFor(WAIT);
      // The list shows a hint of the target, never the URL itself.
      expect(await row.textContent()).not.toContain(`127.0.0.1:${port}/hook`);
      await row.locator('[data-testid="send-test"]').click();
      await expect.poll(() => row.locator('[data-testid="test-result"]').textContent(), WAIT).toContain('delivered');
      expect(await row.locator('[data-testid="test-result"]').textContent()).toContain('200');
      expect(received).toHaveLength(1);
      // Signed with the secret shown once: the receiver can check it.
      const [got] = received;
      const ts = String(got!.headers['x-tether-timestamp']);
      const expected = createHmac('sha256', secret).update(`${ts}.${got!.body}`).digest('hex');
      expect(String(got!.headers['x-tether-signature'])).toContain(expected);
      expect(JSON.parse(got!.body)).toMatchObject({ type: 'test' });

      await row.locator('[data-testid="show-deliveries"]').click();
      const delivery = page.locator('[data-testid="delivery-row"]');
      await expect.poll(() => delivery.count(), WAIT).toBe(1);
      expect(await delivery.locator('[data-testid="delivery-status"]').textContent()).toBe('delivered');
      await delivery.locator('[data-testid="redeliver"]').click();
      await expect.poll(() => received.length, WAIT).toBe(2);
      expect(received[1]!.body).toBe(got!.body);
    } finally {
      void receiver.close();
    }

    // Finally: everything above rendered within the Content-Security-Policy, without errors.
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
