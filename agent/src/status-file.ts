import * as v from 'valibot';
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from './fs-atomic';

export const RunStatus = v.object({
  pid: v.number(),
  state: v.picklist(['connecting', 'connected', 'disconnected', 'unauthorized', 'stopped']),
  updatedAt: v.number(),
  startedAt: v.number(),
  lastConnectedAt: v.nullable(v.number()),
  lastError: v.nullable(v.string()),
  lastCloseCode: v.nullable(v.number()),
});
export type RunStatus = v.InferOutput<typeof RunStatus>;

/** What `run` last said about its connection, for `status` to show. */
export function readRunStatus(path: string): RunStatus | null {
  try {
    const parsed = v.safeParse(RunStatus, JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.output : null;
  } catch {
    return null;
  }
}

export class RunStatusWriter {
  private status: RunStatus;

  constructor(private readonly path: string) {
    const now = Date.now();
    this.status = { pid: process.pid, state: 'connecting', updatedAt: now, startedAt: now, lastConnectedAt: null, lastError: null, lastCloseCode: null };
  }

  update(change: Partial<Omit<RunStatus, 'pid' | 'startedAt' | 'updatedAt'>>): void {
    this.status = { ...this.status, ...change, updatedAt: Date.now() };
    try {
      writeFileAtomic(this.path, JSON.stringify(this.status, null, 2) + '\n', 0o600);
    } catch {
      // status is informational; never let it stop the agent
    }
  }
}
