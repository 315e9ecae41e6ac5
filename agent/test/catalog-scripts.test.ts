import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import type { ParamValues } from '../../protocol/scripts';
import { CATALOG, builtinId } from '../../worker/lib/scripts/catalog';
import { renderRun } from '../../worker/lib/scripts/render';
import { findExecutable } from '../src/interpreters';
import { runScript } from '../src/script-runner';
import { tempDir } from './helpers/agent-process';

/*
 * Runs every catalog script meant for Linux (bash, sh and Python) on this machine through the
 * agent's real runner, with parameters rendered exactly as the server renders them. Where a
 * script depends on a tool this machine may lack, the expectation follows what is installed:
 * the script must then say so and exit 3.
 */

const has = (...tools: string[]) => tools.some((t) => findExecutable(t) !== null);
const readable = (path: string) => {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
};
const systemdRunning = existsSync('/run/systemd/system');

interface Fixture {
  dir: string;
  tcpPort: number;
  httpPort: number;
  tlsPort: number | null;
  closedPort: number;
}

interface Expectation {
  values?: ParamValues;
  exitCode: number | number[];
  /** What the combined output must show (a pattern), or a function asserting on it. */
  output: RegExp | ((out: string, exitCode: number | null) => void);
  /** What must still hold on disk afterwards (dry runs change nothing). */
  after?: () => void;
}

const missing = (message: RegExp): Expectation => ({ exitCode: 3, output: message });

const cases: Record<string, (f: Fixture) => Expectation> = {
  'clean-old-temp-files': ({ dir }) => ({
    values: { TARGET_DIR: dir, DAYS: 7, DRY_RUN: true },
    exitCode: 0,
    output: (out) => {
      expect(out).toContain(`would remove ${join(dir, 'old.log')}\n`);
      expect(out).not.toContain('new.log');
      expect(out).toMatch(/^1 file\(s\) older than 7 day\(s\) in .*: would free 0\.0 MiB \(dry run, nothing removed; 0 skipped\)$/m);
    },
    after: () => expect(existsSync(join(dir, 'old.log'))).toBe(true),
  }),
  'linux-journal-vacuum': () =>
    has('journalctl')
      ? { values: { KEEP_DAYS: 14, MAX_SIZE_MB: 500, DRY_RUN: true }, exitCode: 0, output: /^dry run: would run journalctl --vacuum-time=14d --vacuum-size=500M$/m }
      : missing(/journalctl not found: this machine has no systemd journal/),
  'linux-package-cache-clean': () => {
    const values = { AUTOREMOVE: true, DRY_RUN: true };
    if (has('apt-get')) return { values, exitCode: 0, output: /^dry run: would run apt-get clean\ndry run: apt-get autoremove would remove:\n/m };
    if (has('dnf', 'yum')) return { values, exitCode: 0, output: /^dry run: would run \S+ clean packages$/m };
    return { values, ...missing(/no supported package manager \(apt-get, dnf, yum\) found/) };
  },
  'linux-restart-service': () => {
    const values = { SERVICE: 'tether-no-such-unit', DRY_RUN: true };
    if (!has('systemctl')) return { values, ...missing(/systemctl not found/) };
    if (!systemdRunning) return { values, ...missing(/^systemd is not running on this machine$/m) };
    return { values, exitCode: 1, output: /^no such service: tether-no-such-unit$/m };
  },
  'linux-top-processes': () => ({ values: { COUNT: 3 }, exitCode: 0, output: /^== by CPU\n\s*PID USER[^\n]*\n(.*\n){1,3}== by memory\n\s*PID USER/m }),
  'disk-usage-largest-dirs': ({ dir }) => ({
    values: { TARGET_DIR: dir, COUNT: 5 },
    exitCode: 0,
    output: (out) => {
      const lines = out.trim().split('\n');
      expect(lines[0]).toBe(`Largest folders under ${dir} (MiB, this file system only)`);
      // The folder itself first (the total), then its biggest child.
      expect(lines[1]).toMatch(new RegExp(`^\\s+\\d+\\.\\d  ${dir}$`));
      expect(lines[2]).toMatch(new RegExp(`^\\s+2\\.\\d  ${join(dir, 'big')}$`));
    },
  }),
  'free-space-check': ({ dir }) => ({
    values: { TARGET_DIR: dir, MIN_FREE_PERCENT: 100 },
    exitCode: 1,
    output: /^\S+: \d{1,2}% free \([\d.]+ GiB of [\d.]+ GiB\)\nfree space on \S+ is below the threshold of 100%$/m,
  }),
  'uptime-last-boot': () => ({ exitCode: 0, output: /^Last boot: .+\nUp \d+ days, \d+ hours, \d+ minutes$/m }),
  'linux-smart-summary': () =>
    has('smartctl')
      ? { values: { DEVICE: '/dev/tether-no-such-disk' }, exitCode: 0, output: /^== \/dev\/tether-no-such-disk$/m }
      : { values: { DEVICE: '/dev/tether-no-such-disk' }, ...missing(/^smartctl is not installed \(package smartmontools\)$/m) },
  'linux-failed-units': () => {
    if (!has('systemctl')) return missing(/systemctl not found/);
    if (!systemdRunning) return missing(/^systemd is not running on this machine$/m);
    return { exitCode: [0, 1], output: (out, code) => expect(out).toMatch(code === 0 ? /^no failed units$/m : /^== \S+/m) };
  },
  'linux-recent-errors': () => {
    const values = { HOURS: 1, MAX_LINES: 5 };
    if (!has('journalctl') && !readable('/var/log/syslog') && !readable('/var/log/messages')) return { values, ...missing(/no log source found/) };
    return { values, exitCode: 0, output: /^Errors in the last 1 hours\n/ };
  },
  'find-large-files': ({ dir }) => ({
    values: { TARGET_DIR: dir, MIN_SIZE_MB: 1, COUNT: 5 },
    exitCode: 0,
    output: (out) => expect(out).toBe(`Largest files of at least 1 MiB under ${dir}\n       2.0 MiB  ${join(dir, 'big', 'blob')}\n`),
  }),
  'linux-list-admins': () => ({ exitCode: 0, output: /^== Accounts with UID 0\n  root\n== Members of administrative groups\n/ }),
  'linux-failed-logins': () => {
    const values = { HOURS: 2 };
    if (!(has('lastb') && readable('/var/log/btmp')) && !has('journalctl')) return { values, ...missing(/no login failure source found/) };
    return { values, exitCode: 0, output: /^Failed logins in the last 2 hours\n== (login failure log \(lastb\)|SSH \(journal\))\n/ };
  },
  'linux-firewall-status': () =>
    has('ufw', 'firewall-cmd', 'nft', 'iptables')
      ? { exitCode: [0, 1], output: /^Firewall: (ufw|firewalld|nftables|iptables)$/m }
      : missing(/^no firewall tool found \(ufw, firewall-cmd, nft, iptables\)$/m),
  'linux-ssh-audit': () =>
    has('sshd') || existsSync('/usr/sbin/sshd')
      ? { values: { ALLOW_PASSWORD_AUTH: false }, exitCode: [0, 1, 3], output: /^permitrootlogin +\S+$|sshd -T failed/m }
      : { values: { ALLOW_PASSWORD_AUTH: false }, ...missing(/^the OpenSSH server \(sshd\) is not installed$/m) },
  'cert-expiry-check': ({ tlsPort, closedPort }): Expectation =>
    tlsPort
      ? {
          values: { HOST: '127.0.0.1', PORT: tlsPort, WARN_DAYS: 30, VERIFY: true },
          exitCode: 1,
          output: /^Certificate of 127\.0\.0\.1:\d+ expires \d{4}-\d\d-\d\d \d\d:\d\d UTC \(in (9|10) days\)\nTrusted for this name: no \(.*\)\n!! expires within the warning period of 30 days\n!! not trusted: /,
        }
      : { values: { HOST: '127.0.0.1', PORT: closedPort }, exitCode: 1, output: /^error: cannot connect to 127\.0\.0\.1:\d+ over TLS/m },
  'linux-pending-updates': () =>
    has('apt-get', 'dnf', 'yum')
      ? { values: { SECURITY_ONLY: false, FAIL_IF_PENDING: false }, exitCode: 0, output: /^Pending updates: \d+$/m }
      : missing(/no supported package manager/),
  'linux-installed-packages': () =>
    has('dpkg-query', 'rpm')
      ? { values: { NAME_FILTER: 'BASH' }, exitCode: 0, output: /^bash +\S+\n(.*\n)*\d+ package\(s\) match 'BASH'$/m }
      : { values: { NAME_FILTER: 'bash' }, ...missing(/neither dpkg nor rpm found/) },
  'linux-reboot-required': () => ({
    exitCode: [0, 1],
    output: (out, code) => {
      expect(out).toMatch(code === 1 ? /^Reboot required/ : /^No reboot required/);
      if (existsSync('/var/run/reboot-required')) expect(code).toBe(1);
    },
  }),
  'runtime-versions': () => ({
    values: { PROGRAMS: 'python3,bash,tether-no-such-tool' },
    exitCode: 0,
    output: /^python3 +Python 3\.\d+\.\d+ \(\/.*python3\)\nbash +GNU bash.*\ntether-no-such-tool +not found\n$/,
  }),
  'system-summary': () => ({
    values: { FORMAT: 'json' },
    exitCode: 0,
    output: (out) => {
      const info = JSON.parse(out) as { hostname: string; cpu_count: number; disks: { mount: string }[] };
      expect(info.hostname).toBe(hostname());
      expect(info.cpu_count).toBeGreaterThan(0);
      expect(info.disks.length).toBeGreaterThan(0);
    },
  }),
  'linux-hardware-summary': () => ({ exitCode: 0, output: /^== System\n[\s\S]*^== CPU\n[\s\S]*^== Memory\n\s+total[\s\S]*^== Operating system\n  \S.*\n  kernel \S+/m }),
  'linux-installed-software-csv': () =>
    has('dpkg-query', 'rpm') ? { exitCode: 0, output: /^name,version,architecture\n(.*\n)*bash,[^,\n]+,[^,\n]+\n/ } : missing(/neither dpkg nor rpm found/),
  'linux-local-users': () => ({ values: { MIN_UID: 1000 }, exitCode: 0, output: /^USER +UID +PASSWORD +SHELL +LAST_LOGIN +GROUPS\nroot +0 +\S+ +\/\S+ /m }),
  'linux-listening-ports': ({ tcpPort }) =>
    has('ss', 'netstat') ? { values: { PROTOCOL: 'tcp' }, exitCode: 0, output: new RegExp(`127\\.0\\.0\\.1:${tcpPort}\\b`) } : missing(/neither ss nor netstat is installed/),
  'port-check': ({ tcpPort }) => ({
    values: { HOST: '127.0.0.1', PORT: tcpPort, TIMEOUT_SECONDS: 2 },
    exitCode: 0,
    output: new RegExp(`^127\\.0\\.0\\.1:${tcpPort} is open \\(via 127\\.0\\.0\\.1, connected in \\d+ ms\\)$`, 'm'),
  }),
  'http-check': ({ httpPort }) => ({
    values: { URL: `http://127.0.0.1:${httpPort}/health`, EXPECT_STATUS: 200, CONTAINS: 'tether-ok', TIMEOUT_SECONDS: 5 },
    exitCode: 0,
    output: new RegExp(`^HTTP 200 from http://127\\.0\\.0\\.1:${httpPort}/health in \\d+ ms \\(9 bytes\\)\\n$`),
  }),
  'dns-lookup': () => ({ values: { NAME: 'localhost', FAMILY: 'ipv4' }, exitCode: 0, output: /^localhost resolves to 1 address\(es\):\n  127\.0\.0\.1\n$/m }),
  traceroute: () =>
    has('traceroute', 'tracepath')
      ? { values: { HOST: '127.0.0.1', MAX_HOPS: 2 }, exitCode: 0, output: /127\.0\.0\.1/ }
      : { values: { HOST: '127.0.0.1', MAX_HOPS: 2 }, ...missing(/^neither traceroute nor tracepath is installed$/m) },
  'linux-ping-sweep': () => {
    if (!has('ping')) return { values: { NETWORK: '127.0.0', FIRST: 1, LAST: 3 }, ...missing(/ping is not installed/) };
    // Containers may forbid ICMP; then nothing answers, which the sweep must still report.
    const icmp = spawnSync('ping', ['-n', '-c', '1', '-W', '1', '127.0.0.1'], { stdio: 'ignore' }).status === 0;
    return {
      values: { NETWORK: '127.0.0', FIRST: 1, LAST: 3 },
      exitCode: 0,
      output: icmp ? /^Pinging 127\.0\.0\.1-3\n127\.0\.0\.1 is up( \([0-9a-f:]+\))?\n(.*\n)*3 of 3 addresses answered\n$/ : /^Pinging 127\.0\.0\.1-3\n0 of 3 addresses answered\n$/,
    };
  },
  'linux-network-config': () => ({ exitCode: 0, output: /^== Host name: \S+\n== Addresses\n[\s\S]*127\.0\.0\.1[\s\S]*== Routes\n[\s\S]*== DNS\n/ }),
};

const linuxScripts = CATALOG.filter((s) => s.platforms.includes('linux') && s.interpreter !== 'powershell');

const scratch = tempDir('tether-catalog-');
const servers: Server[] = [];
const fixture: Fixture = { dir: join(scratch.path, 'tree'), tcpPort: 0, httpPort: 0, tlsPort: null, closedPort: 0 };

const listen = (server: Server) =>
  new Promise<number>((resolve) => {
    servers.push(server);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });

/** A self-signed certificate valid for ten days, when openssl is here to make one. */
function tenDayCertificate(): { key: Buffer; cert: Buffer } | null {
  if (!has('openssl')) return null;
  const key = join(scratch.path, 'key.pem');
  const cert = join(scratch.path, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '10', '-subj', '/CN=tether-test'], { stdio: 'ignore' });
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

beforeAll(async () => {
  const { dir } = fixture;
  mkdirSync(join(dir, 'big'), { recursive: true });
  mkdirSync(join(dir, 'small'));
  writeFileSync(join(dir, 'big', 'blob'), Buffer.alloc(2 * 1024 * 1024, 1));
  writeFileSync(join(dir, 'small', 'note'), 'x');
  writeFileSync(join(dir, 'old.log'), 'old');
  writeFileSync(join(dir, 'new.log'), 'new');
  const tenDaysAgo = Date.now() / 1000 - 10 * 86400;
  utimesSync(join(dir, 'old.log'), tenDaysAgo, tenDaysAgo);

  fixture.tcpPort = await listen(createTcpServer((s) => s.end()));
  fixture.httpPort = await listen(createHttpServer((_req, res) => res.end('tether-ok')));
  const closed = createTcpServer();
  fixture.closedPort = await listen(closed);
  await new Promise((r) => closed.close(r));
  const tls = tenDayCertificate();
  if (tls) {
    const server = createTlsServer(tls, (s) => s.end());
    server.on('tlsClientError', () => {});
    fixture.tlsPort = await listen(server);
  }
});

afterAll(async () => {
  await Promise.all(servers.filter((s) => s.listening).map((s) => new Promise((r) => s.close(r))));
  scratch.remove();
});

async function run(slug: string, values: ParamValues = {}) {
  const script = CATALOG.find((s) => s.slug === slug)!;
  const rendered = renderRun({ ...script, id: builtinId(slug) }, values, { timeoutSeconds: 45 });
  if (!rendered.ok) throw new Error(`${slug}: ${JSON.stringify(rendered.issues)}`);
  let out = '';
  // The runner itself puts the rendered PARAM_* variables into the script's environment.
  const result = await runScript(rendered.params, (_stream, data) => (out += data)).result;
  return { ...result, out };
}

describe('catalog scripts for Linux, run for real', () => {
  it('has an expectation for every Linux shell and Python script, and none for others', () => {
    expect(linuxScripts.length).toBeGreaterThanOrEqual(20);
    expect(Object.keys(cases).sort()).toEqual(linuxScripts.map((s) => s.slug).sort());
  });

  describe.concurrent.each(linuxScripts.map((s) => [s.slug]))('%s', (slug) => {
    it('exits as documented and prints what it promises', async () => {
      const expectation = cases[slug](fixture);
      const r = await run(slug, expectation.values);
      const codes = Array.isArray(expectation.exitCode) ? expectation.exitCode : [expectation.exitCode];
      expect(r.status, `${slug} output:\n${r.out}`).not.toBe('timed_out');
      expect(codes, `${slug} exited ${r.exitCode}:\n${r.out}`).toContain(r.exitCode);
      if (typeof expectation.output === 'function') expectation.output(r.out, r.exitCode);
      else expect(r.out, slug).toMatch(expectation.output);
      expectation.after?.();
    });
  });
});
