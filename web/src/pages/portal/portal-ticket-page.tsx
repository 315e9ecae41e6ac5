import { A, useParams } from '@solidjs/router';
import { createResource, Match, Show, Switch, type JSX } from 'solid-js';
import { describeFailure, toFailure } from '../../api/errors';
import { formatDateTime } from '../../lib/format';
import { settled } from '../../lib/resource';
import { getTicket, type PortalTicketDetail } from '../../state/portal';
import { Empty, Loading } from '../../components/feedback';
import { PriorityBadge, TicketStatusBadge } from '../tickets/ticket-badges';
import { PortalThread } from './portal-thread';
import { pollWhileVisible } from './visible-poll';
import '../../styles/desk.css';

/** One of the client's tickets: what was asked, and the public conversation with support. */
export default function PortalTicketPage(): JSX.Element {
  const params = useParams<{ id: string }>();
  const [detail, { refetch }] = createResource(() => params.id, getTicket);
  pollWhileVisible(() => {
    if (!detail.loading) void refetch();
  });

  return (
    <div class="page portal-page portal-narrow">
      <div class="page-head">
        <A href="/portal" class="btn btn-ghost btn-small">
          ← My tickets
        </A>
      </div>
      <Switch fallback={<Loading label="Loading ticket…" />}>
        <Match when={detail.error && toFailure(detail.error).status === 404}>
          {/* Another client's ticket answers exactly like a missing one. */}
          <Empty>
            <span data-testid="portal-ticket-not-found">Ticket not found.</span> It may have been removed, or the link is wrong.{' '}
            <A href="/portal">Back to my tickets</A>
          </Empty>
        </Match>
        <Match when={detail.error}>
          <Empty>Could not load this ticket: {describeFailure(detail.error)}</Empty>
        </Match>
        <Match when={settled(detail)}>{(d) => <TicketView detail={d()} onChanged={() => void refetch()} />}</Match>
      </Switch>
    </div>
  );
}

function TicketView(props: { detail: PortalTicketDetail; onChanged: () => void }): JSX.Element {
  const t = () => props.detail.ticket;
  return (
    <>
      <div class="portal-ticket-head">
        <h1 data-testid="portal-ticket-heading">
          <span class="muted mono" data-testid="portal-ticket-page-number">#{t().number}</span> <span data-testid="portal-ticket-page-title">{t().title}</span>
        </h1>
        <div class="row gap small">
          <TicketStatusBadge status={t().status} testId="portal-ticket-page-status" />
          <PriorityBadge priority={t().priority} />
          <span class="muted">
            opened {formatDateTime(t().createdAt)}
            {t().requesterName ? ` by ${t().requesterName}` : ''}
          </span>
          <Show when={t().hostname}>
            {(host) => <span class="muted">· device {host()}</span>}
          </Show>
          <Show when={t().resolvedAt}>
            {(at) => <span class="muted">· resolved {formatDateTime(at())}</span>}
          </Show>
        </div>
      </div>
      <section class="panel" aria-label="Description">
        <p class="ticket-description" data-testid="portal-ticket-description">
          {t().description}
        </p>
      </section>
      <PortalThread ticket={t()} comments={props.detail.comments} onPosted={props.onChanged} />
    </>
  );
}
