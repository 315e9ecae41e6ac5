import { readFile } from 'node:fs/promises';
import { type Account, isLoginName, parseConsoleOwner, parseDscl, parseLoginctlSessions, parsePasswd, parseWho } from './parsers/logins';
import { runProgram } from './run-program';

export type { Account } from './parsers/logins';

/** The login name of whoever sits at the machine, or null when no one is logged in there. */
export async function consoleUserName(platform = process.platform): Promise<string | null> {
  if (platform === 'darwin') {
    const r = await runProgram('stat', ['-f', '%Su', '/dev/console'], { timeoutMs: 10_000 });
    return r.code === 0 ? parseConsoleOwner(r.stdout) : null;
  }
  // logind knows graphical sessions that never write utmp (Wayland); `who` covers the rest.
  const sessions = await runProgram('loginctl', ['list-sessions', '--no-pager', '-o', 'json'], { timeoutMs: 10_000 });
  const seated = sessions.code === 0 ? parseLoginctlSessions(sessions.stdout) : null;
  if (seated) return seated;
  const who = await runProgram('who', [], { timeoutMs: 10_000 });
  return who.code === 0 ? parseWho(who.stdout) : null;
}

/** uid, gid and home of a local account; null when there is no such account. */
export async function lookupAccount(name: string, platform = process.platform): Promise<Account | null> {
  if (!isLoginName(name)) return null;
  if (platform === 'darwin') {
    const r = await runProgram('dscl', ['.', '-read', `/Users/${name}`, 'NFSHomeDirectory', 'PrimaryGroupID', 'UniqueID'], { timeoutMs: 10_000 });
    return r.code === 0 ? parseDscl(r.stdout, name) : null;
  }
  const r = await runProgram('getent', ['passwd', '--', name], { timeoutMs: 10_000 });
  if (r.code === 0) return parsePasswd(r.stdout, name);
  // getent exits 2 for an unknown name; without getent (minimal images) read the file.
  if (!r.missing) return null;
  const passwd = await readFile('/etc/passwd', 'utf8').catch(() => '');
  return parsePasswd(passwd, name);
}
