import { A, useParams } from '@solidjs/router';
import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import { api, call } from '../../api/client';
import { describeFailure } from '../../api/errors';
import { formatDateTime } from '../../lib/format';
import { settled } from '../../lib/resource';
import { can, me } from '../../state/session';
import { toastError } from '../../state/toasts';
import { loadUsers } from '../../state/users';
import { onTicketChange, PRIORITIES, STATUSES, updateTicket, type TicketDetail } from '../../state/tickets';
import { Empty, Loading } from '../../components/feedback';
import { InlineEdit } from '../../components/inline-edit';
import { PriorityBadge, TicketStatusBadge } from './ticket-badges';
import { SlaClocks } from './ticket-sla';
import { TicketDescription } from './ticket-description';
import { TicketThread } from './ticket-thread';
import { TicketTime } from './ticket-time';
import { TicketFiles } from './ticket-files';
import { TicketHistory } from './ticket-history';
import '../../styles/desk.css';

/** One ticket: its header controls, the conversation, time, files, SLA, links and history. */
export default function TicketPage(): JSX.Element {
  const params = useParams<{ id: string }>();
  const [detail, { refetch }] = createResource(
    () => params.id,
    (id) => call(api.tickets[':id'].$get({ param: { id } })),
  );
  // Listing users is for admins; others see names they know (themselves) and ids otherwise.
  const [users] = createResource(loadUsers);
  const who = (id: string | null) => {
    if (id === null) return 'unassigned';
    if (id === me()?.user.id) return `${me()!.user.name} (me)`;
    return settled(users)?.find((u) => u.id === id)?.name ?? id;
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  onTicketChange((t) => {
    if (t.id !== params.id) return;
    clearTimeout(timer);
    timer = setTimeout(() => void refetch(), 300);
  });

  const [saving, setSaving] = createSignal(false);
  /** False when the change failed (a menu then shows the stored value again). */
  const change = async (json: Parameters<typeof updateTicket>[1]): Promise<boolean> => {
    setSaving(true);
    try {
      await updateTicket(params.id, json);
      return true;
    } catch (err) {
      toastError(err);
      return false;
    } finally {
      setSaving(false);
      void refetch();
    }
  };

  return (
    <div class="page ticket-page">
      <Show when={!detail.error} fallback={<Empty>Could not load this ticket: {describeFailure(detail.error)}</Empty>}>
        <Show when={settled(detail)} fallback={<Loading label="Loading ticket…" />}>
          {(d) => <TicketView detail={d()} who={who} users={settled(users) ?? []} saving={saving()} change={change} refetch={() => void refetch()} />}
        </Show>
      </Show>
    </div>
  );
}

function TicketView(props: {
  detail: TicketDetail;
  who: (id: string | null) => string;
  users: { id: string; name: string; role: string }[];
  saving: boolean;
  change: (json: Parameters<typeof updateTicket>[1]) => Promise<boolean>;
  refetch: () => void;
}): JSX.Element {
  const t = () => props.detail.ticket;
  const editable = () => can('technician');
  // The assignee menu: everyone listable, plus me and the current assignee when the list is not ours to read.
  const assignees = () => {
    // Portal users are the customer: they follow tickets, they are never assigned one.
    const list = new Map(props.users.filter((u) => u.role !== 'client').map((u) => [u.id, u.name]));
    const mine = me()?.user;
    if (mine && !list.has(mine.id)) list.set(mine.id, `${mine.name} (me)`);
    const cur = t().assigneeId;
    if (cur && !list.has(cur)) list.set(cur, props.who(cur));
    return [...list].map(([id, name]) => ({ id, name }));
  };

  // InlineEdit stays open when saving rejects; the toast says why.
  const rename = async (title: string) => {
    if (!(await props.change({ title }))) throw new Error('not saved');
  };
  const pick = (el: HTMLSelectElement, json: Parameters<typeof updateTicket>[1], stored: string) =>
    void props.change(json).then((ok) => {
      if (!ok) el.value = stored;
    });

  return (
    <>
      <div class="page-head">
        <A href="/tickets" class="btn btn-ghost btn-small">
          ← Tickets
        </A>
        <h1 data-testid="ticket-heading">
          <span class="muted mono" data-testid="ticket-page-number">#{t().number}</span>{' '}
          <Show when={editable()} fallback={<span>{t().title}</span>}>
            <InlineEdit value={t().title} label="ticket title" save={rename}>
              <span data-testid="ticket-page-title">{t().title}</span>
            </InlineEdit>
          </Show>
        </h1>
      </div>
      <div class="toolbar">
        <Show
          when={editable()}
          fallback={
            <>
              <TicketStatusBadge status={t().status} /> <PriorityBadge priority={t().priority} />
            </>
          }
        >
          <label class="field-inline">
            Status{' '}
            <select class="input select" data-testid="ticket-status-select" disabled={props.saving} onChange={(e) => pick(e.currentTarget, { status: e.currentTarget.value as (typeof STATUSES)[number] }, t().status)}>
              <For each={STATUSES}>
                {(s) => (
                  <option value={s} selected={s === t().status} disabled={s === 'new' && t().status !== 'new'}>
                    {s}
                  </option>
                )}
              </For>
            </select>
          </label>
          <label class="field-inline">
            Priority{' '}
            <select class="input select" data-testid="ticket-priority-select" disabled={props.saving} onChange={(e) => pick(e.currentTarget, { priority: e.currentTarget.value as (typeof PRIORITIES)[number] }, t().priority)}>
              <For each={PRIORITIES}>{(p) => <option value={p} selected={p === t().priority}>{p}</option>}</For>
            </select>
          </label>
          <label class="field-inline">
            Assignee{' '}
            <select class="input select" data-testid="ticket-assignee-select" disabled={props.saving} onChange={(e) => pick(e.currentTarget, { assigneeId: e.currentTarget.value || null }, t().assigneeId ?? '')}>
              <option value="" selected={t().assigneeId === null}>Unassigned</option>
              <For each={assignees()}>{(u) => <option value={u.id} selected={u.id === t().assigneeId}>{u.name}</option>}</For>
            </select>
          </label>
        </Show>
        <span class="spacer" />
        <span class="muted small">
          {t().source} · opened {formatDateTime(t().createdAt)}
        </span>
      </div>
      <div class="ticket-layout">
        <div class="stack">
          <TicketDescription ticketId={t().id} description={t().description} editable={editable()} onSaved={props.refetch} />
          <TicketThread ticketId={t().id} comments={props.detail.comments} who={props.who} onPosted={props.refetch} />
          <TicketTime ticketId={t().id} detail={props.detail} who={props.who} onChanged={props.refetch} />
          <TicketFiles ticketId={t().id} attachments={props.detail.attachments} onChanged={props.refetch} />
        </div>
        <div class="stack">
          <section class="panel" aria-label="Details">
            <dl class="facts">
              <dt>Client</dt>
              <dd>{t().clientName ?? t().clientId}</dd>
              <dt>Device</dt>
              <dd>
                <Show when={t().deviceId} fallback={<span class="muted">none</span>}>
                  {(id) => (
                    <A href={`/devices/${id()}`} data-testid="ticket-device-link">
                      {t().hostname ?? id()}
                    </A>
                  )}
                </Show>
              </dd>
              <dt>Assignee</dt>
              <dd data-testid="ticket-assignee-name">{props.who(t().assigneeId)}</dd>
              <dt>Updated</dt>
              <dd>{formatDateTime(t().updatedAt)}</dd>
            </dl>
          </section>
          <section class="panel" aria-label="SLA">
            <div class="panel-head">
              <h2>SLA</h2>
            </div>
            <SlaClocks ticket={t()} />
          </section>
          <section class="panel" aria-label="Linked alerts">
            <div class="panel-head">
              <h2>Linked alerts</h2>
            </div>
            <ul class="stack plain-list" data-testid="ticket-alerts">
              <For each={props.detail.alerts} fallback={<li class="muted">None.</li>}>
                {(a) => (
                  <li data-testid="ticket-alert">
                    <span class="badge">{a.severity}</span> <span class="badge">{a.status}</span>{' '}
                    <A href={`/alerts/${a.id}`}>{a.checkName}</A>
                    <div class="muted small ellipsis" title={a.message}>
                      {a.message}
                    </div>
                  </li>
                )}
              </For>
            </ul>
          </section>
          <section class="panel" aria-label="History">
            <div class="panel-head">
              <h2>History</h2>
            </div>
            <TicketHistory events={props.detail.events} who={props.who} />
          </section>
        </div>
      </div>
    </>
  );
}
