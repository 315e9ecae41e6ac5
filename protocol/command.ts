import * as v from 'valibot';
import { MAX_SCRIPT_BYTES, MAX_SCRIPT_TIMEOUT_SECONDS } from './limits';

export const Interpreter = v.picklist(['bash', 'sh', 'powershell', 'python']);
export type Interpreter = v.InferOutput<typeof Interpreter>;

export const RunScriptParams = v.object({
  interpreter: Interpreter,
  script: v.pipe(v.string(), v.minLength(1), v.maxBytes(MAX_SCRIPT_BYTES)),
  /** Passed as an argument vector, never joined into a shell string. */
  args: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(4096))), v.maxLength(64)), []),
  timeoutSeconds: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_SCRIPT_TIMEOUT_SECONDS)),
    300,
  ),
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
