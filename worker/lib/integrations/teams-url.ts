/*
 * Microsoft retired the Office 365 connectors (incoming webhooks on *.webhook.office.com,
 * paths with /IncomingWebhook/): posts to them stop arriving. Teams now takes messages
 * through a Workflows (Power Automate) webhook, so such URLs are refused when saved.
 */

export const RETIRED_TEAMS_MESSAGE =
  'This is an Office 365 connector URL; Microsoft has retired those connectors. In Teams, create a Workflows webhook ' +
  '("Post to a channel when a webhook request is received") and paste the URL it gives you.';

export function isRetiredTeamsConnector(raw: string): boolean {
  try {
    const url = new URL(raw);
    const host = url.hostname.toLowerCase();
    return host === 'webhook.office.com' || host.endsWith('.webhook.office.com') || url.pathname.toLowerCase().includes('/incomingwebhook/');
  } catch {
    return false;
  }
}
