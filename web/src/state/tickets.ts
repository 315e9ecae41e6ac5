import { getOwner, onCleanup } from 'solid-js';
import type { TenantFeedFrame } from '../../../protocol/live';
import type { Ticket, TicketDetail, TicketPriority, TicketStatus } from '../../../protocol/api/tickets';
import { api, call } from '../api/client';

export type { Ticket, TicketDetail, TicketPriority, TicketStatus };
export type TicketFrame = Extract<TenantFeedFrame, { t: 'ticket' }>['ticket'];

export const STATUSES: readonly TicketStatus[] = ['new', 'open', 'pending', 'resolved', 'closed'];
export const PRIORITIES: readonly TicketPriority[] = ['urgent', 'high', 'normal', 'low'];
/** What a technician still has to act on: the queue's default view. */
export const OPEN_WORK: readonly TicketStatus[] = ['new', 'open', 'pending'];

const listeners = new Set<(t: TicketFrame) => void>();
const resyncListeners = new Set<() => void>();

/** A ticket opened or changed by automation somewhere in the tenant; unsubscribes with the calling scope. */
export function onTicketChange(listener: (t: TicketFrame) => void): void {
  listeners.add(listener);
  if (getOwner()) onCleanup(() => listeners.delete(listener));
}

/** The feed reconnected: frames may have been missed. */
export function onTicketResync(listener: () => void): void {
  resyncListeners.add(listener);
  if (getOwner()) onCleanup(() => resyncListeners.delete(listener));
}

export function applyTicketFrame(ticket: TicketFrame): void {
  for (const l of listeners) l(ticket);
}

export function resyncTickets(): void {
  for (const l of resyncListeners) l();
}

export function updateTicket(id: string, json: { status?: TicketStatus; priority?: TicketPriority; assigneeId?: string | null; title?: string; description?: string }): Promise<Ticket> {
  return call(api.tickets[':id'].$patch({ param: { id }, json }));
}

/**
 * Apply one change to many tickets. The API has no bulk endpoint, so each is a PATCH of its
 * own, a few at a time; `onProgress` counts finished ones, failures are collected not thrown.
 */
export async function updateTickets(
  ids: string[],
  json: Parameters<typeof updateTicket>[1],
  onProgress: (done: number) => void,
): Promise<{ changed: Ticket[]; failed: { id: string; error: unknown }[] }> {
  const changed: Ticket[] = [];
  const failed: { id: string; error: unknown }[] = [];
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      try {
        changed.push(await updateTicket(id, json));
      } catch (error) {
        failed.push({ id, error });
      }
      onProgress(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, ids.length) }, worker));
  return { changed, failed };
}
