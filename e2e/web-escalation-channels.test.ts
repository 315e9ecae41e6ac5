import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { api, launchBrowser, startPlatform, type Platform } from './harness';

// The escalation policy editor's per-tier channel picker: the tenant's integrations by name
// and kind, picked from the keyboard, saved as the tier's integrationIds and shown in the list.

interface Policy {
  id: string;
  name: string;
  tiers: { afterMinutes: number; integrationIds: string[] }[];
}

describe('escalation tiers post to channels', () => {
  let platform: Platform;
  let browser: Browser;
  let page: Page;
  let slack = '';

  beforeAll(async () => {
    platform = await startPlatform(8821);
    slack = (await api<{ id: string }>(platform, 'POST', '/integrations', { kind: 'slack', name: 'ops-alerts', config: { webhookUrl: 'https://hooks.slack.com/services/T000/B000/e2eXXXXXXXXXXXXXXXXXXXXX' } })).id;
    await api(platform, 'POST', '/integrations', { kind: 'webhook', name: 'PSA bridge', config: { url: 'https://psa.example.test/hook' } });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });

  it('picks a channel per tier with the keyboard and saves it', async () => {
    await page.goto(`${platform.url}/escalation`);
    await page.fill('#email', platform.email);
    await page.fill('#password', platform.password);
    await page.click('button[type=submit]');
    await page.locator('[data-testid="new-policy"]').click();
    await page.locator('[data-testid="policy-name"]').fill('Night on-call');

    const picker = page.locator('[data-testid="tier"]').first().locator('[data-testid="tier-channels"]');
    await expect.poll(async () => (await picker.locator('label').allTextContents()).sort(), { timeout: 15_000 }).toEqual(['PSA bridge Webhook', 'ops-alerts Slack']);
    // Keyboard only: focus the first box, Space ticks it.
    const box = page.getByRole('checkbox', { name: 'Tier 1: post to ops-alerts (Slack)' });
    await box.focus();
    await page.keyboard.press('Space');
    expect(await box.isChecked()).toBe(true);
    await page.locator('[data-testid="policy-save"]').click();

    await expect.poll(() => page.locator('[data-testid="policies-table"]').textContent(), { timeout: 15_000 }).toContain('#ops-alerts');
    const list = await api<{ items: Policy[] }>(platform, 'GET', '/escalation-policies');
    const saved = list.items.find((p) => p.name === 'Night on-call');
    expect(saved?.tiers[0]?.integrationIds).toEqual([slack]);
  });
});
