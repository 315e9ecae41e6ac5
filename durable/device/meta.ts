import * as v from 'valibot';
import { HelloFrame } from '../../protocol/agent-frames';
import { CompiledCheck } from '../../protocol/checks';
import { SignedCommand } from '../../protocol/command';

/*
 * Slowly changing facts of one device, kept in the hub's `meta` table so they survive
 * hibernation and are available to alarms (which arrive with no request context).
 */

const shortId = v.pipe(v.string(), v.minLength(1), v.maxLength(64));

export const Identity = v.object({
  deviceId: shortId,
  tenantId: shortId,
  clientId: v.optional(shortId),
});
export type Identity = v.InferOutput<typeof Identity>;

export const AgentInfo = v.pick(HelloFrame, ['agentVersion', 'hostname', 'os']);
export type AgentInfo = v.InferOutput<typeof AgentInfo>;

/** What the TenantHub was last told; only a change of it is reported. */
export const Reported = v.object({
  status: v.picklist(['online', 'offline']),
  at: v.number(),
  ipAddresses: v.array(v.string()),
});
export type Reported = v.InferOutput<typeof Reported>;

/** The device's compiled checks as last pushed by the Worker (contracts.ts DeviceChecksPush). */
export const ChecksPush = v.object({
  version: v.string(),
  compiledAt: v.number(),
  checks: v.array(CompiledCheck),
  agentConfig: v.nullable(SignedCommand),
});

const KEYS = {
  checks: ChecksPush,
  /** Heartbeats refused for impossible values: counted, never stored. */
  droppedSamples: v.object({ count: v.number(), lastReason: v.string(), lastAt: v.number() }),
  identity: Identity,
  info: AgentInfo,
  reported: Reported,
  /** Start of the first hour not yet rolled up into metrics_hour. */
  rolledUntil: v.number(),
  /** When the current agent socket connected (counts as "seen" before its first heartbeat). */
  connectedAt: v.number(),
} as const;
type Keys = typeof KEYS;
export type MetaKey = keyof Keys;

export class MetaStore {
  constructor(private readonly sql: SqlStorage) {}

  get<K extends MetaKey>(key: K): v.InferOutput<Keys[K]> | null {
    const row = this.sql.exec<{ v: string }>('SELECT v FROM meta WHERE k = ?', key).toArray()[0];
    if (!row) return null;
    // Our own rows, but parsed anyway: a schema change must not crash a hub on wake.
    const parsed = v.safeParse(KEYS[key], JSON.parse(row.v));
    return parsed.success ? (parsed.output as v.InferOutput<Keys[K]>) : null;
  }

  set<K extends MetaKey>(key: K, value: v.InferOutput<Keys[K]>): void {
    this.sql.exec(
      'INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v',
      key,
      JSON.stringify(value),
    );
  }
}
