import { hex } from '../crypto';
import { hmacSha256 } from './hmac';

/*
 * Generic webhook signatures. A receiver recomputes
 *   hex(HMAC-SHA256(secret, "<X-Tether-Timestamp>.<raw body>"))
 * compares it in constant time with the `v1=` value of X-Tether-Signature, and refuses a
 * timestamp more than 5 minutes from its clock (replays). X-Tether-Delivery is the same on
 * every retry of one delivery, so a receiver can drop a delivery it has already processed.
 */

export const WEBHOOK_HEADERS = {
  timestamp: 'X-Tether-Timestamp',
  signature: 'X-Tether-Signature',
  event: 'X-Tether-Event',
  delivery: 'X-Tether-Delivery',
} as const;

export const webhookSignature = async (secret: string, timestamp: string, body: string): Promise<string> =>
  `v1=${hex(await hmacSha256(secret, `${timestamp}.${body}`))}`;

/** The headers of one attempt: the timestamp is the attempt's own, so each retry is signed afresh. */
export async function webhookHeaders(
  secret: string,
  body: string,
  meta: { event: string; deliveryId: string; now: number },
): Promise<Record<string, string>> {
  const timestamp = String(Math.floor(meta.now / 1000));
  return {
    [WEBHOOK_HEADERS.timestamp]: timestamp,
    [WEBHOOK_HEADERS.signature]: await webhookSignature(secret, timestamp, body),
    [WEBHOOK_HEADERS.event]: meta.event,
    [WEBHOOK_HEADERS.delivery]: meta.deliveryId,
  };
}
