import { A } from '@solidjs/router';
import { createResource, Show, type JSX } from 'solid-js';
import { api, call } from '../../api/client';
import { describeFailure } from '../../api/errors';
import { formatDateTimeSeconds } from '../../lib/format';
import { settled } from '../../lib/resource';
import { onAlertChange, type AlertAction } from '../../state/alerts';
import { can } from '../../state/session';
import { Empty, Loading } from '../../components/feedback';
import { AlertStatusBadge, SeverityBadge } from '../../components/severity';
import { AlertHistory } from './alert-history';
import { AlertTicketButton } from '../tickets/alert-ticket-button';

/**
 * One alert beside the list: its facts, its history, and the two actions. Not modal, so
 * the list stays usable; Escape (handled by the page) closes it.
 */
export function AlertDrawer(props: { id: string; onClose: () => void; onAct: (action: AlertAction, ids: string[]) => void }): JSX.Element {
  const [detail, { refetch }] = createResource(
    () => props.id,
    (id) => call(api.alerts[':id'].$get({ param: { id } })),
  );
  // A change to this alert adds to its history: read it again.
  let timer: ReturnType<typeof setTimeout> | undefined;
  onAlertChange((a) => {
    if (a.id !== props.id) return;
    clearTimeout(timer);
    timer = setTimeout(() => void refetch(), 300);
  });

  return (
    <aside class="drawer panel" aria-label="Alert detail" data-testid="alert-drawer">
      <div class="panel-head">
        <h2>Alert</h2>
        <span class="spacer" />
        <button type="button" class="btn btn-ghost btn-small" aria-label="Close alert detail" onClick={() => props.onClose()}>
          ✕
        </button>
      </div>
      <Show when={!detail.error} fallback={<Empty>Could not load this alert: {describeFailure(detail.error)}</Empty>}>
        <Show when={settled(detail)} fallback={<Loading />}>
          {(d) => {
            const a = () => d().alert;
            return (
              <>
                <div class="row gap wrap">
                  <SeverityBadge severity={a().severity} />
                  <AlertStatusBadge status={a().status} testId="drawer-status" />
                  <Show when={a().flapping}>
                    <span class="badge badge-warn">flapping</span>
                  </Show>
                  <Show when={a().suppressed}>
                    <span class="badge">in maintenance</span>
                  </Show>
                </div>
                <h3 class="drawer-title" tabIndex={-1} ref={(el) => queueMicrotask(() => el.focus())}>
                  {a().checkName}
                </h3>
                <p class="drawer-message">{a().message}</p>
                <dl class="facts">
                  <dt>Device</dt>
                  <dd>
                    <A href={`/devices/${a().deviceId}`}>{a().hostname ?? a().deviceId}</A>
                  </dd>
                  <dt>Check</dt>
                  <dd class="mono small">
                    {a().checkKey} · {a().checkType}
                  </dd>
                  <dt>Opened</dt>
                  <dd>{formatDateTimeSeconds(a().openedAt)}</dd>
                  <Show when={a().acknowledgedAt}>
                    <dt>Acknowledged</dt>
                    <dd>{formatDateTimeSeconds(a().acknowledgedAt)}</dd>
                  </Show>
                  <Show when={a().resolvedAt}>
                    <dt>Resolved</dt>
                    <dd>{formatDateTimeSeconds(a().resolvedAt)}</dd>
                  </Show>
                  <Show when={a().escalationTier > 0}>
                    <dt>Escalation</dt>
                    <dd>tier {a().escalationTier}</dd>
                  </Show>
                </dl>
                <Show when={can('technician') && a().status !== 'resolved'}>
                  <div class="row gap">
                    <Show when={a().status === 'open'}>
                      <button type="button" class="btn btn-primary" data-testid="drawer-acknowledge" onClick={() => props.onAct('acknowledge', [a().id])}>
                        Acknowledge
                      </button>
                    </Show>
                    <button type="button" class="btn" data-testid="drawer-resolve" onClick={() => props.onAct('resolve', [a().id])}>
                      Resolve
                    </button>
                  </div>
                </Show>
                <div class="row gap">
                  <AlertTicketButton alertId={a().id} ticketId={d().ticketId} />
                </div>
                <div class="panel-head panel-subhead">
                  <h2>History</h2>
                </div>
                <AlertHistory events={d().events} />
              </>
            );
          }}
        </Show>
      </Show>
    </aside>
  );
}
