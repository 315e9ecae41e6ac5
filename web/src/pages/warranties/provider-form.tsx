import { createSignal, For, type JSX } from 'solid-js';
import { createStore } from 'solid-js/store';
import type { WarrantyCredentials, WarrantyVendor } from '../../../../protocol/warranty';
import { createAction } from '../../lib/action';
import { FieldError } from '../../components/feedback';
import { FormFooter } from '../../components/form-footer';
import { saveProvider } from './warranty-data';

const LABELS: Record<string, string> = { clientId: 'Client ID', clientSecret: 'Client secret', apiKey: 'API key', apiSecret: 'API secret' };

/**
 * A vendor's credentials. The inputs start empty even when credentials are stored: the server
 * never sends them back, and saving replaces them whole.
 */
export function ProviderForm(props: { vendor: WarrantyVendor; fields: string[]; configured: boolean; enabled: boolean; onSaved: () => void; onCancel: () => void }): JSX.Element {
  const [values, setValues] = createStore<Record<string, string>>(Object.fromEntries(props.fields.map((f) => [f, ''])));
  const [enabled, setEnabled] = createSignal(props.enabled);
  const save = createAction(async () => {
    const credentials = Object.fromEntries(props.fields.map((f) => [f, values[f]!.trim()])) as WarrantyCredentials[typeof props.vendor];
    await saveProvider(props.vendor, { enabled: enabled(), credentials });
    props.onSaved();
  });
  const paths = props.fields.map((f) => `credentials.${f}`);

  return (
    <form class="form form-grid" data-testid="provider-form" aria-label={`${props.vendor} credentials`} onSubmit={(e) => (e.preventDefault(), void save.run())} onKeyDown={(e) => e.key === 'Escape' && props.onCancel()}>
      <For each={props.fields}>
        {(f, i) => (
          <label class="field">
            <span>{LABELS[f] ?? f}</span>
            <input
              class="input mono"
              type="password"
              autocomplete="off"
              data-testid={`provider-${f}`}
              placeholder={props.configured ? 'stored; type to replace' : ''}
              value={values[f]}
              onInput={(e) => setValues(f, e.currentTarget.value)}
              ref={(el) => i() === 0 && queueMicrotask(() => el.focus())}
            />
            <FieldError failure={save.failure()} path={`credentials.${f}`} />
          </label>
        )}
      </For>
      <label class="check span-2">
        <input type="checkbox" checked={enabled()} onChange={(e) => setEnabled(e.currentTarget.checked)} /> Look up warranties weekly
      </label>
      <div class="span-2">
        <FormFooter failure={save.failure()} fields={paths} pending={save.pending()} saveTestId="provider-save" saveLabel={save.pending() ? 'Saving…' : 'Save credentials'} onCancel={props.onCancel} />
      </div>
    </form>
  );
}
