import { existsSync, statSync } from 'node:fs';
import { operand, repoInstaller, type Argv } from './common';

const BREW_PATHS = ['/opt/homebrew/bin/brew', '/usr/local/bin/brew'];
/** No self-update, analytics or cleanup as a side effect of an install the agent runs. */
export const BREW_QUIET_ENV: Record<string, string> = { HOMEBREW_NO_AUTO_UPDATE: '1', HOMEBREW_NO_ANALYTICS: '1', HOMEBREW_NO_INSTALL_CLEANUP: '1' };

export interface BrewHome {
  /** The brew executable. */
  path: string;
  /** The uid owning the Homebrew installation. */
  owner: number;
}

export function brewHomeAt(path: string): BrewHome {
  return { path, owner: statSync(path).uid };
}

/**
 * Homebrew refuses to run as root, and the agent runs as root: it runs as the user who owns
 * the Homebrew installation (through sudo, with no password prompt). sudo resets the
 * environment, so the quiet settings go through `env` on that path.
 */
export function brewAsOwner(home: BrewHome, args: string[], uid = process.getuid?.() ?? -1): Argv {
  if (uid === 0 && home.owner !== 0) {
    const quiet = Object.entries(BREW_QUIET_ENV).map(([k, v]) => `${k}=${v}`);
    return { command: 'sudo', args: ['-n', '-H', '-u', `#${home.owner}`, 'env', ...quiet, home.path, ...args] };
  }
  return { command: home.path, args, env: { ...BREW_QUIET_ENV } };
}

export function brewArgv(action: 'install' | 'uninstall', name: string, home: BrewHome, uid = process.getuid?.() ?? -1): Argv {
  return brewAsOwner(home, [action, operand(name, 'formula')], uid);
}

/** This Mac's Homebrew (Apple silicon or Intel prefix), null when it has none. */
export function findBrew(): BrewHome | null {
  const path = BREW_PATHS.find((p) => existsSync(p));
  return path ? brewHomeAt(path) : null;
}

function brewHome(): BrewHome {
  const home = findBrew();
  if (!home) throw new Error('Homebrew is not installed on this Mac');
  return home;
}

// Homebrew installs the current formula: the manifest's version is not passed.
export const brew = repoInstaller({
  install: (name) => brewArgv('install', name, brewHome()),
  remove: (name) => brewArgv('uninstall', name, brewHome()),
  installLabel: 'brew install',
  removeLabel: 'brew uninstall',
});
