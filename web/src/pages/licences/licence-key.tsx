import { createSignal, Show, type JSX } from 'solid-js';
import { createAction } from '../../lib/action';
import { Dialog } from '../../components/dialog';
import { FormError } from '../../components/feedback';
import { SecretBox } from '../../components/copy-button';
import { revealKey, type Licence } from './licence-data';

/**
 * Reveal a licence key: a confirmation first (every reveal is written to the audit log), then
 * the key once, with a copy button. Closing forgets it; seeing it again is another reveal.
 */
export function RevealKey(props: { licence: Licence }): JSX.Element {
  const [open, setOpen] = createSignal(false);
  const [key, setKey] = createSignal<{ value: string | null } | null>(null);
  const reveal = createAction(async () => setKey({ value: await revealKey(props.licence.id) }));
  const close = () => {
    setOpen(false);
    setKey(null);
    reveal.clear();
  };

  return (
    <>
      <button type="button" class="btn btn-small" data-testid="licence-reveal" aria-label={`Reveal the key of ${props.licence.product}`} onClick={(e) => (e.stopPropagation(), setOpen(true))}>
        Reveal key
      </button>
      <Dialog open={open()} title={`Key of ${props.licence.product}`} onClose={close} testId="licence-key-dialog">
        <Show
          when={key()}
          fallback={
            <div class="stack">
              <p>The key is shown once and the reveal is recorded in the audit log under your name.</p>
              <FormError failure={reveal.failure()} />
              <div class="row gap">
                <button type="button" class="btn btn-primary" data-testid="licence-reveal-confirm" disabled={reveal.pending()} onClick={() => void reveal.run()} ref={(el) => queueMicrotask(() => el.focus())}>
                  {reveal.pending() ? 'Revealing…' : 'Reveal'}
                </button>
                <button type="button" class="btn" onClick={close}>
                  Cancel
                </button>
              </div>
            </div>
          }
        >
          {(k) => (
            <div class="stack">
              <Show when={k().value} fallback={<p data-testid="licence-key-none">No key is stored for this licence.</p>}>
                {(value) => <SecretBox value={value()} testId="licence-key-value" />}
              </Show>
              <div class="row gap">
                <button type="button" class="btn" data-testid="licence-key-close" onClick={close}>
                  Done
                </button>
              </div>
            </div>
          )}
        </Show>
      </Dialog>
    </>
  );
}
