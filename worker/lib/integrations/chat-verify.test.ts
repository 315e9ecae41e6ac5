import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { slackSignature, verifySlackRequest } from './slack-verify';
import { teamsSignature, verifyTeamsRequest } from './teams-verify';
import { actionLinkGuardKey, signActionLink, verifyActionLink } from './action-links';

const enc = new TextEncoder();
async function hmac(key: Uint8Array, message: string): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey('raw', new Uint8Array(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, enc.encode(message)));
}
const hexOf = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
const b64Of = (b: Uint8Array) => btoa(String.fromCharCode(...b));

// Slack's own published example (docs: "Verifying requests from Slack").
const SLACK_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const SLACK_TS = '1531420618';
const SLACK_BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const SLACK_SIG = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const atSlackTs = Number(SLACK_TS) * 1000;

describe('Slack request signatures', () => {
  it('matches the documented vector and an independent WebCrypto computation', async () => {
    expect(await slackSignature(SLACK_SECRET, SLACK_TS, SLACK_BODY)).toBe(SLACK_SIG);
    const mine = `v0=${hexOf(await hmac(enc.encode(SLACK_SECRET), `v0:${SLACK_TS}:${SLACK_BODY}`))}`;
    expect(mine).toBe(SLACK_SIG);
    expect(await verifySlackRequest(SLACK_SECRET, { timestamp: SLACK_TS, signature: SLACK_SIG }, SLACK_BODY, atSlackTs + 10_000)).toBe(true);
  });

  it('refuses a missing header, a changed byte, a wrong secret and a timestamp outside 5 minutes', async () => {
    const ok = { timestamp: SLACK_TS, signature: SLACK_SIG };
    expect(await verifySlackRequest(SLACK_SECRET, { ...ok, signature: undefined }, SLACK_BODY, atSlackTs)).toBe(false);
    expect(await verifySlackRequest(SLACK_SECRET, { ...ok, timestamp: undefined }, SLACK_BODY, atSlackTs)).toBe(false);
    expect(await verifySlackRequest(SLACK_SECRET, ok, `${SLACK_BODY}x`, atSlackTs)).toBe(false);
    expect(await verifySlackRequest('another-secret-value', ok, SLACK_BODY, atSlackTs)).toBe(false);
    expect(await verifySlackRequest(SLACK_SECRET, { ...ok, signature: SLACK_SIG.toUpperCase() }, SLACK_BODY, atSlackTs)).toBe(false);
    expect(await verifySlackRequest(SLACK_SECRET, ok, SLACK_BODY, atSlackTs + 301_000)).toBe(false);
    expect(await verifySlackRequest(SLACK_SECRET, ok, SLACK_BODY, atSlackTs - 301_000)).toBe(false);
    expect(await verifySlackRequest(SLACK_SECRET, ok, SLACK_BODY, atSlackTs + 299_000)).toBe(true);
  });
});

describe('Teams outgoing-webhook signatures', () => {
  const secretBytes = enc.encode('teams outgoing webhook secret!!');
  const secret = b64Of(secretBytes);
  const body = '{"type":"message","id":"1","text":"<at>Tether</at> status"}';

  it('is base64 HMAC-SHA256 over the body, keyed by the base64-decoded token', async () => {
    const expected = b64Of(await hmac(secretBytes, body));
    expect(await teamsSignature(secret, body)).toBe(expected);
    expect(await verifyTeamsRequest(secret, `HMAC ${expected}`, body)).toBe(true);
  });

  it('refuses a missing or malformed header, another body and a secret that is not base64', async () => {
    const good = `HMAC ${await teamsSignature(secret, body)}`;
    expect(await verifyTeamsRequest(secret, undefined, body)).toBe(false);
    expect(await verifyTeamsRequest(secret, good.replace('HMAC ', 'Bearer '), body)).toBe(false);
    expect(await verifyTeamsRequest(secret, good, body.replace('status', 'statuz'))).toBe(false);
    expect(await verifyTeamsRequest('not base64 at all!', good, body)).toBe(false);
  });
});

describe('signed action links', () => {
  const key = env.TETHER_MASTER_KEY;
  const now = Date.UTC(2026, 0, 1);

  it('round-trips for 24 hours, then expires', async () => {
    const token = await signActionLink(key, { tenantId: 'ten_1', alertId: 'alr_1' }, now);
    expect(await verifyActionLink(key, token, now + 1000)).toMatchObject({ tenantId: 'ten_1', alertId: 'alr_1', action: 'acknowledge', exp: now + 86_400_000 });
    expect(await verifyActionLink(key, token, now + 86_400_000)).toBeNull();
    // Two links for the same alert are distinct, so using one does not burn the other.
    const again = await signActionLink(key, { tenantId: 'ten_1', alertId: 'alr_1' }, now);
    expect(actionLinkGuardKey(again)).not.toBe(actionLinkGuardKey(token));
  });

  it('refuses a tampered payload, a tampered signature and another key', async () => {
    const token = await signActionLink(key, { tenantId: 'ten_1', alertId: 'alr_1' }, now);
    const [body, sig] = token.split('.');
    const forged = btoa(JSON.stringify({ tenantId: 'ten_2', alertId: 'alr_1', action: 'acknowledge', exp: now + 1e9, n: 'x' }))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    expect(await verifyActionLink(key, `${forged}.${sig}`, now)).toBeNull();
    expect(await verifyActionLink(key, `${body}.${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`, now)).toBeNull();
    expect(await verifyActionLink(key, 'garbage', now)).toBeNull();
    const otherKey = b64Of(crypto.getRandomValues(new Uint8Array(32)));
    expect(await verifyActionLink(otherKey, token, now)).toBeNull();
  });
});
