import type {
  PortalComment,
  PortalCreateTicketBody,
  PortalDevice,
  PortalMe,
  PortalTicket,
  PortalTicketDetail,
  PortalTicketListQuery,
} from '../../../protocol/api/portal';
import { PortalPriority } from '../../../protocol/api/portal';
import { api, call } from '../api/client';
import { me } from './session';

export type { PortalComment, PortalCreateTicketBody, PortalDevice, PortalMe, PortalTicket, PortalTicketDetail };
export type PortalState = PortalTicketListQuery['state'];
export type PortalPriority = PortalCreateTicketBody['priority'];

export const PORTAL_PRIORITIES: readonly PortalPriority[] = PortalPriority.options;
export const PORTAL_STATES: readonly { value: PortalState; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'done', label: 'Done' },
  { value: 'all', label: 'All' },
];

/** Portal users have no live socket; their pages poll this often while the tab is visible. */
export const PORTAL_POLL_MS = 20_000;

/** A client's own user: sees the portal, never the staff dashboard. */
export function isPortalUser(): boolean {
  return me()?.user.role === 'client';
}

export function isPortalPath(path: string): boolean {
  return path === '/portal' || path.startsWith('/portal/');
}

let who: Promise<PortalMe> | null = null;

/** The signed-in user's client and MSP, loaded once per page load (a failure is retried next time). */
export function portalMe(): Promise<PortalMe> {
  who ??= call(api.portal.me.$get()).catch((err: unknown) => {
    who = null;
    throw err;
  });
  return who;
}

export interface TicketQuery {
  state: PortalState;
  mine: boolean;
  q: string;
}

export function listTickets(f: TicketQuery, limit: number, cursor?: string) {
  return call(
    api.portal.tickets.$get({
      query: {
        state: f.state,
        limit: String(limit),
        ...(f.mine ? { mine: 'true' as const } : {}),
        ...(f.q ? { q: f.q } : {}),
        ...(cursor ? { cursor } : {}),
      },
    }),
  );
}

export function getTicket(id: string): Promise<PortalTicketDetail> {
  return call(api.portal.tickets[':id'].$get({ param: { id } }));
}

export function createTicket(json: PortalCreateTicketBody): Promise<PortalTicket> {
  return call(api.portal.tickets.$post({ json }));
}

export function postComment(id: string, body: string): Promise<PortalComment> {
  return call(api.portal.tickets[':id'].comments.$post({ param: { id }, json: { body } }));
}

export function listDevices(q: string, limit: number, cursor?: string) {
  return call(api.portal.devices.$get({ query: { limit: String(limit), ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) } }));
}
