/*
 * Who sits at the machine: parsers of `loginctl list-sessions -o json`, `who` and
 * `stat -f %Su /dev/console` (macOS), and of the account records that give their uid.
 */

/** Login names as the tools print them; anything else is not passed on to another tool. */
const LOGIN_NAME = /^[A-Za-z0-9_][A-Za-z0-9._@-]{0,63}\$?$/;
/** Accounts that own the login screen, not a person's session. */
const GREETERS = new Set(['gdm', 'gdm-greeter', 'lightdm', 'sddm', '_mbsetupuser']);

const isPerson = (name: string) => LOGIN_NAME.test(name) && !GREETERS.has(name);

interface LoginctlSession {
  user?: unknown;
  seat?: unknown;
  state?: unknown;
}

/**
 * Sessions on a seat are the ones at the physical console (ssh sessions have none); an
 * active one wins over one left in the background by a fast user switch.
 */
export function parseLoginctlSessions(json: string): string | null {
  let list: LoginctlSession[];
  try {
    const parsed = JSON.parse(json) as unknown;
    if (!Array.isArray(parsed)) return null;
    list = parsed as LoginctlSession[];
  } catch {
    return null;
  }
  const seated = list.filter((s) => typeof s.seat === 'string' && s.seat !== '' && s.seat !== '-' && typeof s.user === 'string' && isPerson(s.user));
  const chosen = seated.find((s) => s.state === 'active') ?? seated[0];
  return chosen ? (chosen.user as string) : null;
}

/** `who` lines whose terminal is the console: a virtual console, an X display or a seat. */
const CONSOLE_LINE = /^(tty\d+|console|:\d+(\.\d+)?|seat\d+)$/;
/** A terminal window inside the local graphical session: `pts/1  … (:0)`. */
const LOCAL_DISPLAY = /\(:\d+(\.\d+)?\)\s*$/;

export function parseWho(text: string): string | null {
  let terminalOnly: string | null = null;
  for (const line of text.split('\n')) {
    const [name, tty] = line.trim().split(/\s+/);
    if (!name || !tty || !isPerson(name)) continue;
    if (CONSOLE_LINE.test(tty)) return name;
    if (!terminalOnly && LOCAL_DISPLAY.test(line)) terminalOnly = name;
  }
  return terminalOnly;
}

/** macOS: the owner of /dev/console; root owns it while the login window shows. */
export function parseConsoleOwner(text: string): string | null {
  const name = text.trim();
  return name && name !== 'root' && isPerson(name) ? name : null;
}

export interface Account {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

/** One `getent passwd NAME` line (or the matching line of /etc/passwd). */
export function parsePasswd(text: string, name: string): Account | null {
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length < 7 || f[0] !== name) continue;
    const uid = Number(f[2]);
    const gid = Number(f[3]);
    if (!Number.isInteger(uid) || !Number.isInteger(gid) || f[2] === '' || f[3] === '') return null;
    return { name, uid, gid, home: f[5] };
  }
  return null;
}

/** `dscl . -read /Users/NAME NFSHomeDirectory PrimaryGroupID UniqueID` (macOS). */
export function parseDscl(text: string, name: string): Account | null {
  const field = (key: string) => new RegExp(`^${key}:\\s*(.+?)\\s*$`, 'm').exec(text)?.[1];
  const uid = Number(field('UniqueID'));
  const gid = Number(field('PrimaryGroupID'));
  const home = field('NFSHomeDirectory');
  if (!Number.isInteger(uid) || !Number.isInteger(gid) || !home) return null;
  return { name, uid, gid, home };
}

export const isLoginName = (name: string) => LOGIN_NAME.test(name);
