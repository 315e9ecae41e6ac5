import { A, useNavigate, useParams, useSearchParams } from '@solidjs/router';
import { createResource, createSignal, Match, Show, Switch, type JSX } from 'solid-js';
import { describeFailure } from '../../api/errors';
import { createAction } from '../../lib/action';
import { deleteConfirmed } from '../../lib/delete-confirmed';
import { settled } from '../../lib/resource';
import { can } from '../../state/session';
import { showToast } from '../../state/toasts';
import { deleteScript, duplicateScript, loadScript, type Script } from '../../state/scripts';
import { Empty, FormError, Loading } from '../../components/feedback';
import { ScriptForm } from './script-form';
import { ScriptVersions } from './script-versions';
import { RunScriptDialog } from './run-script-dialog';
import '../../styles/automation.css';

/** /scripts/new and /scripts/:id: the editor, the versions and Run…. */
export default function ScriptPage(): JSX.Element {
  const params = useParams<{ id: string }>();
  return (
    <div class="page">
      <Show when={params.id} keyed>
        {(id) => (id === 'new' ? <NewScript /> : <ScriptLoader id={id} />)}
      </Show>
    </div>
  );
}

function NewScript(): JSX.Element {
  const navigate = useNavigate();
  return (
    <>
      <div class="page-head">
        <A href="/scripts" class="btn btn-ghost" aria-label="Back to scripts">
          ←
        </A>
        <h1>New script</h1>
      </div>
      <section class="panel">
        <ScriptForm script={null} readOnly={!can('technician')} onSaved={(s) => navigate(`/scripts/${s.id}`, { replace: true })} />
      </section>
    </>
  );
}

function ScriptLoader(props: { id: string }): JSX.Element {
  const [script, { mutate }] = createResource(() => props.id, loadScript);
  return (
    <Show when={!script.error} fallback={<Empty>{describeFailure(script.error)} <A href="/scripts">Back to scripts</A></Empty>}>
      <Show when={settled(script)} fallback={<Loading label="Loading script…" />}>
        {(s) => <ScriptView script={s()} onChange={(next) => mutate(next)} />}
      </Show>
    </Show>
  );
}

function ScriptView(props: { script: Script; onChange: (s: Script) => void }): JSX.Element {
  const navigate = useNavigate();
  const [search] = useSearchParams<{ tab?: string }>();
  const tab = () => (search.tab === 'versions' ? 'versions' : 'script');
  const [running, setRunning] = createSignal(false);
  const readOnly = () => props.script.builtin || !can('technician');

  const duplicate = createAction(async () => {
    const copy = await duplicateScript(props.script.id);
    showToast(`Copied to “${copy.name}”`);
    navigate(`/scripts/${copy.id}`);
  });
  const remove = () =>
    void deleteConfirmed(
      `Delete “${props.script.name}” and all its versions? Past runs stay in the history.`,
      () => deleteScript(props.script.id),
      'Script deleted',
      () => navigate('/scripts', { replace: true }),
    );

  return (
    <>
      <div class="page-head">
        <A href="/scripts" class="btn btn-ghost" aria-label="Back to scripts">
          ←
        </A>
        <h1 data-testid="script-title">{props.script.name}</h1>
        <Show when={props.script.builtin}>
          <span class="badge badge-info">built-in</span>
        </Show>
        <span class="muted mono" data-testid="script-version">
          v{props.script.version}
        </span>
        <span class="spacer" />
        <Show when={can('technician')}>
          <button type="button" class="btn" data-testid="duplicate-script" onClick={() => void duplicate.run()} disabled={duplicate.pending()}>
            {props.script.builtin ? 'Duplicate to edit' : 'Duplicate'}
          </button>
          <button type="button" class="btn btn-primary" data-testid="run-script-open" onClick={() => setRunning(true)}>
            Run…
          </button>
        </Show>
        <Show when={!props.script.builtin && can('admin')}>
          <button type="button" class="btn danger-btn" onClick={remove}>
            Delete
          </button>
        </Show>
      </div>
      <FormError failure={duplicate.failure()} />
      <nav class="tabs" aria-label="Script sections">
        <A href={`/scripts/${props.script.id}`} class="tab" classList={{ 'is-active': tab() === 'script' }} aria-current={tab() === 'script' ? 'page' : undefined} activeClass="" inactiveClass="">
          Script
        </A>
        <A
          href={`/scripts/${props.script.id}?tab=versions`}
          class="tab"
          data-testid="tab-versions"
          classList={{ 'is-active': tab() === 'versions' }}
          aria-current={tab() === 'versions' ? 'page' : undefined}
          activeClass=""
          inactiveClass=""
        >
          Versions
        </A>
      </nav>
      <Switch>
        <Match when={tab() === 'script'}>
          <Show when={props.script.builtin}>
            <p class="muted">Built-in scripts are read-only: duplicate one to change it.</p>
          </Show>
          <section class="panel">
            {/* Keyed on the version: a save remounts the form on the stored text. */}
            <Show when={`${props.script.id}:${props.script.version}:${props.script.updatedAt}`} keyed>
              <ScriptForm
                script={props.script}
                readOnly={readOnly()}
                onSaved={(s) => {
                  showToast(s.version > props.script.version ? `Saved as version ${s.version}` : 'Saved');
                  props.onChange(s);
                }}
              />
            </Show>
          </section>
        </Match>
        <Match when={tab() === 'versions'}>
          <ScriptVersions scriptId={props.script.id} latest={props.script.version} />
        </Match>
      </Switch>
      <RunScriptDialog script={props.script} open={running()} onClose={() => setRunning(false)} />
    </>
  );
}
