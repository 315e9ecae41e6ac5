import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import { api, call, fetchAll } from '../../api/client';
import { describeFailure } from '../../api/errors';
import { createAction } from '../../lib/action';
import { formatDateTime } from '../../lib/format';
import { settled } from '../../lib/resource';
import { can } from '../../state/session';
import { showToast, toastError } from '../../state/toasts';
import { Empty, FormError, Loading } from '../../components/feedback';
import { ScopePicker, SCOPE_LABEL, type ScopeValue } from '../../components/scope-picker';
import type { AssignmentScope } from '../../../../protocol/api/check-sets';

const TYPES = ['tenant', 'client', 'site', 'group', 'tag', 'device'] as const;

const recompiled = (r: { devices: number; deferred: boolean }) =>
  r.devices === 0 ? 'no device affected yet' : `${r.devices.toLocaleString()} ${r.devices === 1 ? 'device' : 'devices'} ${r.deferred ? 'being updated' : 'updated'}`;

/** The form's choice as the API's body: the tenant scope carries no id. */
function scopeBody(v: ScopeValue): AssignmentScope {
  return v.scopeType === 'tenant' ? { scopeType: 'tenant', scopeId: null } : ({ scopeType: v.scopeType, scopeId: v.scopeId } as AssignmentScope);
}

/** Where a check set applies. The most specific assignment wins when sets share a check key. */
export function AssignmentsPanel(props: { checkSetId: string; onChanged: () => void }): JSX.Element {
  const [list, { refetch }] = createResource(
    () => props.checkSetId,
    (checkSetId) => fetchAll((cursor) => call(api['check-set-assignments'].$get({ query: { checkSetId, limit: '1000', ...(cursor ? { cursor } : {}) } }))),
  );
  const [scope, setScope] = createSignal<ScopeValue>({ scopeType: 'tenant', scopeId: '' });

  const add = createAction(async () => {
    const res = await call(api['check-set-assignments'].$post({ json: { checkSetId: props.checkSetId, ...scopeBody(scope()) } }));
    showToast(`Assigned to ${res.scopeName ?? SCOPE_LABEL[res.scopeType].toLowerCase()}: ${recompiled(res.recompile)}`);
    setScope({ scopeType: scope().scopeType, scopeId: '' });
    await refetch();
    props.onChanged();
  });

  const remove = async (id: string, label: string) => {
    if (!confirm(`Stop applying this set to ${label}?`)) return;
    try {
      const res = await call(api['check-set-assignments'][':id'].$delete({ param: { id } }));
      showToast(`Unassigned: ${recompiled(res.recompile)}`);
      await refetch();
      props.onChanged();
    } catch (err) {
      toastError(err);
    }
  };

  const label = (a: { scopeType: keyof typeof SCOPE_LABEL; scopeName: string | null; scopeId: string | null }) =>
    a.scopeType === 'tenant' ? 'every device of the tenant' : `${SCOPE_LABEL[a.scopeType].toLowerCase()} ${a.scopeName ?? a.scopeId ?? ''}`;
  const ready = () => scope().scopeType === 'tenant' || !!scope().scopeId.trim();

  return (
    <section class="panel" data-testid="assignments">
      <div class="panel-head">
        <h2>Applies to</h2>
        <span class="muted small">device beats tag beats group beats site beats client beats tenant, per check key</span>
      </div>
      <Show when={!list.error} fallback={<Empty>Could not load assignments: {describeFailure(list.error)}</Empty>}>
        <Show when={settled(list)} fallback={<Loading />}>
          {(items) => (
            <Show when={items().length} fallback={<Empty>Not assigned anywhere yet: its checks run nowhere.</Empty>}>
              <table class="table" data-testid="assignments-table">
                <tbody>
                  <For each={items()}>
                    {(a) => (
                      <tr>
                        <td class="nowrap">
                          <span class="badge">{SCOPE_LABEL[a.scopeType]}</span>
                        </td>
                        <td>{a.scopeType === 'tenant' ? 'all clients, sites and devices' : (a.scopeName ?? a.scopeId)}</td>
                        <td class="muted nowrap">{formatDateTime(a.createdAt)}</td>
                        <td class="actions">
                          <Show when={can('admin')}>
                            <button type="button" class="btn-link danger" onClick={() => void remove(a.id, label(a))} aria-label={`Unassign from ${label(a)}`}>
                              Remove
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
      <Show when={can('admin')}>
        <form
          class="form form-row"
          data-testid="assign-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (ready()) void add.run();
          }}
        >
          <ScopePicker types={TYPES} value={scope()} onChange={setScope} failure={add.failure()} testId="assign-scope" disabled={add.pending()} />
          <div class="form-actions">
            <button type="submit" class="btn btn-primary" data-testid="assign-submit" disabled={!ready() || add.pending()}>
              Assign
            </button>
          </div>
        </form>
        <FormError failure={add.failure()} fields={['scopeType', 'scopeId', 'checkSetId']} />
      </Show>
    </section>
  );
}
