import { createEffect, createSignal, on, onCleanup, Show, type JSX } from 'solid-js';
import { api, call } from '../../api/client';
import { toFailure } from '../../api/errors';
import type { TemplatePreview } from '../../../../protocol/api/ticket-rules';

/**
 * The ticket a rule would open, rendered by the server from the templates as typed (300 ms
 * after typing pauses). A refused template shows the server's reason, naming the token.
 * The result is text: alert messages and hostnames are agent-reported.
 */
export function RulePreview(props: { titleTemplate: string; bodyTemplate: string }): JSX.Element {
  const [alertId, setAlertId] = createSignal('');
  const [result, setResult] = createSignal<TemplatePreview | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let generation = 0;
  onCleanup(() => clearTimeout(timer));

  const render = async (titleTemplate: string, bodyTemplate: string, id: string) => {
    const mine = ++generation;
    setBusy(true);
    try {
      const out = await call(api['ticket-rules'].preview.$post({ json: { titleTemplate, bodyTemplate, ...(id ? { alertId: id } : {}) } }));
      if (mine !== generation) return;
      setResult(out);
      setError(null);
    } catch (err) {
      if (mine !== generation) return;
      const f = toFailure(err);
      setError(f.issues.length ? f.issues.map((i) => `${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n') : f.message);
    } finally {
      if (mine === generation) setBusy(false);
    }
  };

  createEffect(
    on([() => props.titleTemplate, () => props.bodyTemplate, () => alertId().trim()], ([t, b, id]) => {
      clearTimeout(timer);
      timer = setTimeout(() => void render(t, b, id), 300);
    }),
  );

  return (
    <section class="panel" aria-label="Preview" data-testid="rule-preview">
      <div class="panel-head">
        <h2>Preview</h2>
        <span class="spacer" />
        <Show when={busy()}>
          <span class="muted small">rendering…</span>
        </Show>
      </div>
      <label class="field">
        <span>Render against alert (id; empty: a sample alert)</span>
        <input class="input mono" data-testid="rule-preview-alert" value={alertId()} onInput={(e) => setAlertId(e.currentTarget.value)} placeholder="sample alert" />
      </label>
      <Show
        when={!error()}
        fallback={
          <div class="form-error pre-line" role="alert" data-testid="rule-preview-error">
            {error()}
          </div>
        }
      >
        <Show when={result()} fallback={<p class="muted">…</p>}>
          {(r) => (
            <>
              <div class="small muted">Title</div>
              <div class="preview-box" data-testid="rule-preview-title">
                <strong>{r().title}</strong>
              </div>
              <div class="small muted">Body</div>
              <div class="preview-box" data-testid="rule-preview-body">
                {r().body}
              </div>
            </>
          )}
        </Show>
      </Show>
    </section>
  );
}
