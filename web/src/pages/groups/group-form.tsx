import { createSignal, Show, type JSX } from 'solid-js';
import { createAction } from '../../lib/action';
import { FieldError, FormError } from '../../components/feedback';

const FIELDS = ['name', 'description'];

export interface GroupFields {
  name: string;
  description: string | null;
}

/** Name and description: the create form when `initial` is absent, the edit form otherwise. */
export function GroupForm(props: {
  initial?: GroupFields;
  submitLabel: string;
  save: (fields: GroupFields) => Promise<void>;
  onCancel?: () => void;
  testId: string;
}): JSX.Element {
  const [name, setName] = createSignal(props.initial?.name ?? '');
  const [description, setDescription] = createSignal(props.initial?.description ?? '');
  const submit = createAction(async () => {
    await props.save({ name: name().trim(), description: description().trim() || null });
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
          <span>{props.initial ? 'Name' : 'New group'}</span>
          <input
            class="input"
            placeholder="Group name"
            data-testid="group-name"
            value={name()}
            onInput={(e) => setName(e.currentTarget.value)}
            ref={(el) => props.initial && queueMicrotask(() => el.focus())}
          />
          <FieldError failure={submit.failure()} path="name" />
        </label>
        <label class="field grow">
          <span>Description</span>
          <input
            class="input"
            placeholder="Optional"
            data-testid="group-description"
            value={description()}
            onInput={(e) => setDescription(e.currentTarget.value)}
          />
          <FieldError failure={submit.failure()} path="description" />
        </label>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" data-testid="group-save" disabled={!name().trim() || submit.pending()}>
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
