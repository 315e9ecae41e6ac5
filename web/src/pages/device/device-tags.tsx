import { createSignal, For, Show, type JSX } from 'solid-js';
import * as v from 'valibot';
import { Tag } from '../../../../protocol/api/devices';
import { createAction } from '../../lib/action';
import { can } from '../../state/session';
import { FormError } from '../../components/feedback';

/** Tag chips with add/remove; each change saves the whole list (the API replaces tags). */
export function DeviceTags(props: { tags: string[]; save: (tags: string[]) => Promise<void> }): JSX.Element {
  const [draft, setDraft] = createSignal('');
  const [invalid, setInvalid] = createSignal<string | null>(null);
  const action = createAction((tags: string[]) => props.save(tags));
  const editable = () => can('technician');

  const add = async () => {
    const parsed = v.safeParse(Tag, draft());
    if (!parsed.success) return setInvalid(parsed.issues[0].message);
    setInvalid(null);
    if (props.tags.includes(parsed.output)) return setDraft('');
    await action.run([...props.tags, parsed.output]);
    if (!action.failure()) setDraft('');
  };

  return (
    <div class="tags-editor">
      <ul class="chips" data-testid="device-tags">
        <For each={props.tags} fallback={<li class="muted">No tags</li>}>
          {(tag) => (
            <li class="chip">
              {tag}
              <Show when={editable()}>
                <button
                  type="button"
                  class="chip-remove"
                  aria-label={`Remove tag ${tag}`}
                  disabled={action.pending()}
                  onClick={() => void action.run(props.tags.filter((t) => t !== tag))}
                >
                  ×
                </button>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <Show when={editable()}>
        <form
          class="row gap"
          onSubmit={(e) => {
            e.preventDefault();
            void add();
          }}
        >
          <input
            class="input input-small"
            placeholder="Add tag"
            aria-label="New tag"
            maxLength={40}
            value={draft()}
            onInput={(e) => setDraft(e.currentTarget.value)}
          />
          <button type="submit" class="btn btn-small" disabled={!draft().trim() || action.pending()}>
            Add
          </button>
        </form>
      </Show>
      <Show when={invalid()}>{(m) => <span class="field-error">{m()}</span>}</Show>
      <FormError failure={action.failure()} />
    </div>
  );
}
