import { createSignal, Show, type JSX } from 'solid-js';
import { createAction } from '../../lib/action';
import { actOnAlerts, type AlertAction } from '../../state/alerts';
import { showToast } from '../../state/toasts';
import { Dialog } from '../../components/dialog';
import { FieldError, FormError } from '../../components/feedback';

const VERB: Record<AlertAction, { label: string; past: string }> = {
  acknowledge: { label: 'Acknowledge', past: 'Acknowledged' },
  resolve: { label: 'Resolve', past: 'Resolved' },
};

const plural = (n: number) => `${n.toLocaleString()} ${n === 1 ? 'alert' : 'alerts'}`;

/**
 * Confirms an acknowledge or resolve with an optional note (kept in each alert's history).
 * The note field has focus, so Enter confirms straight from the keyboard.
 */
export function AlertActionDialog(props: {
  request: { action: AlertAction; ids: string[] } | null;
  onClose: () => void;
  onDone: (action: AlertAction, changed: string[]) => void;
}): JSX.Element {
  const [note, setNote] = createSignal('');
  const run = createAction(async (action: AlertAction, ids: string[]) => {
    const res = await actOnAlerts(action, ids, note().trim() || undefined);
    const skipped = res.unchanged.length ? ` · ${plural(res.unchanged.length)} already ${action === 'acknowledge' ? 'acknowledged or resolved' : 'resolved'}` : '';
    showToast(`${VERB[action].past} ${plural(res.changed.length)}${skipped}`);
    setNote('');
    props.onDone(action, res.changed);
  });

  return (
    <Dialog
      open={!!props.request}
      title={props.request ? `${VERB[props.request.action].label} ${plural(props.request.ids.length)}` : ''}
      onClose={() => {
        run.clear();
        props.onClose();
      }}
      testId="alert-action-dialog"
    >
      <Show when={props.request}>
        {(req) => (
          <form
            class="form"
            onSubmit={(e) => {
              e.preventDefault();
              void run.run(req().action, req().ids);
            }}
          >
            <label class="field">
              <span>Note (optional, kept in the alert's history)</span>
              <input
                class="input"
                data-testid="alert-note"
                maxLength={1000}
                value={note()}
                onInput={(e) => setNote(e.currentTarget.value)}
                ref={(el) => queueMicrotask(() => el.focus())}
              />
              <FieldError failure={run.failure()} path="note" />
            </label>
            <FormError failure={run.failure()} fields={['note']} />
            <div class="row gap dialog-actions">
              <button type="submit" class="btn btn-primary" data-testid="alert-action-confirm" disabled={run.pending()}>
                {run.pending() ? 'Working…' : VERB[req().action].label}
              </button>
              <button type="button" class="btn btn-ghost" onClick={() => props.onClose()}>
                Cancel
              </button>
              <span class="muted small">
                <kbd>Enter</kbd> confirms · <kbd>Esc</kbd> cancels
              </span>
            </div>
          </form>
        )}
      </Show>
    </Dialog>
  );
}
