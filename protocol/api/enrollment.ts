import * as v from 'valibot';

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const text = (max: number) => v.pipe(v.string(), v.maxLength(max));

export const CreateEnrollmentKey = v.object({
  name: v.pipe(v.string(), v.trim(), v.minLength(1, 'name is required'), v.maxLength(100)),
  clientId: id,
  siteId: id,
  /** Hours until the key stops working; default one week, at most a year. */
  expiresInHours: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(24 * 366)), 24 * 7),
  /** How many devices may enroll with it; omitted = unlimited until expiry. */
  maxUses: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000))),
});
export type CreateEnrollmentKey = v.InferOutput<typeof CreateEnrollmentKey>;

export const EnrollmentKeyItem = v.object({
  id: v.string(),
  name: v.string(),
  clientId: v.string(),
  siteId: v.string(),
  prefix: v.string(),
  expiresAt: v.nullable(v.number()),
  maxUses: v.nullable(v.number()),
  uses: v.number(),
  revokedAt: v.nullable(v.number()),
  createdAt: v.number(),
  createdBy: v.string(),
});
export type EnrollmentKeyItem = v.InferOutput<typeof EnrollmentKeyItem>;

export const InstallCommands = v.object({ linux: v.string(), macos: v.string(), windows: v.string() });

/** What an agent sends to enroll: a key plus facts about the machine. */
export const EnrollRequest = v.object({
  key: v.pipe(v.string(), v.regex(/^tek_[A-Za-z0-9_-]{20,}$/, 'not an enrollment key')),
  hostname: v.pipe(v.string(), v.minLength(1), v.maxLength(255)),
  os: v.object({
    platform: text(32),
    distro: text(128),
    release: text(128),
    kernel: text(128),
    arch: text(32),
  }),
  agentVersion: v.pipe(v.string(), v.minLength(1), v.maxLength(32)),
});
export type EnrollRequest = v.InferOutput<typeof EnrollRequest>;

export const EnrollResponse = v.object({
  deviceId: v.string(),
  deviceToken: v.string(),
  tenantId: v.string(),
  signingPublicKey: v.string(),
  heartbeatSeconds: v.number(),
});
export type EnrollResponse = v.InferOutput<typeof EnrollResponse>;
