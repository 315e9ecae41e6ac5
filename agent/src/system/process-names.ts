import { readFile, readdir, readlink } from 'node:fs/promises';
import { basename } from 'node:path';
import { runProgram } from '../run-program';

/** A process and every name it could be known by (short name, program file, argv[0]). */
export interface ProcEntry {
  pid: number;
  names: string[];
}

/** Linux truncates the kernel's name for a process (comm) to 15 characters. */
const COMM_MAX = 15;
const base = (p: string) => basename(p.replace(/\\/g, '/'));

/** `ps -axo pid=,comm=` (macOS): pid, then the executable path, which may contain spaces. */
export function parsePsComm(text: string): ProcEntry[] {
  const out: ProcEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s+(.+?)\s*$/.exec(line);
    if (m) out.push({ pid: Number(m[1]), names: [base(m[2])] });
  }
  return out;
}

/** One CSV row with quoted fields ("a","b,c","say ""hi"""). */
export function csvRow(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
    } else {
      field += ch;
    }
  }
  fields.push(field);
  return fields;
}

/** `tasklist /FO CSV /NH`: "Image Name","PID","Session Name","Session#","Mem Usage" rows. */
export function parseTasklistCsv(text: string): ProcEntry[] {
  const out: ProcEntry[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.startsWith('"')) continue; // "INFO: No tasks are running…" and blank lines
    const [image, pid] = csvRow(line);
    if (image && /^\d+$/.test(pid ?? '')) out.push({ pid: Number(pid), names: [image] });
  }
  return out;
}

async function linuxEntry(pid: number): Promise<ProcEntry | null> {
  const dir = `/proc/${pid}`;
  const comm = await readFile(`${dir}/comm`, 'utf8').then((s) => s.trim(), () => null);
  if (comm === null) return null;
  const names = [comm];
  const argv0 = await readFile(`${dir}/cmdline`, 'utf8').then((s) => s.split('\0')[0], () => '');
  if (argv0) names.push(base(argv0.split(' ')[0]));
  const exe = await readlink(`${dir}/exe`).then((p) => base(p.replace(/ \(deleted\)$/, '')), () => '');
  if (exe) names.push(exe);
  return { pid, names: [...new Set(names)] };
}

/** Every process, or null when the list cannot be read. */
export async function listProcesses(platform = process.platform): Promise<ProcEntry[] | null> {
  if (platform === 'linux') {
    const pids = await readdir('/proc').then((l) => l.filter((n) => /^\d+$/.test(n)).map(Number), () => null);
    if (!pids) return null;
    const entries = await Promise.all(pids.map(linuxEntry));
    return entries.filter((e): e is ProcEntry => e !== null);
  }
  if (platform === 'win32') {
    const r = await runProgram('tasklist', ['/FO', 'CSV', '/NH'], { timeoutMs: 30_000 });
    return r.code === 0 ? parseTasklistCsv(r.stdout) : null;
  }
  const r = await runProgram('ps', ['-axo', 'pid=,comm='], { timeoutMs: 30_000 });
  return r.code === 0 ? parsePsComm(r.stdout) : null;
}

/** One process by pid: null when no such process, undefined when the OS cannot be asked. */
export async function processById(pid: number, platform = process.platform): Promise<ProcEntry | null | undefined> {
  if (platform === 'linux') return linuxEntry(pid);
  if (platform === 'win32') {
    const r = await runProgram('tasklist', ['/FI', `PID eq ${pid}`, '/FO', 'CSV', '/NH'], { timeoutMs: 30_000 });
    if (r.code !== 0) return undefined;
    return parseTasklistCsv(r.stdout).find((e) => e.pid === pid) ?? null;
  }
  const r = await runProgram('ps', ['-p', String(pid), '-o', 'pid=,comm='], { timeoutMs: 30_000 });
  // ps exits 1 when the pid does not exist.
  if (r.code === 1 && !r.stdout.trim()) return null;
  if (r.code !== 0) return undefined;
  return parsePsComm(r.stdout).find((e) => e.pid === pid) ?? null;
}

/**
 * Whether a process goes by `name`. Windows and macOS names compare without case (and on
 * Windows without ".exe"); Linux names are exact, allowing for the kernel's 15-character cut.
 */
export function nameMatches(entry: ProcEntry, name: string, platform = process.platform): boolean {
  const want = name.trim();
  if (!want) return false;
  if (platform === 'win32' || platform === 'darwin') {
    const norm = (s: string) => (platform === 'win32' ? s.replace(/\.exe$/i, '') : s).toLowerCase();
    return entry.names.some((n) => norm(n) === norm(want));
  }
  return entry.names.some((n) => n === want || (n.length === COMM_MAX && want.length > COMM_MAX && want.startsWith(n)));
}
