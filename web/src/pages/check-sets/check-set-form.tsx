import { createSignal, For, Show, type JSX } from 'solid-js';
import { createAction } from '../../lib/action';
import type { Policy } from '../escalation/policies';
import { FieldError, FormError } from '../../components/feedback';

const FIELDS = ['name', 'description', 'escalationPolicyId'];

export interface CheckSetFields {
  name: string;
  description: string | null;
  escalationPolicyId: string | null;
}

/** Name, description and escalation policy of a set: the create form without `initial`, the edit form with it. */
export function CheckSetForm(props: {
  initial?: CheckSetFields;
  policies: Policy[];
  submitLabel: string;
  save: (fields: CheckSetFields) => Promise<void>;
  onCancel?: () => void;
  testId: string;
}): JSX.Element {
  const [name, setName] = createSignal(props.initial?.name ?? '');
  const [description, setDescription] = createSignal(props.initial?.description ?? '');
  const [policyId, setPolicyId] = createSignal(props.initial?.escalationPolicyId ?? '');
  const submit = createAction(async () => {
    await props.save({ name: name().trim(), description: description().trim() || null, escalationPolicyId: policyId() || null });
    if (!props.initial) {
      setName('');
      setDescription('');
    }
  });

  return (
    <>
      <form
        class="form form-row"
        data-testid={props.testId}
        onSubmit={(e) => {
          e.preventDefault();
          void submit.run();
        }}
        onKeyDown={(e) => e.key === 'Escape' && props.onCancel?.()}
      >
        <label class="field">
          <span>{props.initial ? 'Name' : 'New check set'}</span>
          <input class="input" placeholder="e.g. Windows servers" data-testid="set-name" value={name()} onInput={(e) => setName(e.currentTarget.value)} ref={(el) => props.initial && queueMicrotask(() => el.focus())} />
          <FieldError failure={submit.failure()} path="name" />
        </label>
        <Show when={props.initial}>
          <label class="field grow">
            <span>Description</span>
            <input class="input" placeholder="Optional" value={description()} onInput={(e) => setDescription(e.currentTarget.value)} />
            <FieldError failure={submit.failure()} path="description" />
          </label>
        </Show>
        <label class="field">
          <span>Escalation policy</span>
          <select class="input select" onChange={(e) => setPolicyId(e.currentTarget.value)} data-testid="set-policy">
            <option value="">The tenant's default</option>
            <For each={props.policies}>
              {(p) => (
                <option value={p.id} selected={p.id === policyId()}>
                  {p.name}
                  {p.isDefault ? ' (default)' : ''}
                </option>
              )}
            </For>
          </select>
          <FieldError failure={submit.failure()} path="escalationPolicyId" />
        </label>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" data-testid="set-save" disabled={!name().trim() || submit.pending()}>
            {props.submitLabel}
          </button>
          <Show when={props.onCancel}>
            {(cancel) => (
              <button type="button" class="btn btn-ghost" onClick={() => cancel()()}>
                Cancel
              </button>
            )}
          </Show>
        </div>
      </form>
      <FormError failure={submit.failure()} fields={FIELDS} />
    </>
  );
}
