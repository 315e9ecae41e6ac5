import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/** Children we started; all are stopped together on exit or Ctrl-C. */
const children = new Set<ChildProcess>();

export function run(cmd: string, args: string[], opts: SpawnOptions & { label?: string; quiet?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
      if (!opts.quiet) process.stdout.write(d);
    });
    child.stderr?.on('data', (d) => {
      out += d;
      if (!opts.quiet) process.stderr.write(d);
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${opts.label ?? cmd} exited with ${code}\n${out.slice(-4000)}`)),
    );
  });
}

/** A long-running child in its own process group, with its output prefixed. */
export function startLong(label: string, cmd: string, args: string[], opts: SpawnOptions & { quiet?: boolean } = {}): ChildProcess {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...opts });
  children.add(child);
  const prefix = (d: Buffer) =>
    d
      .toString()
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => `[${label}] ${l}\n`)
      .join('');
  const log: string[] = [];
  const keep = (d: Buffer) => {
    log.push(d.toString());
    if (log.length > 200) log.shift();
  };
  child.stdout?.on('data', (d: Buffer) => (keep(d), opts.quiet || process.stdout.write(prefix(d))));
  child.stderr?.on('data', (d: Buffer) => (keep(d), opts.quiet || process.stderr.write(prefix(d))));
  child.on('exit', () => children.delete(child));
  (child as ChildProcess & { recentLog: () => string }).recentLog = () => log.join('');
  return child;
}

export function recentLog(child: ChildProcess): string {
  return (child as ChildProcess & { recentLog?: () => string }).recentLog?.() ?? '';
}

/** SIGTERM the child's process group, SIGKILL after a grace period. */
export async function stop(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    child.kill('SIGTERM');
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }, graceMs);
  await exited;
  clearTimeout(timer);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...children].reverse().map((c) => stop(c)));
}
