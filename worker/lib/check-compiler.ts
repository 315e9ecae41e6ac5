import type { Context } from 'hono';
import { and, eq, isNull, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { checkSetAssignments, checkSets, deviceChecks, deviceGroupMembers, devices, deviceTags, tenants, type ScopeType } from '../../db/schema';
import {
  AgentCheckConfig,
  CheckDef,
  DEFAULT_COLLECTORS,
  isAgentCheck,
  type AgentCheck,
  type CompiledCheck,
} from '../../protocol/checks';
import { SCOPE_PRECEDENCE } from '../../protocol/api/check-sets';
import type { SignedCommand } from '../../protocol/command';
import type { DeviceChecksPush } from '../../durable/contracts';
import type { AppEnv, Db } from '../types';
import { sha256Hex, signWithTenantKey } from './crypto';
import { deviceHub } from './hubs';
import { inIds } from './sql-helpers';

/*
 * The per-device check compiler. A device's effective checks are the checks of every set
 * assigned to a scope that covers it (the tenant; its client; its site; each group it is in;
 * each of its tags; the device itself), merged by check key: the most specific scope wins
 * (tenant < client < site < group < tag < device), and within one level the newest
 * assignment (the larger id) wins. A check with `enabled: false` removes its key, so a more
 * specific set can switch off a check a broader one brings.
 *
 * The result is stored in `device_checks` and pushed to the device's hub, which judges the
 * hub-side checks itself and hands the agent-run ones, signed, to the agent.
 */

/** Recompiles of at most this many devices are awaited by the request that caused them. */
export const SYNC_RECOMPILE_LIMIT = 100;
/** Devices handled per D1 round trip while recompiling. */
const CHUNK = 50;
/** Hub pushes in flight at once. */
const CONCURRENCY = 8;

const RANK = Object.fromEntries(SCOPE_PRECEDENCE.map((s, i) => [s, i])) as Record<ScopeType, number>;

export interface DeviceFacts {
  id: string;
  clientId: string;
  siteId: string;
  groupIds: string[];
  tags: string[];
}

export interface AssignmentRef {
  id: string;
  checkSetId: string;
  scopeType: ScopeType;
  scopeId: string | null;
}

export interface SetContent {
  id: string;
  name: string;
  escalationPolicyId: string | null;
  checks: CheckDef[];
}

export interface CompiledDeviceChecks {
  deviceId: string;
  tenantId: string;
  clientId: string;
  version: string;
  checks: CompiledCheck[];
}

export function assignmentCovers(a: AssignmentRef, d: DeviceFacts): boolean {
  switch (a.scopeType) {
    case 'tenant':
      return true;
    case 'client':
      return a.scopeId === d.clientId;
    case 'site':
      return a.scopeId === d.siteId;
    case 'group':
      return a.scopeId !== null && d.groupIds.includes(a.scopeId);
    case 'tag':
      return a.scopeId !== null && d.tags.includes(a.scopeId);
    case 'device':
      return a.scopeId === d.id;
  }
}

const byPrecedence = (a: AssignmentRef, b: AssignmentRef) =>
  RANK[a.scopeType] - RANK[b.scopeType] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Merges the sets assigned to one device into its effective checks, ordered by key. */
export function mergeChecks(device: DeviceFacts, assignments: AssignmentRef[], sets: Map<string, SetContent>): CompiledCheck[] {
  const merged = new Map<string, CompiledCheck | null>();
  for (const a of assignments.filter((x) => assignmentCovers(x, device)).sort(byPrecedence)) {
    const set = sets.get(a.checkSetId);
    if (!set) continue;
    for (const check of set.checks) {
      merged.set(check.key, check.enabled ? { ...check, setId: set.id, setName: set.name, escalationPolicyId: set.escalationPolicyId } : null);
    }
  }
  return [...merged.values()].filter((c): c is CompiledCheck => c !== null).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** JSON with object keys sorted at every level: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((x) => (x === undefined ? 'null' : canonicalJson(x))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, x]) => x !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
}

/** First 16 hex characters of SHA-256 over the canonical JSON of the checks and collectors. */
export async function checksVersion(checks: CompiledCheck[]): Promise<string> {
  return (await sha256Hex(canonicalJson({ checks, collectors: DEFAULT_COLLECTORS }))).slice(0, 16);
}

// ---- loading ----

/** Live devices among `ids`, with their groups and tags (one D1 round trip). */
async function loadFacts(db: Db, tenantId: string, ids: string[]): Promise<DeviceFacts[]> {
  if (ids.length === 0) return [];
  const [rows, groups, tags] = await db.batch([
    db
      .select({ id: devices.id, clientId: devices.clientId, siteId: devices.siteId })
      .from(devices)
      .where(and(eq(devices.tenantId, tenantId), isNull(devices.revokedAt), inIds(devices.id, ids))),
    db
      .select({ deviceId: deviceGroupMembers.deviceId, groupId: deviceGroupMembers.groupId })
      .from(deviceGroupMembers)
      .where(and(eq(deviceGroupMembers.tenantId, tenantId), inIds(deviceGroupMembers.deviceId, ids))),
    db
      .select({ deviceId: deviceTags.deviceId, tag: deviceTags.tag })
      .from(deviceTags)
      .where(and(eq(deviceTags.tenantId, tenantId), inIds(deviceTags.deviceId, ids))),
  ]);
  const facts = new Map<string, DeviceFacts>(rows.map((r) => [r.id, { ...r, groupIds: [], tags: [] }]));
  for (const g of groups) facts.get(g.deviceId)?.groupIds.push(g.groupId);
  for (const t of tags) facts.get(t.deviceId)?.tags.push(t.tag);
  return [...facts.values()];
}

async function loadAssignments(db: Db, tenantId: string): Promise<AssignmentRef[]> {
  return db
    .select({ id: checkSetAssignments.id, checkSetId: checkSetAssignments.checkSetId, scopeType: checkSetAssignments.scopeType, scopeId: checkSetAssignments.scopeId })
    .from(checkSetAssignments)
    .where(eq(checkSetAssignments.tenantId, tenantId))
    .all();
}

/** Stored checks are re-read through the schema (defaults of newer versions apply); a check that no longer parses is skipped. */
function parseStoredChecks(setId: string, raw: unknown[]): CheckDef[] {
  const out: CheckDef[] = [];
  for (const item of raw) {
    const parsed = v.safeParse(CheckDef, item);
    if (parsed.success) out.push(parsed.output);
    else console.error('stored check does not parse; skipped', setId, (item as { key?: unknown })?.key);
  }
  return out;
}

/** Caches set contents across the chunks of one recompile. */
class SetLoader {
  private readonly sets = new Map<string, SetContent>();
  constructor(
    private readonly db: Db,
    private readonly tenantId: string,
  ) {}

  async load(ids: Iterable<string>): Promise<Map<string, SetContent>> {
    const missing = [...new Set(ids)].filter((id) => !this.sets.has(id));
    if (missing.length) {
      const rows = await this.db
        .select({ id: checkSets.id, name: checkSets.name, escalationPolicyId: checkSets.escalationPolicyId, checks: checkSets.checks })
        .from(checkSets)
        .where(and(eq(checkSets.tenantId, this.tenantId), inIds(checkSets.id, missing)))
        .all();
      for (const r of rows) this.sets.set(r.id, { ...r, checks: parseStoredChecks(r.id, r.checks) });
    }
    return this.sets;
  }
}

async function compileMany(db: Db, tenantId: string, facts: DeviceFacts[], assignments: AssignmentRef[], loader: SetLoader) {
  const needed = assignments.filter((a) => facts.some((d) => assignmentCovers(a, d))).map((a) => a.checkSetId);
  const sets = await loader.load(needed);
  const out: CompiledDeviceChecks[] = [];
  for (const d of facts) {
    const checks = mergeChecks(d, assignments, sets);
    out.push({ deviceId: d.id, tenantId, clientId: d.clientId, version: await checksVersion(checks), checks });
  }
  return out;
}

/** The effective checks of one live device of the tenant, or null if there is no such device. */
export async function compileDeviceChecks(db: Db, tenantId: string, deviceId: string): Promise<CompiledDeviceChecks | null> {
  const facts = await loadFacts(db, tenantId, [deviceId]);
  if (facts.length === 0) return null;
  const [compiled] = await compileMany(db, tenantId, facts, await loadAssignments(db, tenantId), new SetLoader(db, tenantId));
  return compiled ?? null;
}

// ---- signing and pushing ----

/**
 * The agent-run part as a signed AgentCheckConfig. Signed even when empty: an agent keeps
 * running the last config it verified, so removing its last check must reach it too.
 */
export async function signAgentConfig(
  masterKey: string,
  tenantKeyEnc: string,
  compiled: CompiledDeviceChecks,
  issuedAt = Date.now(),
): Promise<SignedCommand> {
  const agentChecks = compiled.checks
    .filter((c) => isAgentCheck(c))
    .map(({ setId: _s, setName: _n, escalationPolicyId: _e, ...check }) => check as AgentCheck);
  const config = v.parse(AgentCheckConfig, {
    v: 1,
    type: 'checks',
    deviceId: compiled.deviceId,
    tenantId: compiled.tenantId,
    version: compiled.version,
    issuedAt,
    checks: agentChecks,
    collectors: DEFAULT_COLLECTORS,
  } satisfies AgentCheckConfig);
  const text = JSON.stringify(config);
  return { payload: text, sig: await signWithTenantKey(masterKey, tenantKeyEnc, text) };
}

async function mapLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export interface RecompileResult {
  /** Live devices compiled. */
  compiled: number;
  /** Of those, pushed to their hub because their version changed (a device that never had checks and still has none is only stored). */
  pushed: number;
  /** Pushes that failed (logged; the stored row keeps the old version so the next recompile retries). */
  failed: number;
}

export interface RecompileOptions {
  /** Push even when the stored version is the same. */
  force?: boolean;
}

/**
 * Compiles each device, pushes changed versions to its hub (a few at a time), then stores
 * what was pushed in `device_checks`. Missing and retired devices are skipped. Never throws
 * for one device's failure.
 */
export async function recompileDevices(env: Env, db: Db, tenantId: string, deviceIds: string[], opts: RecompileOptions = {}): Promise<RecompileResult> {
  const ids = [...new Set(deviceIds)];
  const result: RecompileResult = { compiled: 0, pushed: 0, failed: 0 };
  if (ids.length === 0) return result;
  const tenant = await db.select({ key: tenants.signingPrivateKeyEnc }).from(tenants).where(eq(tenants.id, tenantId)).get();
  if (!tenant) throw new Error(`tenant ${tenantId} has no signing key`);
  const assignments = await loadAssignments(db, tenantId);
  const loader = new SetLoader(db, tenantId);
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const facts = await loadFacts(db, tenantId, chunk);
    const compiled = await compileMany(db, tenantId, facts, assignments, loader);
    result.compiled += compiled.length;
    const stored = new Map(
      (
        await db
          .select({ deviceId: deviceChecks.deviceId, version: deviceChecks.version })
          .from(deviceChecks)
          .where(and(eq(deviceChecks.tenantId, tenantId), inIds(deviceChecks.deviceId, chunk)))
          .all()
      ).map((r) => [r.deviceId, r.version]),
    );
    const changed = compiled.filter((d) => opts.force || stored.get(d.deviceId) !== d.version);
    const done: (typeof deviceChecks.$inferInsert)[] = [];
    // A hub never given checks has none: a device that still has none needs only its row, not a hub wake-up.
    for (const d of changed.filter((x) => !opts.force && !stored.has(x.deviceId) && x.checks.length === 0)) {
      done.push({ deviceId: d.deviceId, tenantId, version: d.version, checks: [], compiledAt: Date.now() });
    }
    const toPush = changed.filter((x) => opts.force || stored.has(x.deviceId) || x.checks.length > 0);
    await mapLimit(toPush, CONCURRENCY, async (d) => {
      try {
        const compiledAt = Date.now();
        const push: DeviceChecksPush = {
          version: d.version,
          compiledAt,
          checks: d.checks,
          agentConfig: await signAgentConfig(env.TETHER_MASTER_KEY, tenant.key, d, compiledAt),
        };
        await deviceHub(env, d.deviceId).setChecks(push, { deviceId: d.deviceId, tenantId, clientId: d.clientId });
        done.push({ deviceId: d.deviceId, tenantId, version: d.version, checks: d.checks, compiledAt });
        result.pushed++;
      } catch (err) {
        result.failed++;
        console.error('check push failed', d.deviceId, err);
      }
    });
    if (done.length) {
      const [first, ...rest] = done.map((row) =>
        db
          .insert(deviceChecks)
          .values(row)
          .onConflictDoUpdate({
            target: deviceChecks.deviceId,
            set: { version: row.version, checks: row.checks, compiledAt: row.compiledAt },
            // A device id is unique across tenants; never let one tenant overwrite another's row.
            setWhere: sql`${deviceChecks.tenantId} = ${tenantId}`,
          }),
      );
      await db.batch([first!, ...rest]);
    }
  }
  return result;
}

/** How a request answered the recompile its change caused. */
export interface RecompileInfo {
  /** Live devices whose checks the change may alter. */
  devices: number;
  /** True when there were more than SYNC_RECOMPILE_LIMIT: they are recompiled after the answer. */
  deferred: boolean;
}

export const RECOMPILE_DOC =
  `Devices the change affects are recompiled and their new checks pushed: up to ${SYNC_RECOMPILE_LIMIT} before the answer, ` +
  'more in the background after it; `recompile` in the answer says how many and whether it was deferred.';

/**
 * Recompiles the devices a change affected: awaited when they are few (the answer reflects
 * it), else in the background after the answer. Failures are logged, never thrown.
 */
export async function recompileAfterChange(c: Context<AppEnv>, tenantId: string, deviceIds: string[]): Promise<RecompileInfo> {
  const ids = [...new Set(deviceIds)];
  if (ids.length === 0) return { devices: 0, deferred: false };
  const run = recompileDevices(c.env, c.var.db, tenantId, ids).catch((err: unknown) => {
    console.error('recompile failed', tenantId, ids.length, err);
  });
  if (ids.length <= SYNC_RECOMPILE_LIMIT) {
    await run;
    return { devices: ids.length, deferred: false };
  }
  c.executionCtx.waitUntil(run);
  return { devices: ids.length, deferred: true };
}

/** The `recompile` field of answers, for the OpenAPI document. */
export const RecompileInfoSchema = v.object({ devices: v.number(), deferred: v.boolean() });
