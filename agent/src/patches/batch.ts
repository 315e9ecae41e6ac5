import type { PatchItem } from '../../../protocol/patches';
import { failure, runProgram } from '../run-program';
import type { InstallOutcome } from './context';

/** One package-manager run: an argument vector, never a shell line. */
export interface Invocation {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  items: PatchItem[];
}

/**
 * Runs each invocation; one that fails with several packages is retried package by package,
 * so one broken update does not mark the others failed and each key gets its own answer.
 * Nothing starts once the deadline has passed or the run was stopped.
 */
export async function installInBatches(
  items: readonly PatchItem[],
  plan: (items: PatchItem[]) => Invocation[],
  deadline: number,
  stopped: () => boolean,
  now: () => number = Date.now,
): Promise<InstallOutcome> {
  const outcome: InstallOutcome = new Map();
  const run = async (inv: Invocation): Promise<string | null> => {
    const left = deadline - now();
    if (stopped()) return 'not attempted: the agent stopped';
    if (left <= 0) return 'not attempted: the install time limit was reached';
    const r = await runProgram(inv.command, inv.args, { env: inv.env, timeoutMs: left });
    return r.code === 0 ? null : failure(r, inv.command).slice(0, 480);
  };
  for (const inv of plan([...items])) {
    const error = await run(inv);
    if (error === null || inv.items.length === 1) {
      for (const i of inv.items) outcome.set(i.key, error);
      continue;
    }
    for (const item of inv.items) {
      const single = plan([item]);
      outcome.set(item.key, single.length ? await run(single[0]) : error);
    }
  }
  return outcome;
}
