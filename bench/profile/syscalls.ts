import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

export interface SyscallRow {
  syscall: string;
  seconds: number;
  calls: number;
  usPerCall: number;
}

/**
 * Which system calls the runtime blocks in, by wall time (`strace -c -w`), for `seconds`.
 * Only ever attached to a process the bench started itself. Resolves empty when strace is
 * not installed. Tracing slows the process down: the counts matter, the times are upper bounds.
 */
export async function traceSyscalls(pid: number, seconds: number, outFile: string): Promise<SyscallRow[]> {
  const strace = ['/usr/bin/strace', '/bin/strace'].find(existsSync);
  if (!strace) return [];
  await new Promise<void>((resolve) => {
    const child = spawn('timeout', ['-s', 'INT', String(seconds), strace, '-f', '-c', '-w', '-o', outFile, '-p', String(pid)], { stdio: 'ignore' });
    child.on('exit', () => resolve());
    child.on('error', () => resolve());
  });
  if (!existsSync(outFile)) return [];
  const rows: SyscallRow[] = [];
  for (const line of readFileSync(outFile, 'utf8').split('\n')) {
    // % time  seconds  usecs/call  calls  [errors]  syscall
    const m = /^\s*[\d.]+\s+([\d.]+)\s+(\d+)\s+(\d+)\s+(?:\d+\s+)?([a-z_0-9]+)\s*$/.exec(line);
    if (m && m[4] !== 'total') rows.push({ syscall: m[4], seconds: Number(m[1]), usPerCall: Number(m[2]), calls: Number(m[3]) });
  }
  rmSync(outFile, { force: true });
  return rows.sort((a, b) => b.seconds - a.seconds);
}
