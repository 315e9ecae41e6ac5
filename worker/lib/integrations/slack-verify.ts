import { hex, timingSafeEqualText } from '../crypto';
import { hmacSha256 } from './hmac';

/*
 * Slack request signing (v0): `v0=` + hex HMAC-SHA256(signing secret, `v0:{timestamp}:{raw body}`).
 * The timestamp bounds replays to a 5-minute window; within it the route's replay guard makes
 * a repeated request act once.
 */

export const SLACK_MAX_SKEW_SECONDS = 300;

export async function slackSignature(signingSecret: string, timestamp: string, rawBody: string): Promise<string> {
  return `v0=${hex(await hmacSha256(signingSecret, `v0:${timestamp}:${rawBody}`))}`;
}

export interface SlackSignedHeaders {
  timestamp: string | undefined;
  signature: string | undefined;
}

/** True only for a well-formed, fresh timestamp and a matching signature (compared in constant time). */
export async function verifySlackRequest(signingSecret: string, headers: SlackSignedHeaders, rawBody: string, nowMs = Date.now()): Promise<boolean> {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SLACK_MAX_SKEW_SECONDS) return false;
  return timingSafeEqualText(await slackSignature(signingSecret, timestamp, rawBody), signature);
}
