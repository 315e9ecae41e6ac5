import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { SecurityState } from '../../../protocol/device-state';
import { findExecutable } from '../interpreters';
import {
  LINUX_AV_PROCESSES, firewalldRunning, nftFiltersInput, parseAptCheck, parseAptSimulate, parseDnfCheckUpdate, rootEncryption, ufwActive,
} from '../parsers/linux-security';
import { runProgram } from '../run-program';
import { listProcesses, nameMatches } from '../system/process-names';

/** Services run with a short PATH; the firewall tools live in sbin. */
const SBIN_PATH = [process.env.PATH, '/usr/local/sbin', '/usr/sbin', '/sbin'].filter(Boolean).join(':');
const which = (name: string) => findExecutable(name, { ...process.env, PATH: SBIN_PATH });

export type LinuxSecurity = Omit<SecurityState, 'rebootRequiredSince'> & { rebootSince: number | null };

/** ufw and firewalld manage nftables underneath; ask them first, then the ruleset itself. */
async function firewall(): Promise<boolean | null> {
  const answers: (boolean | null)[] = [];
  const ufw = which('ufw');
  if (ufw) answers.push(ufwActive((await runProgram(ufw, ['status'], { timeoutMs: 15_000 })).stdout));
  const fwcmd = which('firewall-cmd');
  if (fwcmd) {
    const r = await runProgram(fwcmd, ['--state'], { timeoutMs: 15_000 });
    answers.push(firewalldRunning(r.stdout || r.stderr));
  }
  const nft = which('nft');
  if (nft && !answers.includes(true)) {
    const r = await runProgram(nft, ['list', 'ruleset'], { timeoutMs: 15_000 });
    answers.push(r.code === 0 ? nftFiltersInput(r.stdout) : null);
  }
  if (answers.includes(true)) return true;
  // No tool, or none could answer (not root): unknown; iptables-legacy rules could still be loaded.
  return answers.includes(false) ? false : null;
}

async function antivirus(): Promise<SecurityState['antivirus']> {
  const procs = await listProcesses('linux');
  if (procs) {
    for (const product of LINUX_AV_PROCESSES) {
      if (procs.some((p) => product.processes.some((n) => nameMatches(p, n, 'linux')))) {
        return { present: true, name: product.name, enabled: true, upToDate: product.name === 'ClamAV' ? await clamCurrent() : null };
      }
    }
  }
  if (which('clamscan')) return { present: true, name: 'ClamAV (on demand)', enabled: false, upToDate: await clamCurrent() };
  // Most Linux servers run none, and there is no registry to ask: unknown, not "missing".
  return { present: null, enabled: null, upToDate: null };
}

/** freshclam refreshes daily.cvd/cld several times a day; a week without an update is stale. */
async function clamCurrent(): Promise<boolean | null> {
  for (const f of ['/var/lib/clamav/daily.cld', '/var/lib/clamav/daily.cvd']) {
    const s = await stat(f).catch(() => null);
    if (s) return Date.now() - s.mtimeMs < 7 * 86_400_000;
  }
  return null;
}

async function encryption(): Promise<SecurityState['diskEncryption']> {
  const r = await runProgram('lsblk', ['-J', '-o', 'NAME,TYPE,FSTYPE,MOUNTPOINT'], { timeoutMs: 15_000 });
  if (r.code !== 0) return { encrypted: null };
  const e = rootEncryption(r.stdout);
  return { encrypted: e.encrypted, ...(e.detail ? { detail: e.detail.slice(0, 512) } : {}) };
}

async function updates(): Promise<{ pending: number | null; security: number | null }> {
  const aptCheck = '/usr/lib/update-notifier/apt-check';
  if (existsSync(aptCheck)) {
    const r = await runProgram(aptCheck, [], { timeoutMs: 120_000 });
    const parsed = parseAptCheck(r.stderr);
    if (parsed) return parsed;
  }
  if (which('apt-get')) {
    // A simulation against the local package lists: it changes nothing and needs no lock.
    const r = await runProgram('apt-get', ['-s', '-q', 'upgrade'], { timeoutMs: 120_000, env: { ...process.env, LC_ALL: 'C' } });
    if (r.code === 0) return parseAptSimulate(r.stdout);
  }
  for (const tool of ['dnf', 'yum']) {
    if (!which(tool)) continue;
    const r = await runProgram(tool, ['-q', '-C', 'check-update'], { timeoutMs: 120_000 });
    return { pending: parseDnfCheckUpdate(r.stdout, r.code), security: null };
  }
  return { pending: null, security: null };
}

/** Debian and Ubuntu packages drop /run/reboot-required; RHEL has needs-restarting. */
async function reboot(): Promise<{ required: boolean | null; since: number | null }> {
  const flag = await stat('/run/reboot-required').catch(() => stat('/var/run/reboot-required').catch(() => null));
  if (flag) return { required: true, since: flag.mtimeMs };
  const nr = which('needs-restarting');
  if (nr) {
    const r = await runProgram(nr, ['-r'], { timeoutMs: 60_000 });
    if (r.code === 0 || r.code === 1) return { required: r.code === 1, since: null };
  }
  return { required: existsSync('/var/lib/dpkg') ? false : null, since: null };
}

export async function linuxSecurity(): Promise<LinuxSecurity> {
  const [fw, av, enc, upd, rb] = await Promise.all([firewall(), antivirus(), encryption(), updates(), reboot()]);
  return {
    firewallEnabled: fw,
    antivirus: av,
    diskEncryption: enc,
    pendingUpdates: upd.pending,
    securityUpdates: upd.security,
    rebootRequired: rb.required,
    rebootSince: rb.since,
  };
}
