import * as v from 'valibot';
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { CommandPayload, type SignedCommand } from '../../protocol/command';
import { MAX_COMMAND_TTL_SECONDS } from '../../protocol/limits';
import { firstIssue } from './issues';

/** How far ahead of the agent's clock a command may claim to have been issued. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

// DER header of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The tenant's signing key pinned at enrollment (base64 of the raw 32 bytes). */
export function importSigningKey(base64Raw: string): KeyObject {
  const raw = Buffer.from(base64Raw, 'base64');
  if (raw.length !== 32) throw new Error('signing key must be 32 bytes');
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

export interface VerifyContext {
  key: KeyObject;
  deviceId: string;
  tenantId: string;
  now: number;
}

export type Verdict =
  | { ok: true; cmd: CommandPayload }
  /** Signed and meant for us: the caller still checks the journal (redelivery, replay). */
  | { ok: false; id: string | null; status: 'rejected' | 'expired'; error: string; signed: CommandPayload | null };

/** Ed25519 over the exact bytes received, with the tenant key pinned at enrollment. */
export function signatureHolds(signed: SignedCommand, key: KeyObject): boolean {
  try {
    return verify(null, Buffer.from(signed.payload, 'utf8'), key, Buffer.from(signed.sig, 'base64'));
  } catch {
    return false;
  }
}

/** An id to report a refusal against, taken from a payload that is not trusted. */
function untrustedId(payload: string): string | null {
  try {
    const id = (JSON.parse(payload) as { id?: unknown })?.id;
    return typeof id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : null;
  } catch {
    return null;
  }
}

/**
 * The checks that need nothing but the command and the identity, signature first: nothing
 * in a payload is believed before its signature over the exact bytes received holds.
 */
export function verifyCommand(signed: SignedCommand, ctx: VerifyContext): Verdict {
  const reject = (error: string, signedCmd: CommandPayload | null = null, id = signedCmd?.id ?? null) =>
    ({ ok: false, id, status: 'rejected', error, signed: signedCmd }) as const;

  if (!signatureHolds(signed, ctx.key)) return reject('bad signature', null, untrustedId(signed.payload));

  let json: unknown;
  try {
    json = JSON.parse(signed.payload);
  } catch {
    return reject('signed payload is not JSON');
  }
  const parsed = v.safeParse(CommandPayload, json);
  if (!parsed.success) return reject(`invalid command: ${firstIssue(parsed.issues)}`, null, untrustedId(signed.payload));
  const cmd = parsed.output;

  if (cmd.deviceId !== ctx.deviceId) return reject('command is addressed to another device', cmd);
  if (cmd.tenantId !== ctx.tenantId) return reject('command is signed for another tenant', cmd);
  if (cmd.expiresAt <= ctx.now) return { ok: false, id: cmd.id, status: 'expired', error: 'command expired', signed: cmd };
  if (cmd.issuedAt > ctx.now + MAX_CLOCK_SKEW_MS) return reject('command issued in the future (clock skew?)', cmd);
  if (cmd.expiresAt - cmd.issuedAt > MAX_COMMAND_TTL_SECONDS * 1000 + MAX_CLOCK_SKEW_MS) {
    return reject('command lifetime exceeds the maximum', cmd);
  }
  return { ok: true, cmd };
}
