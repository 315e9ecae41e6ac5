import * as v from 'valibot';
import {
  CommandStatus,
  EmptyParams,
  FetchFileParams,
  KillProcessParams,
  PowerParams,
  RegistryReadParams,
  RunAs,
  RunScriptParams,
  ServiceParams,
} from '../command';
import { MAX_SCRIPT_TIMEOUT_SECONDS } from '../limits';
import { ParamValues } from '../scripts';
import { RebootPolicy } from '../patches';

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const numeric = (min: number, max: number) =>
  v.pipe(v.string(), v.regex(/^\d+$/, 'must be a whole number'), v.transform(Number), v.minValue(min), v.maxValue(max));

/**
 * What to run, for one device (POST /devices/:id/commands) or many (POST /jobs).
 * `script` runs a library script (built-in or the tenant's) at a version, default the latest;
 * the server checks the values against its typed parameters and renders them to PARAM_* variables.
 */
export const CommandSpec = v.variant('type', [
  v.object({ type: v.literal('run_script'), params: RunScriptParams }),
  v.object({
    type: v.literal('script'),
    scriptId: id,
    version: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
    values: v.optional(ParamValues, {}),
    runAs: v.optional(RunAs, 'system'),
    timeoutSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_SCRIPT_TIMEOUT_SECONDS))),
  }),
  v.object({ type: v.literal('service'), params: ServiceParams }),
  v.object({ type: v.literal('kill_process'), params: KillProcessParams }),
  v.object({ type: v.literal('process_list'), params: v.optional(EmptyParams, {}) }),
  v.object({ type: v.literal('power'), params: PowerParams }),
  v.object({ type: v.literal('power_cancel'), params: v.optional(EmptyParams, {}) }),
  v.object({ type: v.literal('fetch_file'), params: FetchFileParams }),
  v.object({ type: v.literal('registry_read'), params: RegistryReadParams }),
  v.object({ type: v.literal('collect_inventory'), params: v.optional(EmptyParams, {}) }),
  /**
   * A catalog package version: `install` (with the catalog's previous version as the fallback
   * when the install fails over it), `uninstall`, or `rollback` (remove it, reinstalling the
   * previous catalog version where the device had that one). The server signs the manifest.
   */
  v.object({ type: v.literal('deploy'), versionId: id, action: v.optional(v.picklist(['install', 'uninstall', 'rollback']), 'install') }),
  v.object({ type: v.literal('scan_patches'), params: v.optional(EmptyParams, {}) }),
  /** The updates approved when the command is signed (policy + decisions), then reboot by policy. */
  v.object({
    type: v.literal('install_patches'),
    reboot: v.optional(RebootPolicy, 'if_needed'),
    noticeMinutes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(240)), 15),
    maxDeferrals: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10)), 2),
    /** Only these approved keys (default: every approved update). */
    keys: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(300))), v.maxLength(5000))),
  }),
]);
export type CommandSpec = v.InferOutput<typeof CommandSpec>;

/**
 * History: every command of the tenant, newest first, searchable. `q` matches the device's
 * hostname, the script's name and the command type; output is not searched.
 */
export const CommandHistoryQuery = v.object({
  q: v.optional(v.pipe(v.string(), v.maxLength(200))),
  deviceId: v.optional(id),
  scriptId: v.optional(id),
  jobId: v.optional(id),
  createdBy: v.optional(id),
  type: v.optional(v.pipe(v.string(), v.maxLength(40))),
  status: v.optional(CommandStatus),
  from: v.optional(numeric(0, 8.64e15)),
  to: v.optional(numeric(0, 8.64e15)),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(512))),
  limit: v.optional(numeric(1, 200)),
});
export type CommandHistoryQuery = v.InferOutput<typeof CommandHistoryQuery>;
