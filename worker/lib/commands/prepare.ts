import type { CommandPayload, CommandType } from '../../../protocol/command';
import type { CommandSpec } from '../../../protocol/api/commands';
import type { AuthContext, Db } from '../../types';
import { badRequest, notFound } from '../errors';
import { maskRunParams, renderRun } from '../scripts/render';
import { resolveScript } from '../scripts/resolve';
import { prepareDeploy } from '../packages/deploy-command';
import { preparePatchInstall } from '../patches/install-command';

type Params = CommandPayload['params'];

/** A CommandSpec made ready to sign (for one device) or to keep (for a job's later dispatches). */
export interface PreparedCommand {
  type: CommandType;
  /** What gets signed; secrets in clear. Never stored in D1 or logged. */
  params: Params;
  /** What history, audit and jobs store: secret values replaced by SECRET_MASK. */
  stored: Params;
  /** PARAM_* → secret value (empty when none): a job keeps these sealed until it ends. */
  secrets: Record<string, string>;
  /** One line for history and job lists, e.g. "Clear temp files v3" or "reboot in 60 s". */
  label: string;
  scriptId: string | null;
  scriptVersion: number | null;
}

function label(spec: Exclude<CommandSpec, { type: 'script' | 'deploy' | 'install_patches' }>): string {
  switch (spec.type) {
    case 'run_script':
      return `ad hoc ${spec.params.interpreter} script`;
    case 'service':
      return `${spec.params.action} service ${spec.params.name}`;
    case 'kill_process':
      return `end process ${spec.params.pid}${spec.params.name ? ` (${spec.params.name})` : ''}`;
    case 'process_list':
      return 'list processes';
    case 'power':
      return `${spec.params.action} in ${spec.params.delaySeconds} s`;
    case 'power_cancel':
      return 'cancel reboot / shutdown';
    case 'fetch_file':
      return `fetch ${spec.params.path}`;
    case 'registry_read':
      return `read registry ${spec.params.hive}\\${spec.params.key}${spec.params.value ? ` [${spec.params.value}]` : ''}`;
    case 'collect_inventory':
      return 'collect inventory';
    case 'scan_patches':
      return 'scan for updates';
  }
}

/**
 * Resolves a library script (checking its typed values) or takes a command as given, and
 * splits it into what is signed and what is stored. Throws 404 for a script the caller may
 * not see and 400 with the issues for bad values.
 */
export async function prepareCommand(db: Db, auth: Pick<AuthContext, 'tenantId' | 'clientIds'>, spec: CommandSpec): Promise<PreparedCommand> {
  if (spec.type === 'deploy') return prepareDeploy(db, auth, spec);
  if (spec.type === 'install_patches') return preparePatchInstall(db, auth, spec);
  if (spec.type !== 'script') {
    if (spec.type === 'run_script') {
      const secrets = Object.fromEntries(spec.params.secretEnv.filter((k) => k in spec.params.env).map((k) => [k, spec.params.env[k]]));
      return { type: 'run_script', params: spec.params, stored: maskRunParams(spec.params), secrets, label: label(spec), scriptId: null, scriptVersion: null };
    }
    return { type: spec.type, params: spec.params, stored: spec.params, secrets: {}, label: label(spec), scriptId: null, scriptVersion: null };
  }
  const script = await resolveScript(db, auth, spec.scriptId, spec.version);
  if (!script) throw notFound(spec.version === undefined ? 'script' : 'script version');
  const rendered = renderRun(script, spec.values, { runAs: spec.runAs, timeoutSeconds: spec.timeoutSeconds });
  if (!rendered.ok) throw badRequest('the values do not fit the script’s parameters', rendered.issues);
  return {
    type: 'run_script',
    params: rendered.params,
    stored: maskRunParams(rendered.params),
    secrets: rendered.secrets,
    label: `${script.name} v${script.version}`,
    scriptId: script.id,
    scriptVersion: script.version,
  };
}
