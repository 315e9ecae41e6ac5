import * as v from 'valibot';
import { EnrollResponse, hasIdentity, saveIdentity, type Identity } from './identity';
import { firstIssue } from './issues';
import { describeError } from './log';
import { machineFacts } from './machine';
import type { StatePaths } from './paths';
import { endpoint, normaliseServer } from './server-url';
import { AGENT_VERSION } from './version';

const ErrorBody = v.object({
  error: v.object({ code: v.optional(v.string()), message: v.string() }),
});

export interface EnrollOptions {
  server: string;
  key: string;
  force: boolean;
  timeoutMs?: number;
}

/** Registers this machine with the server and pins its identity and signing key. */
export async function enroll(paths: StatePaths, opts: EnrollOptions): Promise<Identity> {
  const server = normaliseServer(opts.server);
  if (!opts.key.trim()) throw new Error('--key is empty');
  if (hasIdentity(paths) && !opts.force) {
    throw new Error(`already enrolled (${paths.identity} exists); pass --force to enroll again as a new device`);
  }
  const facts = await machineFacts();
  const url = endpoint(server, 'agent/enroll');

  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ key: opts.key.trim(), ...facts, agentVersion: AGENT_VERSION }),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
      redirect: 'error',
    });
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    throw new Error(`cannot reach the server at ${server}: ${describeError(cause ?? err)}`);
  }

  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // reported below with the status
  }
  if (!res.ok) {
    const err = v.safeParse(ErrorBody, body);
    if (err.success) {
      const code = err.output.error.code;
      throw new Error(`enrollment refused: ${err.output.error.message}${code ? ` (${code})` : ''}`);
    }
    throw new Error(`enrollment failed: HTTP ${res.status} from ${url}`);
  }
  const parsed = v.safeParse(EnrollResponse, body);
  if (!parsed.success) throw new Error(`the server's enrollment answer is invalid: ${firstIssue(parsed.issues)}`);

  const identity: Identity = { server, ...parsed.output };
  saveIdentity(paths, identity);
  return identity;
}
