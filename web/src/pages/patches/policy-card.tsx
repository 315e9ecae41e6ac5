import { createSignal, Show, type JSX } from 'solid-js';
import { createAction } from '../../lib/action';
import { formatDateTime } from '../../lib/format';
import { can } from '../../state/session';
import { showToast } from '../../state/toasts';
import { FormError } from '../../components/feedback';
import { savePolicy, type PolicyView } from '../../state/patches';
import { PolicyEditor } from './policy-editor';

/** One policy (the tenant's or a client's) as an editable draft with its own Save. */
export function PolicyCard(props: { view: PolicyView; title: string; hint: string; onSaved: (v: PolicyView) => void; onRemove?: () => void }): JSX.Element {
  const [draft, setDraft] = createSignal(structuredClone(props.view.policy));
  const dirty = () => JSON.stringify(draft()) !== JSON.stringify(props.view.policy) || props.view.updatedAt === null;
  const key = props.view.clientId ?? 'tenant';
  const save = createAction(async () => {
    const saved = await savePolicy(props.view.clientId, draft());
    showToast(`Policy saved for ${props.title}`);
    props.onSaved(saved);
  });
  return (
    <section class="panel policy-card" data-testid={`policy-${key}`}>
      <div class="panel-head toolbar">
        <h2>{props.title}</h2>
        <span class="muted small">{props.hint}</span>
        <span class="spacer" />
        <span class="muted small">{props.view.updatedAt ? `saved ${formatDateTime(props.view.updatedAt)}` : 'not saved yet'}</span>
      </div>
      <fieldset class="plain-fieldset" disabled={!can('admin')}>
        <PolicyEditor policy={draft()} onChange={setDraft} testId={`policy-${key}-rules`} />
      </fieldset>
      <FormError failure={save.failure()} />
      <Show when={can('admin')} fallback={<p class="muted small">Only admins change approval policies.</p>}>
        <div class="row gap">
          <button type="button" class="btn btn-primary" data-testid={`policy-${key}-save`} disabled={save.pending() || !dirty()} onClick={() => void save.run()}>
            {save.pending() ? 'Saving…' : 'Save policy'}
          </button>
          <Show when={props.onRemove}>
            {(remove) => (
              <button type="button" class="btn btn-ghost danger-btn" data-testid={`policy-${key}-remove`} onClick={() => remove()()}>
                {props.view.updatedAt === null ? 'Discard' : 'Remove: follow the tenant policy'}
              </button>
            )}
          </Show>
          <Show when={dirty() && props.view.updatedAt !== null}>
            <button type="button" class="btn btn-ghost" onClick={() => setDraft(structuredClone(props.view.policy))}>
              Undo changes
            </button>
          </Show>
        </div>
      </Show>
    </section>
  );
}
