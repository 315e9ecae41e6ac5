import * as v from 'valibot';
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AgentCheckConfig } from '../../../protocol/checks';
import { SignedCommand } from '../../../protocol/command';
import { writeFileAtomic } from '../fs-atomic';
import { firstIssue } from '../issues';
import { signatureHolds } from '../verify';

export interface ConfigContext {
  key: KeyObject;
  deviceId: string;
  tenantId: string;
}

export type ConfigVerdict = { ok: true; config: AgentCheckConfig } | { ok: false; error: string };

/**
 * A check config is trusted exactly like a command: the tenant's signature over the exact
 * bytes first, then the schema, then the addressee. It can carry scripts, so nothing in it
 * is read before the signature holds.
 */
export function verifyCheckConfig(signed: SignedCommand, ctx: ConfigContext): ConfigVerdict {
  if (!signatureHolds(signed, ctx.key)) return { ok: false, error: 'bad signature' };
  let json: unknown;
  try {
    json = JSON.parse(signed.payload);
  } catch {
    return { ok: false, error: 'signed payload is not JSON' };
  }
  const parsed = v.safeParse(AgentCheckConfig, json);
  if (!parsed.success) return { ok: false, error: `invalid check config: ${firstIssue(parsed.issues)}` };
  const config = parsed.output;
  if (config.deviceId !== ctx.deviceId) return { ok: false, error: 'check config is addressed to another device' };
  if (config.tenantId !== ctx.tenantId) return { ok: false, error: 'check config is signed for another tenant' };
  return { ok: true, config };
}

/** Whether a verified config may replace the applied one: older ones are replays or rollbacks. */
export function supersedes(next: AgentCheckConfig, applied: AgentCheckConfig | null): { ok: true } | { ok: false; error: string; same?: boolean } {
  if (!applied) return { ok: true };
  if (next.issuedAt === applied.issuedAt && next.version === applied.version) return { ok: false, same: true, error: 'already applied' };
  if (next.issuedAt < applied.issuedAt) {
    return { ok: false, error: `issued ${new Date(next.issuedAt).toISOString()}, before the applied config (${new Date(applied.issuedAt).toISOString()}): replay or rollback refused` };
  }
  return { ok: true };
}

/**
 * The applied config, kept in the state directory (owner-only) as the signed text itself,
 * so checks run after a restart before the hub is reachable, and the file is verified again
 * on load: a config edited on disk is not run.
 */
export class CheckConfigStore {
  constructor(
    private readonly path: string,
    private readonly ctx: ConfigContext,
  ) {}

  load(): { config: AgentCheckConfig; signed: SignedCommand } | { error: string } | null {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(this.path, 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      return { error: `cannot read ${this.path}: ${(err as Error).message}` };
    }
    const signed = v.safeParse(SignedCommand, raw);
    if (!signed.success) return { error: `${this.path} is damaged` };
    const verdict = verifyCheckConfig(signed.output, this.ctx);
    return verdict.ok ? { config: verdict.config, signed: signed.output } : { error: `${this.path} refused: ${verdict.error}` };
  }

  save(signed: SignedCommand): void {
    writeFileAtomic(this.path, JSON.stringify({ payload: signed.payload, sig: signed.sig }) + '\n', 0o600);
  }
}
