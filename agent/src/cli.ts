import { parseArgs } from 'node:util';

export const USAGE = `Usage: tether-agent <command> [options]

Commands:
  enroll --server URL --key KEY [--force]   register this machine with a Tether server
  run                                       connect and serve (what the service runs)
  status                                    show enrollment, service and connection state
  install [--dry-run]                       install and start the system service
  uninstall [--dry-run]                     stop and remove the system service
  version                                   print the agent version

Every command takes --state DIR (default: $TETHER_STATE_DIR, else /var/lib/tether on Linux,
/Library/Application Support/Tether on macOS, %ProgramData%\\Tether on Windows).`;

export const COMMANDS = ['enroll', 'run', 'status', 'install', 'uninstall', 'version', 'help'] as const;
export type CommandName = (typeof COMMANDS)[number];

export interface Cli {
  command: CommandName;
  state?: string;
  server?: string;
  key?: string;
  force: boolean;
  dryRun: boolean;
}

/** Parses argv (without node and the script); throws a usage message on anything unknown. */
export function parseCli(argv: string[]): Cli {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      state: { type: 'string' },
      server: { type: 'string' },
      key: { type: 'string' },
      force: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const name = values.help ? 'help' : (positionals[0] ?? 'help');
  if (!(COMMANDS as readonly string[]).includes(name)) throw new Error(`unknown command: ${name}`);
  if (positionals.length > 1) throw new Error(`unexpected argument: ${positionals[1]}`);
  const command = name as CommandName;
  if (command === 'enroll' && (!values.server || !values.key)) throw new Error('enroll needs --server URL and --key KEY');
  return { command, state: values.state, server: values.server, key: values.key, force: values.force!, dryRun: values['dry-run']! };
}
