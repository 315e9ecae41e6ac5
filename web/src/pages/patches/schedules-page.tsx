import { A, useNavigate } from '@solidjs/router';
import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import { describeFailure } from '../../api/errors';
import { deleteConfirmed } from '../../lib/delete-confirmed';
import { now } from '../../lib/clock';
import { formatDateTime, relativeTime } from '../../lib/format';
import { settled } from '../../lib/resource';
import { can } from '../../state/session';
import { showToast, toastError } from '../../state/toasts';
import { deleteSchedule, listSchedules, REBOOT_LABEL, runSchedule, type PatchSchedule } from '../../state/patches';
import { Empty, Loading } from '../../components/feedback';
import { describeCron } from './cron-text';
import { PageHead } from '../../components/page-head';
import { PatchNav } from './patch-nav';
import { ScheduleForm } from './schedule-form';
import '../../styles/automation.css';
import './patches.css';

const TARGET_NOUNS: [key: string, one: string, many: string][] = [
  ['deviceIds', 'device', 'devices'],
  ['groupIds', 'group', 'groups'],
  ['siteIds', 'site', 'sites'],
  ['clientIds', 'client', 'clients'],
  ['tags', 'tag', 'tags'],
  ['searchIds', 'saved search', 'saved searches'],
];

/** "2 clients, 1 tag": what a schedule's target names, without loading every name. */
function targetText(t: Record<string, unknown>): string {
  if (t.all) return 'every device';
  const parts = TARGET_NOUNS.flatMap(([key, one, many]) => {
    const n = Array.isArray(t[key]) ? (t[key] as unknown[]).length : 0;
    return n ? [`${n} ${n === 1 ? one : many}`] : [];
  });
  if (t.filter) parts.push('a device filter');
  return parts.join(', ') || 'nothing';
}

/** Patch schedules: each run is a `patch` job installing what is approved on its devices. */
export default function SchedulesPage(): JSX.Element {
  const navigate = useNavigate();
  const [schedules, { refetch }] = createResource(listSchedules);
  const [editing, setEditing] = createSignal<PatchSchedule | 'new' | null>(null);
  const [running, setRunning] = createSignal<string | null>(null);

  const saved = (s: PatchSchedule) => {
    setEditing(null);
    showToast(`Schedule “${s.name}” saved`);
    void refetch();
  };
  const runNow = async (s: PatchSchedule) => {
    if (running()) return;
    setRunning(s.id);
    try {
      const jobId = await runSchedule(s.id);
      showToast(`“${s.name}” started`);
      navigate(`/jobs/${jobId}`);
    } catch (err) {
      toastError(err);
    } finally {
      setRunning(null);
    }
  };
  const remove = (s: PatchSchedule) =>
    deleteConfirmed(`Delete the schedule “${s.name}”? Runs already started carry on.`, () => deleteSchedule(s.id), 'Schedule deleted', () => void refetch());

  return (
    <div class="page">
      <PageHead title="Patches" onRefresh={refetch}>
        <Show when={can('admin')}>
          <button type="button" class="btn btn-primary" data-testid="new-schedule" onClick={() => setEditing('new')}>
            New schedule
          </button>
        </Show>
      </PageHead>
      <PatchNav current="schedules" />
      <Show when={editing()} keyed>
        {(e) => <ScheduleForm initial={e === 'new' ? null : e} onSaved={saved} onCancel={() => setEditing(null)} />}
      </Show>
      <section class="panel">
        <Show when={!schedules.error} fallback={<Empty>Could not load the schedules: {describeFailure(schedules.error)}</Empty>}>
          <Show when={settled(schedules)} fallback={<Loading label="Loading schedules…" />}>
            {(list) => (
              <Show when={list().length} fallback={<Empty><span data-testid="schedules-empty">No patch schedule yet: approved updates install only when someone runs them.</span></Empty>}>
                <table class="table" data-testid="schedules-table">
                  <thead>
                    <tr>
                      <th class="col-wide">Name</th>
                      <th>Devices</th>
                      <th>When</th>
                      <th>Next run</th>
                      <th>Last run</th>
                      <th>Reboot</th>
                      <th />
                    </tr>
                  </thead>
                  <tbody>
                    <For each={list()}>
                      {(s) => (
                        <tr data-testid="schedule-row" data-schedule-id={s.id} classList={{ 'is-dim': !s.enabled }}>
                          <td>
                            <span class="cell-strong">{s.name}</span>
                            <Show when={!s.enabled}>
                              {' '}
                              <span class="badge">disabled</span>
                            </Show>
                            <Show when={s.windowOnly}>
                              {' '}
                              <span class="badge" title="Only inside each device's maintenance windows">windows only</span>
                            </Show>
                          </td>
                          <td class="small">{targetText(s.target)}</td>
                          <td class="small" title={`${s.cron} (${s.timezone})`}>
                            {describeCron(s.cron) ?? <span class="mono">{s.cron}</span>} <span class="muted">{s.timezone}</span>
                          </td>
                          <td class="nowrap" title={formatDateTime(s.nextRunAt)}>
                            {s.enabled && s.nextRunAt ? relativeTime(s.nextRunAt, now()) : '—'}
                          </td>
                          <td class="nowrap">
                            <Show when={s.lastJobId} fallback={<span class="muted">{s.lastRunAt ? formatDateTime(s.lastRunAt) : 'never'}</span>}>
                              {(job) => (
                                <A href={`/jobs/${job()}`} data-testid="schedule-last-job" title={formatDateTime(s.lastRunAt)}>
                                  {relativeTime(s.lastRunAt, now())}
                                </A>
                              )}
                            </Show>
                          </td>
                          <td class="nowrap small">
                            {REBOOT_LABEL[s.reboot]}
                            <Show when={s.reboot !== 'never'}>
                              <span class="muted">
                                {' '}
                                · {s.noticeMinutes} min notice, {s.maxDeferrals}× defer
                              </span>
                            </Show>
                          </td>
                          <td class="nowrap">
                            <Show when={can('admin')}>
                              <button type="button" class="btn btn-small" data-testid="schedule-run" disabled={running() !== null} onClick={() => void runNow(s)}>
                                {running() === s.id ? 'Starting…' : 'Run now'}
                              </button>{' '}
                              <button type="button" class="btn btn-small btn-ghost" data-testid="schedule-edit" onClick={() => setEditing(s)}>
                                Edit
                              </button>{' '}
                              <button type="button" class="btn btn-small btn-ghost danger-btn" data-testid="schedule-delete" onClick={() => void remove(s)}>
                                Delete
                              </button>
                            </Show>
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </Show>
            )}
          </Show>
        </Show>
      </section>
    </div>
  );
}
