import { OPEN_WORK, PRIORITIES, STATUSES, type TicketPriority, type TicketStatus } from '../../state/tickets';

/** `work` is the default: new, open and pending. `all` includes closed ones. */
export type StatusView = 'work' | 'all' | TicketStatus;
export type AssigneeView = 'anyone' | 'me' | 'unassigned';

export interface TicketFilter {
  status: StatusView;
  priority: TicketPriority | '';
  clientId: string;
  assignee: AssigneeView;
  q: string;
}

export const DEFAULT_FILTER: TicketFilter = { status: 'work', priority: '', clientId: '', assignee: 'anyone', q: '' };

export const STATUS_VIEWS: { value: StatusView; label: string }[] = [
  { value: 'work', label: 'Open work' },
  ...STATUSES.map((s) => ({ value: s, label: s[0]!.toUpperCase() + s.slice(1) })),
  { value: 'all', label: 'All, closed too' },
];

export function parseStatus(s: string | undefined): StatusView {
  return s === 'all' || (STATUSES as readonly string[]).includes(s ?? '') ? (s as StatusView) : 'work';
}
export function parsePriority(s: string | undefined): TicketPriority | '' {
  return (PRIORITIES as readonly string[]).includes(s ?? '') ? (s as TicketPriority) : '';
}
export function parseAssignee(s: string | undefined): AssigneeView {
  return s === 'me' || s === 'unassigned' ? s : 'anyone';
}

export function statusesOf(view: StatusView): readonly TicketStatus[] {
  return view === 'work' ? OPEN_WORK : view === 'all' ? STATUSES : [view];
}

/** The list query of a filter (strings, as the API reads its query). */
export function toQuery(f: TicketFilter, limit: number, cursor?: string): Record<string, string> {
  return {
    status: statusesOf(f.status).join(','),
    limit: String(limit),
    ...(f.priority ? { priority: f.priority } : {}),
    ...(f.clientId ? { clientId: f.clientId } : {}),
    ...(f.assignee !== 'anyone' ? { assigneeId: f.assignee } : {}),
    ...(f.q ? { q: f.q } : {}),
    ...(cursor ? { cursor } : {}),
  };
}

/** Does a ticket (as far as a feed frame tells) still belong in the view? Assignee and text are not in frames. */
export function matchesFilter(t: { status: TicketStatus; priority: TicketPriority; clientId: string }, f: TicketFilter): boolean {
  return statusesOf(f.status).includes(t.status) && (!f.priority || t.priority === f.priority) && (!f.clientId || t.clientId === f.clientId);
}
