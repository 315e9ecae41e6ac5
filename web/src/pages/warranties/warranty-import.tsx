import { createSignal, For, Show, type JSX } from 'solid-js';
import { createAction } from '../../lib/action';
import { Dialog } from '../../components/dialog';
import { FormError } from '../../components/feedback';
import { SubmitForm } from '../../components/submit-form';
import { importWarranties, type WarrantyImportResult } from './warranty-data';

const EXAMPLE = 'serial,vendor,start,end,description\nABC1234,Dell,2024-01-15,2027-01-14,ProSupport Plus';

/**
 * Warranties from a CSV (pasted or read from a file), matched to devices by serial. The
 * answer lists what went in, the serials no device reports, and each rejected line.
 */
export function WarrantyImport(props: { open: boolean; onClose: () => void; onImported: () => void }): JSX.Element {
  const [csv, setCsv] = createSignal('');
  const [result, setResult] = createSignal<WarrantyImportResult | null>(null);
  const run = createAction(async () => {
    const r = await importWarranties(csv());
    setResult(r);
    if (r.imported) props.onImported();
  });
  const close = () => {
    setCsv('');
    setResult(null);
    run.clear();
    props.onClose();
  };
  const readFile = async (file: File | undefined) => {
    if (file) setCsv(await file.text());
  };

  return (
    <Dialog open={props.open} title="Import warranties from CSV" onClose={close} testId="warranty-import">
      <SubmitForm class="form" testId="warranty-import-form" onSubmit={() => void run.run()}>
        <p class="muted small">
          The first line names the columns, in any order: serial, vendor, start, end, description (start and description may be
          empty; dates as YYYY-MM-DD). Each serial is matched to the device whose inventory reports it.
        </p>
        <label class="field">
          <span>CSV file</span>
          <input class="input" type="file" accept=".csv,text/csv,text/plain" data-testid="warranty-import-file" onChange={(e) => void readFile(e.currentTarget.files?.[0])} />
        </label>
        <label class="field">
          <span>…or paste it (Ctrl+Enter imports)</span>
          <textarea class="input code-input" rows="8" spellcheck={false} placeholder={EXAMPLE} data-testid="warranty-import-text" value={csv()} onInput={(e) => setCsv(e.currentTarget.value)} />
        </label>
        <FormError failure={run.failure()} />
        <div class="row gap">
          <button type="submit" class="btn btn-primary" data-testid="warranty-import-submit" disabled={run.pending() || !csv().trim()}>
            {run.pending() ? 'Importing…' : 'Import'}
          </button>
          <button type="button" class="btn" onClick={close}>
            Close
          </button>
        </div>
      </SubmitForm>
      <Show when={result()}>{(r) => <ImportReport result={r()} />}</Show>
    </Dialog>
  );
}

function ImportReport(props: { result: WarrantyImportResult }): JSX.Element {
  return (
    <div class="stack" data-testid="warranty-import-result" aria-live="polite">
      <p>
        <strong data-testid="warranty-imported">{props.result.imported}</strong> imported ·{' '}
        <strong data-testid="warranty-unmatched-count">{props.result.unmatched.length}</strong> unmatched ·{' '}
        <strong data-testid="warranty-error-count">{props.result.errors.length}</strong> rejected
      </p>
      <Show when={props.result.unmatched.length}>
        <div>
          <div class="small muted">No device reports these serials:</div>
          <div class="chips" data-testid="warranty-unmatched">
            <For each={props.result.unmatched}>{(s) => <span class="chip mono">{s}</span>}</For>
          </div>
        </div>
      </Show>
      <Show when={props.result.errors.length}>
        <table class="table" data-testid="warranty-import-errors">
          <thead>
            <tr>
              <th class="num">Line</th>
              <th class="col-wide">Problem</th>
            </tr>
          </thead>
          <tbody>
            <For each={props.result.errors}>
              {(e) => (
                <tr data-testid="warranty-import-error">
                  <td class="num mono">{e.line}</td>
                  <td>{e.message}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>
    </div>
  );
}
