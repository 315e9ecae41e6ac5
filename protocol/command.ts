import * as v from 'valibot';
import { MAX_FETCH_FILE_BYTES, MAX_POWER_DELAY_SECONDS, MAX_SCRIPT_BYTES, MAX_SCRIPT_TIMEOUT_SECONDS } from './limits';
import { InstallPackageParams, UninstallPackageParams } from './packages';
import { InstallPatchesParams } from './patches';

export const Interpreter = v.picklist(['bash', 'sh', 'powershell', 'python']);
export type Interpreter = v.InferOutput<typeof Interpreter>;

/**
 * Script parameters reach the script as environment variables named PARAM_<NAME>; names
 * are upper-case identifiers, so they can never collide with PATH, LD_PRELOAD and the like.
 */
export const ParamEnvName = v.pipe(v.string(), v.regex(/^PARAM_[A-Z][A-Z0-9_]{0,39}$/, 'parameter variables are PARAM_ + upper-case name'));

/** Whose account a script runs under: the agent's (root / SYSTEM) or the logged-in user's. */
export const RunAs = v.picklist(['system', 'user']);
export type RunAs = v.InferOutput<typeof RunAs>;

export const RunScriptParams = v.object({
  interpreter: Interpreter,
  script: v.pipe(v.string(), v.minLength(1), v.maxBytes(MAX_SCRIPT_BYTES)),
  /** Passed as an argument vector, never joined into a shell string. */
  args: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(4096))), v.maxLength(64)), []),
  timeoutSeconds: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_SCRIPT_TIMEOUT_SECONDS)),
    300,
  ),
  /** Typed script parameters, rendered to text by the server (see worker/lib/scripts/render.ts). */
  env: v.optional(v.pipe(v.record(ParamEnvName, v.pipe(v.string(), v.maxLength(4096))), v.check((e) => Object.keys(e).length <= 32, 'at most 32 parameters')), {}),
  /** Names in `env` whose values are secrets: the agent replaces them with ****** in all output. */
  secretEnv: v.optional(v.pipe(v.array(ParamEnvName), v.maxLength(32)), []),
  runAs: v.optional(RunAs, 'system'),
});
export type RunScriptParams = v.InferOutput<typeof RunScriptParams>;

/** Start, stop or restart one service (systemd unit, Windows service, launchd label). */
export const ServiceParams = v.object({
  name: v.pipe(
    v.string(),
    v.minLength(1),
    v.maxLength(255),
    v.regex(/^[A-Za-z0-9_.@:$][A-Za-z0-9 _.@:$+-]*$/, 'not a service name'),
  ),
  action: v.picklist(['start', 'stop', 'restart']),
});
export type ServiceParams = v.InferOutput<typeof ServiceParams>;

/** End one process. `name` guards against a pid reused since the list was shown. */
export const KillProcessParams = v.object({
  pid: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(2 ** 31)),
  name: v.optional(v.pipe(v.string(), v.maxLength(255))),
  force: v.optional(v.boolean(), false),
});
export type KillProcessParams = v.InferOutput<typeof KillProcessParams>;

/** Reboot or shut down after a delay, telling logged-in users why; `power_cancel` stops it. */
export const PowerParams = v.object({
  action: v.picklist(['reboot', 'shutdown']),
  delaySeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_POWER_DELAY_SECONDS)), 60),
  message: v.optional(v.pipe(v.string(), v.maxLength(500), v.regex(/^[^\0\r\n]*$/, 'one line of text')), ''),
});
export type PowerParams = v.InferOutput<typeof PowerParams>;

export const EmptyParams = v.strictObject({});

/** Send back one file's bytes (base64 in the result), refused above maxBytes. */
export const FetchFileParams = v.object({
  path: v.pipe(v.string(), v.minLength(1), v.maxLength(4096), v.check((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p), 'an absolute path')),
  maxBytes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_FETCH_FILE_BYTES)), MAX_FETCH_FILE_BYTES),
});
export type FetchFileParams = v.InferOutput<typeof FetchFileParams>;

/** Windows registry: one key's values, or one value. Refused as 'failed' on other systems. */
export const RegistryReadParams = v.object({
  hive: v.picklist(['HKLM', 'HKCU', 'HKU', 'HKCR', 'HKCC']),
  key: v.pipe(v.string(), v.minLength(1), v.maxLength(1024), v.regex(/^[^\0"\r\n]+$/, 'a registry key path'), v.check((k) => !k.startsWith('\\'), 'key path without a leading backslash')),
  value: v.optional(v.pipe(v.string(), v.maxLength(255), v.regex(/^[^\0"\r\n]*$/, 'a value name'))),
});
export type RegistryReadParams = v.InferOutput<typeof RegistryReadParams>;

const envelope = {
  v: v.literal(1),
  id: v.pipe(v.string(), v.minLength(8), v.maxLength(64)),
  deviceId: v.pipe(v.string(), v.minLength(8), v.maxLength(64)),
  tenantId: v.pipe(v.string(), v.minLength(8), v.maxLength(64)),
  issuedAt: v.number(),
  expiresAt: v.number(),
  nonce: v.pipe(v.string(), v.minLength(16), v.maxLength(64)),
};

/** What the server signs. The agent checks every field before anything runs. */
export const CommandPayload = v.variant('type', [
  v.object({ ...envelope, type: v.literal('run_script'), params: RunScriptParams }),
  v.object({ ...envelope, type: v.literal('service'), params: ServiceParams }),
  v.object({ ...envelope, type: v.literal('kill_process'), params: KillProcessParams }),
  v.object({ ...envelope, type: v.literal('process_list'), params: EmptyParams }),
  v.object({ ...envelope, type: v.literal('power'), params: PowerParams }),
  v.object({ ...envelope, type: v.literal('power_cancel'), params: EmptyParams }),
  v.object({ ...envelope, type: v.literal('fetch_file'), params: FetchFileParams }),
  v.object({ ...envelope, type: v.literal('registry_read'), params: RegistryReadParams }),
  /** Collect inventory now (and send what changed) instead of waiting for the timer. */
  v.object({ ...envelope, type: v.literal('collect_inventory'), params: EmptyParams }),
  /** Deploy a catalog package version (protocol/packages.ts); reports steps as `cmd_step` frames. */
  v.object({ ...envelope, type: v.literal('install_package'), params: InstallPackageParams }),
  v.object({ ...envelope, type: v.literal('uninstall_package'), params: UninstallPackageParams }),
  /** Scan for missing updates now; the result is a PatchScan, also sent as a `patches` frame. */
  v.object({ ...envelope, type: v.literal('scan_patches'), params: EmptyParams }),
  v.object({ ...envelope, type: v.literal('install_patches'), params: InstallPatchesParams }),
]);
export type CommandPayload = v.InferOutput<typeof CommandPayload>;
export type CommandType = CommandPayload['type'];

/**
 * A signed command as it travels: `payload` is the exact JSON text that was signed
 * (so no re-serialisation can change the bytes), `sig` the base64 Ed25519 signature.
 */
export const SignedCommand = v.object({
  payload: v.pipe(v.string(), v.maxBytes(MAX_SCRIPT_BYTES + 16 * 1024)),
  sig: v.pipe(v.string(), v.regex(/^[A-Za-z0-9+/]{86}==$/)),
});
export type SignedCommand = v.InferOutput<typeof SignedCommand>;

/*
 * Results that are data, not text: the command's output (stdout) is exactly one JSON document
 * of these shapes, so the dashboard and API can show them as tables and downloads.
 */
export const ProcessListResult = v.object({
  processes: v.array(
    v.object({
      pid: v.number(),
      name: v.string(),
      user: v.nullable(v.string()),
      cpuPercent: v.nullable(v.number()),
      memBytes: v.nullable(v.number()),
      command: v.nullable(v.string()),
    }),
  ),
});
export type ProcessListResult = v.InferOutput<typeof ProcessListResult>;

export const FetchFileResult = v.object({
  path: v.string(),
  size: v.number(),
  sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
  /** base64 of the whole file. */
  data: v.string(),
});
export type FetchFileResult = v.InferOutput<typeof FetchFileResult>;

export const RegistryReadResult = v.object({
  key: v.string(),
  values: v.array(v.object({ name: v.string(), type: v.string(), data: v.string() })),
  subkeys: v.array(v.string()),
});
export type RegistryReadResult = v.InferOutput<typeof RegistryReadResult>;

/** collect_inventory: the snapshot collected and whether it differed from the acknowledged one. */
export const CollectInventoryResult = v.object({
  hash: v.string(),
  changed: v.boolean(),
  software: v.number(),
  /** Frames queued to carry it (0 when unchanged). */
  parts: v.number(),
});
export type CollectInventoryResult = v.InferOutput<typeof CollectInventoryResult>;

/** power: what the agent scheduled (or, for power_cancel, whether anything was pending). */
export const PowerResult = v.object({
  action: v.picklist(['reboot', 'shutdown', 'cancel']),
  at: v.nullable(v.number()),
  message: v.string(),
});
export type PowerResult = v.InferOutput<typeof PowerResult>;

export const CommandStatus = v.picklist([
  'queued',
  'delivered',
  'running',
  'succeeded',
  'failed',
  'timed_out',
  'expired',
  'rejected',
  'interrupted',
  'cancelled',
]);
export type CommandStatus = v.InferOutput<typeof CommandStatus>;
export const FINAL_STATUSES: readonly CommandStatus[] = [
  'succeeded',
  'failed',
  'timed_out',
  'expired',
  'rejected',
  'interrupted',
  'cancelled',
];
