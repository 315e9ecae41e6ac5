import { and, desc, eq, getTableColumns, gte, lte, or, type SQL } from 'drizzle-orm';
import { commands, devices } from '../../../db/schema';
import type { CommandHistoryQuery } from '../../../protocol/api/commands';
import type { AuthContext, Db } from '../../types';
import { deviceScope } from '../device-query';
import { beforeId, idKey, matches } from '../list-query';
import { toPage } from '../pagination';
import { toCommand } from '../command-view';
import { actorName } from '../scripts/view';

const { output: _output, ...listed } = getTableColumns(commands);

/** History lines carry where and by whom, never output (it may be a megabyte). */
const historyColumns = { ...listed, hostname: devices.hostname, createdByName: actorName(commands.createdBy) };

/**
 * The tenant's commands, newest first, on devices the caller may see. Time-ordered ids make
 * the id the cursor; `q` matches the hostname, the label (a script's name) or the type.
 */
export async function commandHistory(db: Db, auth: AuthContext, q: CommandHistoryQuery) {
  const limit = q.limit ?? 50;
  const text = q.q?.trim();
  const conds: (SQL | undefined)[] = [
    eq(commands.tenantId, auth.tenantId),
    deviceScope(auth),
    q.deviceId ? eq(commands.deviceId, q.deviceId) : undefined,
    q.scriptId ? eq(commands.scriptId, q.scriptId) : undefined,
    q.jobId ? eq(commands.jobId, q.jobId) : undefined,
    q.createdBy ? eq(commands.createdBy, q.createdBy) : undefined,
    q.type ? eq(commands.type, q.type) : undefined,
    q.status ? eq(commands.status, q.status) : undefined,
    q.from !== undefined ? gte(commands.createdAt, q.from) : undefined,
    q.to !== undefined ? lte(commands.createdAt, q.to) : undefined,
    text ? or(matches(text, devices.hostname, commands.label, commands.type), eq(commands.id, text)) : undefined,
    beforeId(q.cursor, commands.id),
  ];
  const rows = await db
    .select(historyColumns)
    .from(commands)
    .innerJoin(devices, eq(devices.id, commands.deviceId))
    .where(and(...conds))
    .orderBy(desc(commands.id))
    .limit(limit + 1)
    .all();
  const page = toPage(rows, limit, idKey);
  return {
    items: page.items.map(({ hostname, createdByName, ...row }) => ({ ...toCommand(row, false), hostname, createdByName })),
    nextCursor: page.nextCursor,
  };
}
