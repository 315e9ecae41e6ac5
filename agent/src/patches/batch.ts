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
 * The items whose operand (a name, a NEVRA, a label) a package tool cannot take for an
 * option. The parsers already refuse such names; this holds whatever produced the item. An
 * item left out gets no outcome, so it is reported as not attempted.
 */
export function withOperands(items: readonly PatchItem[], operandOf: (item: PatchItem) => string | null): { item: PatchItem; operand: string }[] {
  const out: { item: PatchItem; operand: string }[] = [];
  for (const item of items) {
    const operand = operandOf(item);
    if (operand && !operand.startsWith('-') && !/[\0\r\n]/.test(operand)) out.push({ item, operand });
  }
  return out;
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
