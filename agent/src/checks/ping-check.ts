import type { CheckOf } from '../../../protocol/checks';
import { runProgram } from '../run-program';
import { fail, pass, type CheckContext, type Outcome } from './outcome';
import { bareHost } from './tcp-check';

/**
 * The OS `ping` with one echo request. The host is validated by the protocol (never starts
 * with "-" or "/"); on Linux and macOS it still follows "--" so no ping can read it as an
 * option. Windows ping has no "--", and its options start with "-" or "/", both excluded.
 */
export function pingCommand(host: string, timeoutMs: number, platform: NodeJS.Platform): { command: string; args: string[] } {
  const h = bareHost(host);
  const v6 = h.includes(':');
  if (platform === 'win32') return { command: 'ping', args: ['-n', '1', '-w', String(timeoutMs), ...(v6 ? ['-6'] : []), h] };
  if (platform === 'darwin') {
    // macOS ping is IPv4 only; ping6 has no per-reply timeout (the process timeout covers it).
    return v6 ? { command: 'ping6', args: ['-c', '1', '-n', '--', h] } : { command: 'ping', args: ['-c', '1', '-n', '-W', String(timeoutMs), '--', h] };
  }
  // iputils: -W is whole seconds.
  return { command: 'ping', args: ['-c', '1', '-n', '-W', String(Math.max(1, Math.ceil(timeoutMs / 1000))), '--', h] };
}

/**
 * Whether a reply came and its round trip. Windows ping exits 0 even for "Destination host
 * unreachable" relayed by a router, so there a reply is a line with TTL= (never translated).
 * The time is read as the number before "ms" after = or <, which survives translations.
 */
export function parsePing(output: string, exitCode: number | null, platform: NodeJS.Platform): { replied: boolean; rttMs?: number } {
  const replied = exitCode === 0 && (platform !== 'win32' || /TTL=/i.test(output));
  if (!replied) return { replied };
  const m = /[=<]\s?(\d+(?:[.,]\d+)?)\s?ms\b/i.exec(output);
  return m ? { replied, rttMs: Number(m[1].replace(',', '.')) } : { replied };
}

export async function pingCheck(c: CheckOf<'ping'>, ctx: Pick<CheckContext, 'platform'>): Promise<Outcome> {
  const { command, args } = pingCommand(c.host, c.timeoutMs, ctx.platform);
  const r = await runProgram(command, args, { timeoutMs: c.timeoutMs + 3_000, env: { ...process.env, LC_ALL: 'C' } });
  if (r.missing) return fail(`cannot ping ${c.host}: ${command} is not installed`);
  const p = parsePing(r.stdout, r.code, ctx.platform);
  if (p.replied) return pass(`${c.host} answered${p.rttMs !== undefined ? ` in ${p.rttMs} ms` : ''}`, p.rttMs !== undefined ? { value: p.rttMs } : {});
  const said = (r.stderr || r.stdout).split('\n').map((l) => l.trim()).find((l) => /unknown|unreachable|not known|could not find|failure|timed out/i.test(l));
  return fail(`no answer from ${c.host} within ${c.timeoutMs} ms${said ? ` (${said.slice(0, 200)})` : ''}`);
}
