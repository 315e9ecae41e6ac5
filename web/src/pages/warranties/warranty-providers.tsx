import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import { WARRANTY_CREDENTIALS, WARRANTY_VENDORS, type WarrantyVendor } from '../../../../protocol/warranty';
import { describeFailure } from '../../api/errors';
import { formatDateTime } from '../../lib/format';
import { deleteConfirmed } from '../../lib/delete-confirmed';
import { settled } from '../../lib/resource';
import { showToast, toastError } from '../../state/toasts';
import { Empty, Loading } from '../../components/feedback';
import { deleteProvider, loadProviders, runProvider, saveProvider, type WarrantyProviderView } from './warranty-data';
import { ProviderForm } from './provider-form';

const VENDOR_NAME: Record<WarrantyVendor, string> = { dell: 'Dell', hp: 'HP', lenovo: 'Lenovo' };

/**
 * The vendor lookups (admin): which vendors hold credentials, whether they run, and how the
 * last run went. Stored credentials never come back from the server; the form only replaces them.
 */
export function WarrantyProviders(): JSX.Element {
  const [providers, { refetch }] = createResource(loadProviders);
  const [editing, setEditing] = createSignal<WarrantyVendor | null>(null);
  const [running, setRunning] = createSignal<WarrantyVendor | null>(null);
  const byVendor = (vendor: WarrantyVendor): WarrantyProviderView =>
    settled(providers)?.find((p) => p.vendor === vendor) ?? { vendor, configured: false, enabled: false, lastRunAt: null, lastError: null };

  const toggle = async (p: WarrantyProviderView, enabled: boolean) => {
    try {
      await saveProvider(p.vendor, { enabled });
      showToast(`${VENDOR_NAME[p.vendor]} lookups ${enabled ? 'enabled' : 'paused'}`);
    } catch (err) {
      toastError(err);
    }
    void refetch();
  };
  const run = async (vendor: WarrantyVendor) => {
    setRunning(vendor);
    try {
      const r = await runProvider(vendor);
      showToast(`${VENDOR_NAME[vendor]}: ${r.devices} devices looked up, ${r.updated} updated, ${r.failed} failed`, r.failed ? 'error' : 'info');
    } catch (err) {
      toastError(err);
    } finally {
      setRunning(null);
      void refetch();
    }
  };
  const remove = (vendor: WarrantyVendor) =>
    deleteConfirmed(`Forget the ${VENDOR_NAME[vendor]} credentials? Warranties already looked up stay.`, () => deleteProvider(vendor), 'Credentials removed', () => void refetch());

  return (
    <section class="panel" data-testid="warranty-providers" aria-label="Vendor lookups">
      <div class="panel-head">
        <h2>Vendor lookups</h2>
        <span class="muted small">Weekly, for devices whose inventory names the vendor and a serial.</span>
      </div>
      <Show when={editing()} keyed>
        {(vendor) => (
          <ProviderForm
            vendor={vendor}
            fields={Object.keys(WARRANTY_CREDENTIALS[vendor].entries)}
            configured={byVendor(vendor).configured}
            enabled={byVendor(vendor).enabled || !byVendor(vendor).configured}
            onCancel={() => setEditing(null)}
            onSaved={() => {
              setEditing(null);
              showToast(`${VENDOR_NAME[vendor]} credentials saved`);
              void refetch();
            }}
          />
        )}
      </Show>
      <Show when={!providers.error} fallback={<Empty>Could not load the vendors: {describeFailure(providers.error)}</Empty>}>
        <Show when={settled(providers)} fallback={<Loading />}>
          <table class="table" data-testid="providers-table">
            <thead>
              <tr>
                <th>Vendor</th>
                <th>Credentials</th>
                <th>Enabled</th>
                <th class="col-wide">Last run</th>
                <th />
              </tr>
            </thead>
            <tbody>
              <For each={WARRANTY_VENDORS}>
                {(vendor) => {
                  const p = () => byVendor(vendor);
                  return (
                    <tr data-testid="provider-row" data-vendor={vendor}>
                      <td>{VENDOR_NAME[vendor]}</td>
                      <td>
                        <span class={`badge ${p().configured ? 'badge-ok' : 'badge-info'}`} data-testid="provider-configured">
                          {p().configured ? 'configured' : 'not configured'}
                        </span>
                      </td>
                      <td>
                        <input
                          type="checkbox"
                          aria-label={`${VENDOR_NAME[vendor]} lookups enabled`}
                          data-testid="provider-enabled"
                          checked={p().enabled}
                          disabled={!p().configured}
                          onChange={(e) => void toggle(p(), e.currentTarget.checked)}
                        />
                      </td>
                      <td class="small">
                        {p().lastRunAt ? formatDateTime(p().lastRunAt) : <span class="muted">never</span>}
                        <Show when={p().lastError}>
                          <div class="warn-text" data-testid="provider-error">{p().lastError}</div>
                        </Show>
                      </td>
                      <td class="nowrap">
                        <button type="button" class="btn btn-small" data-testid="provider-configure" onClick={() => setEditing(vendor)}>
                          {p().configured ? 'Replace credentials' : 'Configure'}
                        </button>{' '}
                        <Show when={p().configured}>
                          <button type="button" class="btn btn-small" data-testid="provider-run" disabled={running() !== null || !p().enabled} onClick={() => void run(vendor)}>
                            {running() === vendor ? 'Looking up…' : 'Look up now'}
                          </button>{' '}
                          <button type="button" class="btn btn-small btn-ghost" aria-label={`Remove ${VENDOR_NAME[vendor]} credentials`} onClick={() => void remove(vendor)}>
                            Remove
                          </button>
                        </Show>
                      </td>
                    </tr>
                  );
                }}
              </For>
            </tbody>
          </table>
        </Show>
      </Show>
    </section>
  );
}
