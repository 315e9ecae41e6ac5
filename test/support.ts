import { SELF, env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { apiTokens, devices, sessions, users } from '../db/schema';
import type { Role } from '../protocol/api/common';
import { getDb } from '../worker/lib/db';
import { hashPassword, randomSecret, sha256Hex } from '../worker/lib/crypto';
import { newId } from '../worker/lib/ids';
import { createTenant } from '../worker/lib/tenants';

/*
 * Fixtures for server tests. Storage is isolated per test FILE, so a file starts with an
 * empty database and everything it creates stays until the file ends.
 *
 * - bootstrapTenant(): the first tenant, through the real POST /bootstrap (once per file).
 * - createTenantDirect(name): further tenants, written straight to D1, with an owner API token.
 * - addUser(tenant, role, clientIds?): another user of a tenant, signed in (session cookie).
 * - tokenFor(user, role?, clientIds?): an API token for a user, written straight to D1.
 * - insertDevice(tenant, fields?): a device row (as if enrolled) for scoping tests.
 * - api(auth, method, path, body?): one call through the Worker, answer parsed.
 */

export const ORIGIN = 'http://tether.test';
/** Every fixture user has this password. */
export const TEST_PASSWORD = 'correct horse battery staple';

/** Request headers that authenticate a call: `Cookie` + `Origin`, or `Authorization`. */
export interface Auth {
  headers: Record<string, string>;
}

export interface TenantFixture extends Auth {
  tenantId: string;
  /** The owner. */
  userId: string;
  email: string;
  password: string;
  /** The default client "Internal" and its site "Main". */
  clientId: string;
  siteId: string;
}

export interface BootstrappedTenant extends TenantFixture {
  /** `tether_session=…`, the owner's session from the bootstrap answer. */
  cookie: string;
}

export interface DirectTenant extends TenantFixture {
  /** The owner's API token (`Authorization: Bearer` in `headers`). */
  token: string;
}

export interface UserFixture extends Auth {
  tenantId: string;
  userId: string;
  email: string;
  password: string;
  role: Role;
  cookie: string;
}

export interface ApiAnswer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

const db = () => getDb(env);
const uniq = () => crypto.randomUUID().slice(0, 8);

let passwordHash: Promise<string> | undefined;
/** Hashing is slow on purpose; fixtures share one hash of TEST_PASSWORD. */
const testPasswordHash = () => (passwordHash ??= hashPassword(TEST_PASSWORD));

/**
 * One call to `/api/v1` + path (a path starting with `/api/` or `/agent/` is used as is).
 * `body`: an object is sent as JSON; a string is sent as-is with a JSON content type (for
 * malformed bodies). `auth` null = anonymous.
 */
export async function api<T = any>(
  auth: Auth | null,
  method: string,
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<ApiAnswer<T>> {
  const url = /^\/(api|agent)\//.test(path) ? `${ORIGIN}${path}` : `${ORIGIN}/api/v1${path}`;
  const headers: Record<string, string> = { ...auth?.headers, ...extraHeaders };
  let payload: string | undefined;
  if (body !== undefined) {
    headers['content-type'] ??= 'application/json';
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const res = await SELF.fetch(url, { method, headers, body: payload, redirect: 'manual' });
  const text = await res.text();
  let parsed: unknown = text || null;
  if (text && res.headers.get('content-type')?.includes('json')) parsed = JSON.parse(text);
  return { status: res.status, body: parsed as T, headers: res.headers };
}

function sessionCookie(res: ApiAnswer): string {
  const m = /tether_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '');
  if (!m) throw new Error(`no session cookie in the answer (status ${res.status})`);
  return `tether_session=${m[1]}`;
}

export const cookieAuth = (cookie: string): Auth => ({ headers: { Cookie: cookie, Origin: ORIGIN } });
export const bearerAuth = (token: string): Auth => ({ headers: { Authorization: `Bearer ${token}` } });

let bootstrapped: Promise<BootstrappedTenant> | undefined;

/** The file's first tenant, made by the real first-run setup; later calls answer the same tenant. */
export function bootstrapTenant(): Promise<BootstrappedTenant> {
  return (bootstrapped ??= (async () => {
    const email = `owner-${uniq()}@example.test`;
    const res = await api(null, 'POST', '/bootstrap', { tenantName: 'Acme IT', name: 'Olive Owner', email, password: TEST_PASSWORD }, { Origin: ORIGIN });
    if (res.status !== 201) throw new Error(`bootstrap failed: ${res.status} ${JSON.stringify(res.body)}`);
    const cookie = sessionCookie(res);
    const tenantId: string = res.body.tenant.id;
    const row = await env.DB.prepare(
      'SELECT c.id AS clientId, s.id AS siteId FROM clients c JOIN sites s ON s.client_id = c.id WHERE c.tenant_id = ? LIMIT 1',
    )
      .bind(tenantId)
      .first<{ clientId: string; siteId: string }>();
    if (!row) throw new Error('bootstrap made no client and site');
    return { ...cookieAuth(cookie), cookie, tenantId, userId: res.body.user.id, email, password: TEST_PASSWORD, ...row };
  })());
}

/** Another tenant, without the first-run setup: tenant (with signing keys), owner, client, site, owner token. */
export async function createTenantDirect(name = `Tenant ${uniq()}`): Promise<DirectTenant> {
  const email = `owner-${uniq()}@example.test`;
  const created = await createTenant(
    db(),
    env.TETHER_MASTER_KEY,
    { name, owner: { name: `${name} Owner`, email, passwordHash: await testPasswordHash() } },
    { auditAction: 'tenant.create', ip: null },
  );
  if (!created) throw new Error('tenant not created');
  const base = { tenantId: created.tenant.id, userId: created.owner.id, email, password: TEST_PASSWORD, clientId: created.clientId, siteId: created.siteId };
  const token = await tokenFor(base);
  return { ...base, ...bearerAuth(token), token };
}

/** A new user of the tenant with a signed-in session (written straight to D1, no rate limits). */
export async function addUser(tenant: { tenantId: string }, role: Role, clientIds: string[] | null = null): Promise<UserFixture> {
  const userId = newId('usr');
  const email = `${role}-${uniq()}@example.test`;
  await db().insert(users).values({
    id: userId,
    tenantId: tenant.tenantId,
    email,
    name: `${role} ${uniq()}`,
    passwordHash: await testPasswordHash(),
    role,
    clientIds,
    createdAt: Date.now(),
  });
  const cookie = await sessionFor({ tenantId: tenant.tenantId, userId });
  return { ...cookieAuth(cookie), tenantId: tenant.tenantId, userId, email, password: TEST_PASSWORD, role, cookie };
}

/** A fresh session for an existing user; answers the Cookie header value. */
export async function sessionFor(user: { tenantId: string; userId: string }): Promise<string> {
  const secret = randomSecret('tss');
  const now = Date.now();
  await db().insert(sessions).values({
    idHash: await sha256Hex(secret),
    userId: user.userId,
    tenantId: user.tenantId,
    createdAt: now,
    expiresAt: now + 3600_000,
    lastSeenAt: now,
  });
  return `tether_session=${secret}`;
}

/** An API token for a user (default: the user's own role and clients), written straight to D1. */
export async function tokenFor(user: { tenantId: string; userId: string }, role?: Role, clientIds?: string[] | null): Promise<string> {
  const owner = await db().select().from(users).where(eq(users.id, user.userId)).get();
  if (!owner) throw new Error('no such user');
  const token = randomSecret('tat');
  await db()
    .insert(apiTokens)
    .values({
      id: newId('tok'),
      tenantId: user.tenantId,
      userId: user.userId,
      name: 'fixture',
      tokenHash: await sha256Hex(token),
      prefix: token.slice(0, 12),
      role: role ?? owner.role,
      clientIds: clientIds !== undefined ? clientIds : owner.clientIds,
      createdAt: Date.now(),
    });
  return token;
}

/** A device row as enrollment would leave it (offline), at the tenant's default site unless told. */
export async function insertDevice(
  tenant: { tenantId: string; clientId: string; siteId: string },
  fields: Partial<typeof devices.$inferInsert> = {},
): Promise<string> {
  const id = newId('dev');
  await db()
    .insert(devices)
    .values({
      id,
      tenantId: tenant.tenantId,
      clientId: tenant.clientId,
      siteId: tenant.siteId,
      hostname: `host-${uniq()}`,
      osPlatform: 'linux',
      osName: 'Debian GNU/Linux',
      osVersion: '12',
      arch: 'x64',
      agentVersion: '0.1.0',
      tokenHash: await sha256Hex(randomSecret('tdt')),
      status: 'offline',
      enrolledAt: Date.now(),
      ...fields,
    });
  return id;
}

/** Tables holding tenant data, for before/after comparisons (rate_limits is not tenant data). */
const TENANT_TABLES = [
  'users',
  'sessions',
  'api_tokens',
  'clients',
  'sites',
  'devices',
  'device_tags',
  'device_groups',
  'device_group_members',
  'enrollment_keys',
  'commands',
  'audit_log',
  'check_sets',
  'check_set_assignments',
  'device_checks',
  'escalation_policies',
  'maintenance_windows',
  'alerts',
  'alert_events',
  'notifications',
  'integrations',
  'deliveries',
  'notification_policies',
  'tickets',
  'ticket_comments',
  'ticket_time_entries',
  'ticket_attachments',
  'ticket_events',
  'ticket_alerts',
  'ticket_counters',
  'business_calendars',
  'sla_policies',
  'ticket_rules',
  'scripts',
  'script_versions',
  'jobs',
  'job_targets',
  'device_inventory',
  'device_software',
  'device_changes',
  'saved_searches',
  'device_assets',
  'device_warranties',
  'warranty_providers',
  'licences',
  'packages',
  'package_versions',
  'device_patches',
  'patch_scans',
  'patch_approvals',
  'patch_policies',
  'patch_schedules',
  'patch_compliance_daily',
];

/** Every row a tenant owns, table by table, in a stable order: equal snapshots = nothing changed. */
export async function snapshotTenant(tenantId: string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  out.tenants = (await env.DB.prepare('SELECT * FROM tenants WHERE id = ?').bind(tenantId).all()).results;
  for (const table of TENANT_TABLES) {
    const { results } = await env.DB.prepare(`SELECT * FROM ${table} WHERE tenant_id = ? ORDER BY rowid`).bind(tenantId).all();
    out[table] = results;
  }
  return out;
}

/**
 * Fixed-window rate limits reset at each window boundary, so a test that fills a window
 * must not straddle one: wait out the current window when less than `needMs` of it is left.
 */
export async function clearOfWindowEdge(windowMs: number, needMs: number): Promise<void> {
  const left = windowMs - (Date.now() % windowMs);
  if (left < needMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
