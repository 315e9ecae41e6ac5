import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import { createStore } from 'solid-js/store';
import { describeFailure } from '../../api/errors';
import { createAction } from '../../lib/action';
import { deleteConfirmed } from '../../lib/delete-confirmed';
import { formatDateTime } from '../../lib/format';
import { settled } from '../../lib/resource';
import { can } from '../../state/session';
import { showToast } from '../../state/toasts';
import { EndDate } from '../../components/days-left';
import { Empty, FieldError, Loading } from '../../components/feedback';
import { FormFooter } from '../../components/form-footer';
import {
  deleteManualWarranty,
  loadDeviceWarranty,
  putDeviceAsset,
  putManualWarranty,
  type DeviceWarrantyView,
} from '../warranties/warranty-data';

type Editing = 'warranty' | 'asset' | null;

/**
 * A device's warranty coverage (one entry per source: manual, CSV, vendor lookup; the latest
 * end counts) and what the MSP knows of the asset: purchase date, asset tag, notes.
 * Vendor-reported text lands in text nodes only.
 */
export function WarrantyCard(props: { deviceId: string }): JSX.Element {
  const [view, { mutate, refetch }] = createResource(() => props.deviceId, loadDeviceWarranty);
  const [editing, setEditing] = createSignal<Editing>(null);
  const saved = (next: DeviceWarrantyView, what: string) => {
    mutate(next);
    setEditing(null);
    showToast(what);
  };
  const manual = () => settled(view)?.entries.find((e) => e.source === 'manual') ?? null;
  const removeManual = () =>
    deleteConfirmed('Remove the manual warranty record of this device?', () => deleteManualWarranty(props.deviceId), 'Manual warranty removed', () => {
      setEditing(null);
      void refetch();
    });

  return (
    <section class="panel" data-testid="warranty-card">
      <div class="panel-head">
        <h2>Warranty & asset</h2>
        <span class="spacer" />
        <Show when={can('technician') && !editing() && settled(view)}>
          <button type="button" class="btn btn-small" data-testid="warranty-edit" onClick={() => setEditing('warranty')}>
            {manual() ? 'Edit warranty' : 'Add warranty'}
          </button>
          <button type="button" class="btn btn-small" data-testid="asset-edit" onClick={() => setEditing('asset')}>
            Edit asset
          </button>
        </Show>
      </div>
      <Show when={!view.error} fallback={<Empty>Could not load the warranty: {describeFailure(view.error)}</Empty>}>
        <Show when={settled(view)} fallback={<Loading />}>
          {(w) => (
            <>
              <Show when={editing() === 'warranty'}>
                <ManualWarrantyForm deviceId={props.deviceId} view={w()} onSaved={(n) => saved(n, 'Warranty saved')} onCancel={() => setEditing(null)} onRemove={manual() ? removeManual : undefined} />
              </Show>
              <Show when={editing() === 'asset'}>
                <AssetForm deviceId={props.deviceId} view={w()} onSaved={(n) => saved(n, 'Asset facts saved')} onCancel={() => setEditing(null)} />
              </Show>
              <dl class="facts">
                <dt>Coverage ends</dt>
                <dd data-testid="warranty-coverage">
                  <EndDate end={w().coverageEnd} daysLeft={w().daysLeft} none="no warranty on record" testId="warranty-card-end" />
                </dd>
                <dt>Purchased</dt>
                <dd data-testid="asset-purchase">{w().asset.purchaseDate ?? '—'}</dd>
                <dt>Asset tag</dt>
                <dd class="mono" data-testid="asset-tag">{w().asset.assetTag ?? '—'}</dd>
                <Show when={w().asset.notes}>
                  <dt>Notes</dt>
                  <dd class="pre-line">{w().asset.notes}</dd>
                </Show>
              </dl>
              <Show when={w().entries.length}>
                <table class="table small" data-testid="warranty-entries">
                  <thead>
                    <tr>
                      <th>Source</th>
                      <th>Vendor</th>
                      <th>Ends</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={w().entries}>
                      {(e) => (
                        <tr data-testid="warranty-entry" data-source={e.source} title={`recorded ${formatDateTime(e.fetchedAt)}`}>
                          <td>{e.source}</td>
                          <td>
                            {e.vendor}
                            <Show when={e.description}>
                              <div class="muted">{e.description}</div>
                            </Show>
                          </td>
                          <td class="mono nowrap">
                            {e.end}
                            <Show when={e.start}>
                              <div class="muted">from {e.start}</div>
                            </Show>
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </Show>
            </>
          )}
        </Show>
      </Show>
    </section>
  );
}

const WARRANTY_FIELDS = ['vendor', 'start', 'end', 'description'];

/** The manual record: kept beside imported and looked-up ones, never overwritten by them. */
function ManualWarrantyForm(props: { deviceId: string; view: DeviceWarrantyView; onSaved: (v: DeviceWarrantyView) => void; onCancel: () => void; onRemove?: () => void }): JSX.Element {
  const m = props.view.entries.find((e) => e.source === 'manual');
  const [f, setF] = createStore({ vendor: m?.vendor ?? '', start: m?.start ?? props.view.asset.purchaseDate ?? '', end: m?.end ?? '', description: m?.description ?? '' });
  const save = createAction(async () =>
    props.onSaved(await putManualWarranty(props.deviceId, { vendor: f.vendor.trim(), start: f.start || null, end: f.end, description: f.description.trim() || null })),
  );
  return (
    <form class="form form-grid" data-testid="warranty-form" onSubmit={(e) => (e.preventDefault(), void save.run())} onKeyDown={(e) => e.key === 'Escape' && props.onCancel()}>
      <label class="field">
        <span>Vendor</span>
        <input class="input" data-testid="warranty-vendor" value={f.vendor} onInput={(e) => setF('vendor', e.currentTarget.value)} ref={(el) => queueMicrotask(() => el.focus())} />
        <FieldError failure={save.failure()} path="vendor" />
      </label>
      <label class="field">
        <span>Description</span>
        <input class="input" data-testid="warranty-description" value={f.description} onInput={(e) => setF('description', e.currentTarget.value)} placeholder="e.g. 3 years next business day" />
        <FieldError failure={save.failure()} path="description" />
      </label>
      <label class="field">
        <span>Start</span>
        <input class="input" type="date" data-testid="warranty-start" value={f.start} onInput={(e) => setF('start', e.currentTarget.value)} />
        <FieldError failure={save.failure()} path="start" />
      </label>
      <label class="field">
        <span>End</span>
        <input class="input" type="date" data-testid="warranty-end-input" value={f.end} onInput={(e) => setF('end', e.currentTarget.value)} />
        <FieldError failure={save.failure()} path="end" />
      </label>
      <div class="span-2">
        <FormFooter failure={save.failure()} fields={WARRANTY_FIELDS} pending={save.pending()} saveTestId="warranty-save" saveLabel={save.pending() ? 'Saving…' : 'Save warranty'} onCancel={props.onCancel} />
        <Show when={props.onRemove}>
          {(remove) => (
            <button type="button" class="btn btn-ghost btn-small" data-testid="warranty-remove" onClick={() => remove()()}>
              Remove the manual record
            </button>
          )}
        </Show>
      </div>
    </form>
  );
}

const ASSET_FIELDS = ['purchaseDate', 'assetTag', 'notes'];

function AssetForm(props: { deviceId: string; view: DeviceWarrantyView; onSaved: (v: DeviceWarrantyView) => void; onCancel: () => void }): JSX.Element {
  const a = props.view.asset;
  const [f, setF] = createStore({ purchaseDate: a.purchaseDate ?? '', assetTag: a.assetTag ?? '', notes: a.notes ?? '' });
  const save = createAction(async () =>
    props.onSaved(await putDeviceAsset(props.deviceId, { purchaseDate: f.purchaseDate || null, assetTag: f.assetTag.trim() || null, notes: f.notes.trim() || null })),
  );
  return (
    <form class="form form-grid" data-testid="asset-form" onSubmit={(e) => (e.preventDefault(), void save.run())} onKeyDown={(e) => e.key === 'Escape' && props.onCancel()}>
      <label class="field">
        <span>Purchase date</span>
        <input class="input" type="date" data-testid="asset-purchase-input" value={f.purchaseDate} onInput={(e) => setF('purchaseDate', e.currentTarget.value)} ref={(el) => queueMicrotask(() => el.focus())} />
        <FieldError failure={save.failure()} path="purchaseDate" />
      </label>
      <label class="field">
        <span>Asset tag</span>
        <input class="input mono" data-testid="asset-tag-input" value={f.assetTag} onInput={(e) => setF('assetTag', e.currentTarget.value)} />
        <FieldError failure={save.failure()} path="assetTag" />
      </label>
      <label class="field span-2">
        <span>Notes</span>
        <textarea class="input" rows="2" data-testid="asset-notes-input" value={f.notes} onInput={(e) => setF('notes', e.currentTarget.value)} />
        <FieldError failure={save.failure()} path="notes" />
      </label>
      <div class="span-2">
        <FormFooter failure={save.failure()} fields={ASSET_FIELDS} pending={save.pending()} saveTestId="asset-save" saveLabel={save.pending() ? 'Saving…' : 'Save asset facts'} onCancel={props.onCancel} />
      </div>
    </form>
  );
}
