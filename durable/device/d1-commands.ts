import { and, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { commands } from '../../db/schema';
import type { CommandState } from '../contracts';

/**
 * Writes a settled command's outcome to its D1 row. Scoped by tenant like every D1 query;
 * safe to repeat, which is what the retry job does when D1 was unavailable.
 */
export async function writeCommandResult(db: D1Database, tenantId: string, state: CommandState): Promise<void> {
  await drizzle(db)
    .update(commands)
    .set({
      status: state.status,
      exitCode: state.exitCode,
      durationMs: state.durationMs === null ? null : Math.round(state.durationMs),
      output: state.output,
      truncated: state.truncated,
      error: state.error,
      finishedAt: state.finishedAt,
    })
    .where(and(eq(commands.id, state.id), eq(commands.tenantId, tenantId)));
}
