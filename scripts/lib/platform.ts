import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import { run, startLong, recentLog } from './processes';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'node_modules/.bin');
export const AGENT_BUNDLE = join(ROOT, 'agent/dist/tether-agent.mjs');

/** Node 22+ for wrangler and the agent: the project's node@22 if the caller runs an older one. */
export function nodeBinary(): string {
  const major = Number(process.versions.node.split('.')[0]);
  const local = join(BIN, 'node');
  return major >= 22 || !existsSync(local) ? process.execPath : local;
}

/** The local secret that encrypts tenant signing keys; made once, never committed. */
export function ensureDevVars(): void {
  const file = join(ROOT, '.dev.vars');
  if (existsSync(file) && /TETHER_MASTER_KEY=/.test(readFileSync(file, 'utf8'))) return;
  writeFileSync(file, `TETHER_MASTER_KEY=${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
}

export async function applyMigrations(persistTo?: string): Promise<void> {
  const args = ['d1', 'migrations', 'apply', 'DB', '--local', ...(persistTo ? ['--persist-to', persistTo] : [])];
  await run(nodeBinary(), [join(BIN, 'wrangler'), ...args], { cwd: ROOT, quiet: true, label: 'wrangler d1 migrations apply', env: { ...process.env, CI: '1' } });
}

export interface Server {
  url: string;
  child: ChildProcess;
}

export async function startServer(opts: { port: number; persistTo?: string; quiet?: boolean }): Promise<Server> {
  // Local only: integrations (and Slack's response_url) may reach a receiver on this machine.
  const local = ['--var', 'ALLOW_LOOPBACK_TARGETS:true', '--var', 'SLACK_RESPONSE_URL_ALLOW:http://127.0.0.1:'];
  const args = [join(BIN, 'wrangler'), 'dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--show-interactive-dev-session=false', ...local];
  if (opts.persistTo) args.push('--persist-to', opts.persistTo);
  const child = startLong('wrangler', nodeBinary(), args, { cwd: ROOT, quiet: opts.quiet, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } });
  const url = `http://127.0.0.1:${opts.port}`;
  await waitFor(async () => (await fetch(`${url}/api/v1/health`)).ok, 90_000, () => {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited:\n${recentLog(child).slice(-3000)}`);
  });
  return { url, child };
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, onTick?: () => void): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    onTick?.();
    try {
      if (await check()) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function json(res: Response) {
  const text = await res.text();
  const body = text ? JSON.parse(text) : null;
  if (!res.ok) throw new Error(`${res.status} ${body?.error?.message ?? text}`);
  return body;
}

/** First run: makes the tenant and owner. Returns null when a tenant already exists. */
export async function bootstrapIfNeeded(url: string, who: { tenantName: string; name: string; email: string }) {
  const { needed } = await json(await fetch(`${url}/api/v1/bootstrap`));
  if (!needed) return null;
  const password = randomBytes(12).toString('base64url');
  const res = await fetch(`${url}/api/v1/bootstrap`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ ...who, password }),
  });
  await json(res);
  const cookie = res.headers.get('set-cookie')?.split(';')[0] ?? '';
  return { email: who.email, password, cookie };
}

export async function createApiToken(url: string, cookie: string, name: string): Promise<string> {
  const body = await json(
    await fetch(`${url}/api/v1/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: url, cookie },
      body: JSON.stringify({ name }),
    }),
  );
  return body.token;
}

export async function createEnrollmentKey(url: string, token: string): Promise<string> {
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const clients = await json(await fetch(`${url}/api/v1/clients?limit=1`, { headers: auth }));
  const client = clients.items[0];
  const sites = await json(await fetch(`${url}/api/v1/sites?clientId=${client.id}`, { headers: auth }));
  const body = await json(
    await fetch(`${url}/api/v1/enrollment-keys`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ name: 'this machine (npm start)', clientId: client.id, siteId: sites.items[0].id, expiresInHours: 1, maxUses: 1 }),
    }),
  );
  return body.key;
}

export function saveSecret(file: string, value: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, value, { mode: 0o600 });
  chmodSync(file, 0o600);
}

export async function enrollAgent(url: string, key: string, stateDir: string): Promise<void> {
  await run(nodeBinary(), [AGENT_BUNDLE, 'enroll', '--server', url, '--key', key, '--state', stateDir], { cwd: ROOT, label: 'agent enroll' });
}

export function startAgent(stateDir: string, opts: { quiet?: boolean } = {}): ChildProcess {
  return startLong('agent', nodeBinary(), [AGENT_BUNDLE, 'run', '--state', stateDir], { cwd: ROOT, quiet: opts.quiet });
}
