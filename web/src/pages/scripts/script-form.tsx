import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import { createStore, unwrap } from 'solid-js/store';
import { Interpreter } from '../../../../protocol/command';
import { DEFAULT_SCRIPT_TIMEOUT_SECONDS, MAX_SCRIPT_TIMEOUT_SECONDS } from '../../../../protocol/limits';
import { PLATFORMS, SCRIPT_CATEGORIES, type ScriptParam } from '../../../../protocol/scripts';
import { createAction } from '../../lib/action';
import { settled } from '../../lib/resource';
import { loadClients } from '../../state/directory';
import { createScript, updateScript, type Script, type ScriptDraft, type ScriptPatch } from '../../state/scripts';
import { CodeEditor } from '../../components/code-editor';
import { ClientPicker } from '../../components/client-picker';
import { FieldError, FormError } from '../../components/feedback';
import { ParamsEditor } from './params-editor';

type Draft = Required<Omit<ScriptDraft, 'note'>> & { params: ScriptParam[] };

const BLANK: Draft = {
  name: '',
  description: '',
  category: 'maintenance',
  platforms: ['linux'],
  tags: [],
  clientIds: null,
  interpreter: 'bash',
  body: '#!/bin/bash\n',
  params: [],
  defaultTimeoutSeconds: DEFAULT_SCRIPT_TIMEOUT_SECONDS,
};

function fromScript(s: Script): Draft {
  return {
    name: s.name,
    description: s.description,
    category: s.category,
    platforms: [...s.platforms],
    tags: [...s.tags],
    clientIds: s.clientIds ? [...s.clientIds] : null,
    interpreter: s.interpreter,
    body: s.body,
    params: structuredClone(s.params),
    defaultTimeoutSeconds: s.defaultTimeoutSeconds,
  };
}

/** Only what changed goes to the server: an unchanged body must not make a new version. */
function changes(before: Draft, after: Draft): ScriptPatch {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof Draft)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) out[key] = after[key];
  }
  return out as ScriptPatch;
}

const FIELDS = ['name', 'description', 'category', 'platforms', 'tags', 'clientIds', 'interpreter', 'body', 'params', 'defaultTimeoutSeconds', 'note'];

/**
 * A script's definition: metadata, the body in a code editor and its typed parameters.
 * Save (Ctrl+S or Ctrl+Enter) sends what changed; a changed body or parameter list
 * becomes the next version, with the note.
 */
export function ScriptForm(props: { script: Script | null; readOnly: boolean; onSaved: (s: Script) => void }): JSX.Element {
  const original = props.script ? fromScript(props.script) : BLANK;
  const [draft, setDraft] = createStore<Draft>(structuredClone(original));
  const [note, setNote] = createSignal('');
  const [clients] = createResource(loadClients);

  const dirty = () => Object.keys(changes(original, draft)).length > 0;
  const save = createAction(async () => {
    const current = structuredClone(unwrap(draft));
    const saved = props.script
      ? await updateScript(props.script.id, { ...changes(original, current), ...(note().trim() ? { note: note().trim() } : {}) })
      : await createScript({ ...current, note: note().trim() });
    setNote('');
    props.onSaved(saved);
  });
  const submit = () => {
    if (props.readOnly || (props.script && !dirty())) return;
    void save.run();
  };

  return (
    <form
      class="form script-edit"
      data-testid="script-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      onKeyDown={(e) => {
        // The editor handles its own keys; the same shortcuts work from every other field.
        if ((e.ctrlKey || e.metaKey) && (e.key === 's' || e.key === 'Enter') && !(e.target as HTMLElement).closest('.cm-editor')) {
          e.preventDefault();
          submit();
        }
      }}
    >
      <fieldset class="script-meta" disabled={props.readOnly}>
        <div class="row gap wrap">
          <label class="field grow">
            <span>Name</span>
            <input class="input" data-testid="script-name" value={draft.name} onInput={(e) => setDraft('name', e.currentTarget.value)} />
            <FieldError failure={save.failure()} path="name" />
          </label>
          <label class="field">
            <span>Category</span>
            <select class="input select" data-testid="script-category" onChange={(e) => setDraft('category', e.currentTarget.value as Draft['category'])}>
              <For each={SCRIPT_CATEGORIES}>{(c) => <option value={c} selected={c === draft.category}>{c}</option>}</For>
            </select>
          </label>
          <label class="field">
            <span>Interpreter</span>
            <select class="input select" data-testid="script-interpreter" onChange={(e) => setDraft('interpreter', e.currentTarget.value as Draft['interpreter'])}>
              <For each={Interpreter.options}>{(i) => <option value={i} selected={i === draft.interpreter}>{i}</option>}</For>
            </select>
          </label>
          <label class="field">
            <span>Default timeout (s)</span>
            <input
              class="input input-num"
              type="number"
              min="1"
              max={MAX_SCRIPT_TIMEOUT_SECONDS}
              value={draft.defaultTimeoutSeconds}
              onChange={(e) => setDraft('defaultTimeoutSeconds', Number(e.currentTarget.value) || DEFAULT_SCRIPT_TIMEOUT_SECONDS)}
            />
            <FieldError failure={save.failure()} path="defaultTimeoutSeconds" />
          </label>
        </div>
        <label class="field">
          <span>Description</span>
          <textarea class="input" rows={2} data-testid="script-description" value={draft.description} onInput={(e) => setDraft('description', e.currentTarget.value)} />
        </label>
        <div class="row gap wrap">
          <div class="field">
            <span>Platforms</span>
            <div class="row gap">
              <For each={PLATFORMS}>
                {(p) => (
                  <label class="check">
                    <input
                      type="checkbox"
                      checked={draft.platforms.includes(p)}
                      onChange={(e) => setDraft('platforms', e.currentTarget.checked ? [...draft.platforms, p] : draft.platforms.filter((x) => x !== p))}
                    />
                    {p}
                  </label>
                )}
              </For>
            </div>
            <FieldError failure={save.failure()} path="platforms" />
          </div>
          <label class="field grow">
            <span>Tags (comma-separated)</span>
            <input
              class="input"
              data-testid="script-tags"
              value={draft.tags.join(', ')}
              onChange={(e) => setDraft('tags', e.currentTarget.value.split(',').map((t) => t.trim()).filter(Boolean))}
            />
            <FieldError failure={save.failure()} path="tags" />
          </label>
        </div>
        <div class="field">
          <span>Visible to</span>
          <ClientPicker clients={settled(clients) ?? []} value={draft.clientIds} onChange={(ids) => setDraft('clientIds', ids)} />
          <FieldError failure={save.failure()} path="clientIds" />
        </div>
      </fieldset>
      <div class="field">
        <span>Script</span>
        <CodeEditor
          value={draft.body}
          interpreter={draft.interpreter}
          readOnly={props.readOnly}
          label="Script body"
          testId="script-body"
          onChange={(text) => setDraft('body', text)}
          onSave={submit}
        />
        <FieldError failure={save.failure()} path="body" />
      </div>
      <div class="field">
        <span>Parameters</span>
        <ParamsEditor params={draft.params} onChange={(p) => setDraft('params', p)} readOnly={props.readOnly} failure={save.failure()} />
      </div>
      <Show when={!props.readOnly}>
        <div class="row gap wrap save-row">
          <label class="field field-inline grow">
            <span>Version note</span>
            <input class="input" data-testid="version-note" placeholder="What changed (optional)" value={note()} onInput={(e) => setNote(e.currentTarget.value)} />
          </label>
          <button type="submit" class="btn btn-primary" data-testid="save-script" disabled={save.pending() || (!!props.script && !dirty())} title="Save (Ctrl+S)">
            {save.pending() ? 'Saving…' : props.script ? 'Save' : 'Create script'}
          </button>
          <Show when={props.script && dirty()}>
            <span class="muted small">unsaved changes</span>
          </Show>
        </div>
        <FormError failure={save.failure()} fields={FIELDS} />
      </Show>
    </form>
  );
}
