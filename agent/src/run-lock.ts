import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function holder(path: string): number {
  try {
    return Number.parseInt(readFileSync(path, 'utf8'), 10) || 0;
  } catch {
    return 0;
  }
}

/**
 * One `run` per state directory: two would share fids and the journal, and fight over the
 * device's single connection. Created exclusively; a lock left by a crashed run is taken over.
 */
export function acquireRunLock(path: string): () => void {
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
      const pid = holder(path);
      if (pid > 0 && pid !== process.pid && alive(pid)) {
        throw new Error(`another agent (pid ${pid}) is already running with this state directory`);
      }
      rmSync(path, { force: true });
    }
  }
  return () => {
    if (holder(path) === process.pid) rmSync(path, { force: true });
  };
}
