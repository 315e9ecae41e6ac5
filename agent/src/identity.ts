import * as v from 'valibot';
import { firstIssue } from './issues';
import { existsSync, readFileSync } from 'node:fs';
import { ensurePrivateDir, writeFileAtomic } from './fs-atomic';
import type { StatePaths } from './paths';

const base64Key32 = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9+/]{43}=$/, 'must be the base64 of a raw 32-byte Ed25519 public key'),
);

/** What the server answers to a successful enrollment. */
export const EnrollResponse = v.object({
  deviceId: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  deviceToken: v.pipe(v.string(), v.regex(/^tdt_[A-Za-z0-9_-]{16,200}$/, 'must be a tdt_ device token')),
  tenantId: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  signingPublicKey: base64Key32,
  heartbeatSeconds: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(3600)),
});
export type EnrollResponse = v.InferOutput<typeof EnrollResponse>;

export const Identity = v.object({
  server: v.pipe(v.string(), v.url()),
  ...EnrollResponse.entries,
});
export type Identity = v.InferOutput<typeof Identity>;

export function hasIdentity(paths: StatePaths): boolean {
  return existsSync(paths.identity);
}

/** The enrolled identity, or a clear reason why there is none usable. */
export function loadIdentity(paths: StatePaths): Identity {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(paths.identity, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`not enrolled: ${paths.identity} does not exist (run \`enroll\` first)`);
    throw new Error(`cannot read ${paths.identity}: ${(err as Error).message}`);
  }
  const parsed = v.safeParse(Identity, raw);
  if (!parsed.success) {
    throw new Error(`${paths.identity} is damaged: ${firstIssue(parsed.issues)}`);
  }
  return parsed.output;
}

export function saveIdentity(paths: StatePaths, identity: Identity): void {
  ensurePrivateDir(paths.dir);
  writeFileAtomic(paths.identity, JSON.stringify(identity, null, 2) + '\n', 0o600);
}
