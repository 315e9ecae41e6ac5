import { parseCli, USAGE, type Cli } from './cli';
import { enroll } from './enroll';
import { EXIT_FAILURE } from './exit-codes';
import { hasIdentity } from './identity';
import { describeError, log } from './log';
import { resolveStateDir, statePaths } from './paths';
import { install, uninstall } from './service';
import { printStatus } from './status-command';
import { runAgent } from './run';
import { AGENT_VERSION } from './version';

const print = (line: string) => process.stdout.write(line + '\n');

async function dispatch(cli: Cli): Promise<number> {
  const paths = statePaths(resolveStateDir(cli.state));
  switch (cli.command) {
    case 'help':
      print(USAGE);
      return 0;
    case 'version':
      print(AGENT_VERSION);
      return 0;
    case 'enroll': {
      const id = await enroll(paths, { server: cli.server!, key: cli.key!, force: cli.force });
      print(`enrolled as device ${id.deviceId} (tenant ${id.tenantId}) with ${id.server}`);
      print(`identity saved to ${paths.identity}`);
      return 0;
    }
    case 'run':
      return runAgent(paths);
    case 'status':
      return printStatus(paths, print) ? 0 : EXIT_FAILURE;
    case 'install':
      if (!hasIdentity(paths)) {
        if (!cli.dryRun) throw new Error(`not enrolled (${paths.identity} is missing): run enroll first`);
        print(`# note: not enrolled yet (${paths.identity} is missing)`);
      }
      install(paths.dir, cli.dryRun, print);
      return 0;
    case 'uninstall':
      uninstall(paths.dir, cli.dryRun, print);
      return 0;
  }
}

async function main(): Promise<void> {
  let cli: Cli;
  try {
    cli = parseCli(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`tether-agent: ${describeError(err)}\n\n${USAGE}\n`);
    process.exit(2);
  }
  try {
    process.exitCode = await dispatch(cli);
  } catch (err) {
    log.error(describeError(err));
    process.exitCode = EXIT_FAILURE;
  }
  // Sockets, timers and systeminformation's helpers must not keep a finished command alive.
  process.exit();
}

void main();
