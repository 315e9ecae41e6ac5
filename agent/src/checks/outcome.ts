import type { AgentCheck, CheckResult } from '../../../protocol/checks';

/** What one run of a check found, before failAfter decides whether it counts yet. */
export type Outcome = Pick<CheckResult, 'status' | 'message' | 'output' | 'value'> & {
  /** Reported at once, whatever failAfter says (an automatic restart just happened). */
  urgent?: boolean;
};

export interface CheckContext {
  platform: NodeJS.Platform;
  /** Private directory for script checks' files. */
  scratchDir: string;
  /** Aborted when the agent stops or the check is removed: running work is cut short. */
  signal: AbortSignal;
  /** Per-check memory across runs (the service check's "restart already tried"). */
  memory: Record<string, unknown>;
}

export type CheckRunner = (check: AgentCheck, ctx: CheckContext) => Promise<Outcome>;

export const pass = (message: string, extra: Partial<Outcome> = {}): Outcome => ({ status: 'pass', message, ...extra });
export const fail = (message: string, extra: Partial<Outcome> = {}): Outcome => ({ status: 'fail', message, ...extra });
