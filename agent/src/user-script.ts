import { existsSync } from 'node:fs';
import { type Account, consoleUserName, lookupAccount } from './console-user';

export interface UserRunOptions {
  /** Who is logged in at the console; replaceable so a test can name an account of its own. */
  consoleUser?: () => Promise<string | null>;
  /**
   * Where the user's private run directory is made. The agent's state directory is closed to
   * other accounts, so this is a directory everyone can traverse (sticky /tmp).
   */
  scratchDir?: string;
  platform?: NodeJS.Platform;
}

export interface ConsoleAccount {
  name: string;
  /** The account to switch to; absent when the agent already runs as that user. */
  owner?: { uid: number; gid: number };
  env: NodeJS.ProcessEnv;
  scratchDir: string;
}

/** The environment a login shell of `account` would have for the variables scripts rely on. */
export function userEnv(base: NodeJS.ProcessEnv, account: Account): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, HOME: account.home, USER: account.name, LOGNAME: account.name };
  delete env.XDG_RUNTIME_DIR;
  delete env.MAIL;
  // Desktop notifications and the session bus live here while the user is logged in.
  const runtime = `/run/user/${account.uid}`;
  if (existsSync(runtime)) env.XDG_RUNTIME_DIR = runtime;
  return env;
}

/** Finds the console user and what running as them takes, or why a script cannot. */
export async function consoleAccount(base: NodeJS.ProcessEnv, opts: UserRunOptions = {}): Promise<ConsoleAccount | { error: string }> {
  const platform = opts.platform ?? process.platform;
  if (platform === 'win32') return { error: 'running a script as the logged-in user is not supported on Windows yet' };
  const name = await (opts.consoleUser ?? (() => consoleUserName(platform)))();
  if (!name) return { error: 'no user is logged in at the console' };
  const account = await lookupAccount(name, platform);
  if (!account) return { error: `the logged-in user ${name} has no local account record` };
  const self = process.getuid?.();
  if (self !== account.uid && self !== 0) return { error: `the agent must run as root to run a script as ${name}` };
  return {
    name,
    ...(self === account.uid ? {} : { owner: { uid: account.uid, gid: account.gid } }),
    env: userEnv(base, account),
    scratchDir: opts.scratchDir ?? '/tmp',
  };
}
