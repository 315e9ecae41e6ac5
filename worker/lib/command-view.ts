import { and, eq } from 'drizzle-orm';
import { commands } from '../../db/schema';
import type { AuthContext, Db } from '../types';
import { FINAL_STATUSES, type CommandStatus } from '../../protocol/command';
import { deviceScope } from './device-query';
import { devices } from '../../db/schema';
import { notFound } from './errors';
import { deviceHub } from './hubs';

export type CommandRow = typeof commands.$inferSelect;

/** Lists select no output; a single command shows it ('' until there is some). */
export function toCommand(row: Omit<CommandRow, 'output'> & { output?: string | null }, withOutput = true) {
  const { tenantId: _t, output, ...rest } = row;
  return { ...rest, truncated: !!row.truncated, ...(withOutput ? { output: output ?? '' } : {}) };
}

/**
 * A command as the API shows it. D1 holds finished results; while a command is still in
 * flight its device hub has the fresher status and the output so far.
 */
export async function loadCommand(db: Db, env: Env, auth: AuthContext, id: string) {
  const row = await db
    .select({ command: commands })
    .from(commands)
    .innerJoin(devices, eq(devices.id, commands.deviceId))
    .where(and(eq(commands.id, id), eq(commands.tenantId, auth.tenantId), deviceScope(auth)))
    .get();
  if (!row) throw notFound('command');
  const cmd = row.command;
  if (FINAL_STATUSES.includes(cmd.status as CommandStatus)) return toCommand(cmd);
  const live = await deviceHub(env, cmd.deviceId)
    .getCommand(cmd.id)
    .catch(() => null);
  if (!live) return toCommand(cmd);
  return toCommand({
    ...cmd,
    status: live.status,
    exitCode: live.exitCode,
    durationMs: live.durationMs,
    finishedAt: live.finishedAt,
    output: live.output,
    truncated: live.truncated,
    error: live.error,
  });
}
