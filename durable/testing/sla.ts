import { runInDurableObject } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import * as desk from '../../db/desk-schema';
import { db } from './fixtures';
import type { tenantHub } from './sockets';

/* SLA timer test tools: read a ticket's row and the hub's SLA jobs, move a ticket back in time, fire a job. */

type Hub = ReturnType<typeof tenantHub>;

export const ticketRow = async (id: string) => (await db().select().from(desk.tickets).where(eq(desk.tickets.id, id)).get())!;

/** The ticket's SLA jobs in the hub's schedule: clock → due time. */
export const slaJobs = (hub: Hub, ticketId: string) =>
  runInDurableObject(hub, async (_i, state) =>
    Object.fromEntries(
      state.storage.sql
        .exec<{ key: string; due_at: number }>("SELECT key, due_at FROM schedule WHERE key LIKE 'sla:%'")
        .toArray()
        .filter((r) => r.key.endsWith(`:${ticketId}`))
        .map((r) => [r.key.split(':')[1], r.due_at]),
    ),
  );

/* Time travel for one ticket: it was opened (and, if paused, paused) `ms` earlier, so its due times and timers move back too. */
export async function travel(hub: Hub, ticketId: string, ms: number): Promise<void> {
  const row = await ticketRow(ticketId);
  const back = (x: number | null) => (x === null ? null : x - ms);
  await db()
    .update(desk.tickets)
    .set({ createdAt: row.createdAt - ms, firstResponseDueAt: back(row.firstResponseDueAt), resolutionDueAt: back(row.resolutionDueAt), slaPausedAt: back(row.slaPausedAt) })
    .where(eq(desk.tickets.id, ticketId));
  await runInDurableObject(hub, async (_i, state) => {
    state.storage.sql.exec("UPDATE schedule SET due_at = due_at - ? WHERE key LIKE 'sla:%' AND key LIKE ?", ms, `%:${ticketId}`);
  });
}

/* A timer that fires now whatever the hub believes: what an alarm after a missed call would do. */
export const forceJob = (hub: Hub, clock: string, ticketId: string) =>
  runInDurableObject(hub, async (_i, state) => {
    state.storage.sql.exec("INSERT OR REPLACE INTO schedule (key, kind, due_at, attempts) VALUES (?, 'sla', ?, 0)", `sla:${clock}:${ticketId}`, Date.now() - 1);
    await state.storage.setAlarm(Date.now());
  });
