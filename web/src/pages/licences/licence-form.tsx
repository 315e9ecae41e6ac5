import { createResource, For, Show, type JSX } from 'solid-js';
import { createStore } from 'solid-js/store';
import { createAction } from '../../lib/action';
import { settled } from '../../lib/resource';
import { loadClients } from '../../state/directory';
import { FieldError } from '../../components/feedback';
import { FormFooter } from '../../components/form-footer';
import { createLicence, updateLicence, type Licence, type LicenceDraft } from './licence-data';
import { LicencePreview } from './licence-preview';

const FIELDS = ['product', 'vendor', 'clientId', 'seats', 'key', 'expires', 'match', 'notes'];

function initialState(l: Licence | null) {
  return {
    product: l?.product ?? '',
    vendor: l?.vendor ?? '',
    clientId: l?.clientId ?? '',
    seats: String(l?.seats ?? 1),
    key: '',
    clearKey: false,
    expires: l?.expires ?? '',
    name: l?.match.name ?? '',
    exact: l?.match.exact ?? false,
    publisher: l?.match.publisher ?? '',
    minVersion: l?.match.minVersion ?? '',
    notes: l?.notes ?? '',
  };
}

/**
 * A licence: what was bought (seats, key, expiry) and the rule that finds its installs in the
 * fleet's software. On edit the key field stays empty: typing replaces the stored key, leaving
 * it empty keeps it. Escape cancels.
 */
export function LicenceForm(props: { initial: Licence | null; onSaved: (l: Licence) => void; onCancel: () => void }): JSX.Element {
  const [f, setF] = createStore(initialState(props.initial));
  const [clients] = createResource(loadClients);

  const body = (): LicenceDraft => {
    const key = f.key.trim();
    return {
      product: f.product.trim(),
      vendor: f.vendor.trim() || null,
      clientId: f.clientId || null,
      // An empty field goes as NaN (null in JSON), which the API answers with the field's message.
      seats: f.seats.trim() === '' ? Number.NaN : Number(f.seats),
      ...(key ? { key } : f.clearKey || !props.initial ? { key: null } : {}),
      expires: f.expires || null,
      match: {
        name: f.name.trim(),
        exact: f.exact,
        ...(f.publisher.trim() ? { publisher: f.publisher.trim() } : {}),
        ...(f.minVersion.trim() ? { minVersion: f.minVersion.trim() } : {}),
      },
      notes: f.notes.trim() || null,
    };
  };

  const save = createAction(async () => {
    const json = body();
    const saved = props.initial ? await updateLicence(props.initial.id, json) : await createLicence(json);
    props.onSaved(saved);
  });

  return (
    <form
      class="form form-grid panel"
      data-testid="licence-form"
      aria-label={props.initial ? `Edit licence ${props.initial.product}` : 'New licence'}
      onSubmit={(e) => {
        e.preventDefault();
        void save.run();
      }}
      onKeyDown={(e) => e.key === 'Escape' && props.onCancel()}
    >
      <label class="field">
        <span>Product</span>
        <input class="input" data-testid="licence-product" value={f.product} onInput={(e) => setF('product', e.currentTarget.value)} placeholder="e.g. Microsoft 365 Business" ref={(el) => queueMicrotask(() => el.focus())} />
        <FieldError failure={save.failure()} path="product" />
      </label>
      <label class="field">
        <span>Vendor</span>
        <input class="input" data-testid="licence-vendor" value={f.vendor} onInput={(e) => setF('vendor', e.currentTarget.value)} />
        <FieldError failure={save.failure()} path="vendor" />
      </label>
      <label class="field">
        <span>Client</span>
        <select class="input select" data-testid="licence-client" onChange={(e) => setF('clientId', e.currentTarget.value)}>
          <option value="">Every client (the whole fleet)</option>
          <For each={settled(clients)}>{(c) => <option value={c.id} selected={c.id === f.clientId}>{c.name}</option>}</For>
        </select>
        <FieldError failure={save.failure()} path="clientId" />
      </label>
      <label class="field">
        <span>Seats</span>
        <input class="input input-num" type="number" min="0" step="1" data-testid="licence-seats" value={f.seats} onInput={(e) => setF('seats', e.currentTarget.value)} />
        <FieldError failure={save.failure()} path="seats" />
      </label>
      <div class="field">
        <span id="licence-key-label">Licence key {props.initial?.keyHint ? `(stored, ends ${props.initial.keyHint}; type to replace)` : '(stored encrypted)'}</span>
        <input class="input mono" type="password" autocomplete="off" aria-labelledby="licence-key-label" data-testid="licence-key" value={f.key} onInput={(e) => setF('key', e.currentTarget.value)} />
        <FieldError failure={save.failure()} path="key" />
        <Show when={props.initial?.keyHint}>
          <label class="check small">
            <input type="checkbox" checked={f.clearKey} onChange={(e) => setF('clearKey', e.currentTarget.checked)} /> Remove the stored key
          </label>
        </Show>
      </div>
      <label class="field">
        <span>Expires (empty: perpetual)</span>
        <input class="input" type="date" data-testid="licence-expires" value={f.expires} onInput={(e) => setF('expires', e.currentTarget.value)} />
        <FieldError failure={save.failure()} path="expires" />
      </label>
      <fieldset class="form-grid span-2">
        <legend>Installs that use a seat (matched against each device's software list)</legend>
        <div class="field">
          <span id="licence-match-label">Software name</span>
          <input class="input" aria-labelledby="licence-match-label" data-testid="licence-match-name" value={f.name} onInput={(e) => setF('name', e.currentTarget.value)} placeholder="e.g. Microsoft Office" />
          <FieldError failure={save.failure()} path="match.name" />
          <label class="check small">
            <input type="checkbox" data-testid="licence-match-exact" checked={f.exact} onChange={(e) => setF('exact', e.currentTarget.checked)} /> Exact name (otherwise: contains)
          </label>
        </div>
        <label class="field">
          <span>Publisher contains (optional)</span>
          <input class="input" data-testid="licence-match-publisher" value={f.publisher} onInput={(e) => setF('publisher', e.currentTarget.value)} />
          <FieldError failure={save.failure()} path="match.publisher" />
        </label>
        <label class="field">
          <span>Minimum version (optional)</span>
          <input class="input mono" data-testid="licence-match-version" value={f.minVersion} onInput={(e) => setF('minVersion', e.currentTarget.value)} placeholder="e.g. 16.0" />
          <FieldError failure={save.failure()} path="match.minVersion" />
        </label>
        <LicencePreview name={f.name.trim()} exact={f.exact} minVersion={f.minVersion.trim()} clientId={f.clientId} publisher={f.publisher.trim()} />
      </fieldset>
      <label class="field span-2">
        <span>Notes</span>
        <textarea class="input" rows="2" data-testid="licence-notes" value={f.notes} onInput={(e) => setF('notes', e.currentTarget.value)} />
        <FieldError failure={save.failure()} path="notes" />
      </label>
      <div class="span-2">
        <FormFooter
          failure={save.failure()}
          fields={FIELDS}
          pending={save.pending()}
          saveTestId="licence-save"
          saveLabel={save.pending() ? 'Saving…' : props.initial ? 'Save licence' : 'Create licence'}
          onCancel={props.onCancel}
        />
      </div>
    </form>
  );
}
