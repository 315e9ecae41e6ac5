import { existsSync, statSync } from 'node:fs';
import { judge, operand, repoName, type Argv, type Installer } from './common';

const BREW_PATHS = ['/opt/homebrew/bin/brew', '/usr/local/bin/brew'];
const QUIET = ['HOMEBREW_NO_AUTO_UPDATE=1', 'HOMEBREW_NO_ANALYTICS=1', 'HOMEBREW_NO_INSTALL_CLEANUP=1'];

export interface BrewHome {
  /** The brew executable. */
  path: string;
  /** The uid owning the Homebrew installation. */
  owner: number;
}

/**
 * Homebrew refuses to run as root, and the agent runs as root: it runs as the user who owns
 * the Homebrew installation (through sudo, with no password prompt).
 */
export function brewArgv(action: 'install' | 'uninstall', name: string, home: BrewHome, uid = process.getuid?.() ?? -1): Argv {
  const args = [action, operand(name, 'formula')];
  if (uid === 0 && home.owner !== 0) return { command: 'sudo', args: ['-n', '-H', '-u', `#${home.owner}`, 'env', ...QUIET, home.path, ...args] };
  return { command: home.path, args, env: Object.fromEntries(QUIET.map((kv) => kv.split('=') as [string, string])) };
}

function brewHome(): BrewHome {
  const path = BREW_PATHS.find((p) => existsSync(p));
  if (!path) throw new Error('Homebrew is not installed on this Mac');
  return { path, owner: statSync(path).uid };
}

export const brew: Installer = {
  uninstallNeedsFile: () => false,
  async install(ctx) {
    return judge(await ctx.run(brewArgv('install', repoName(ctx.manifest), brewHome())), 'brew install');
  },
  async uninstall(ctx) {
    return judge(await ctx.run(brewArgv('uninstall', repoName(ctx.manifest), brewHome())), 'brew uninstall');
  },
};
