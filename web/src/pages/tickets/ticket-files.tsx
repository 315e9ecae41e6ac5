import { createSignal, For, Show, type JSX } from 'solid-js';
import { ApiFailure, describeFailure } from '../../api/errors';
import { formatBytes, formatDateTime } from '../../lib/format';
import { can } from '../../state/session';
import type { TicketDetail } from '../../state/tickets';

type Attachment = TicketDetail['attachments'][number];

/**
 * Send one file as the raw body. XMLHttpRequest rather than fetch: it reports upload
 * progress. The session cookie goes along (same origin), and the browser adds the Origin
 * header the server's CSRF check wants.
 */
function upload(ticketId: string, file: File, internal: boolean, onProgress: (fraction: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/tickets/${encodeURIComponent(ticketId)}/attachments?internal=${internal}`);
    xhr.setRequestHeader('X-Filename', encodeURIComponent(file.name));
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(new ApiFailure(0, 'network', 'the upload was interrupted; check your connection'));
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve();
      void ApiFailure.fromResponse(new Response(xhr.responseText, { status: xhr.status })).then(reject);
    };
    xhr.send(file);
  });
}

/** Files on the ticket; downloads are always served as attachments, never rendered inline. */
export function TicketFiles(props: { ticketId: string; attachments: Attachment[]; onChanged: () => void }): JSX.Element {
  const [progress, setProgress] = createSignal<{ name: string; fraction: number } | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [internal, setInternal] = createSignal(false);
  let input!: HTMLInputElement;

  const send = async (files: FileList | null) => {
    setError(null);
    for (const file of Array.from(files ?? [])) {
      setProgress({ name: file.name, fraction: 0 });
      try {
        await upload(props.ticketId, file, internal(), (fraction) => setProgress({ name: file.name, fraction }));
      } catch (err) {
        setError(`${file.name}: ${describeFailure(err)}`);
        break;
      }
    }
    setProgress(null);
    input.value = '';
    props.onChanged();
  };

  return (
    <section class="panel" aria-label="Attachments">
      <div class="panel-head">
        <h2>Attachments</h2>
      </div>
      <ul class="stack plain-list" data-testid="attachments">
        <For each={props.attachments} fallback={<li class="muted">No files.</li>}>
          {(a) => (
            <li data-testid="attachment">
              <a href={`/api/v1/tickets/${encodeURIComponent(props.ticketId)}/attachments/${encodeURIComponent(a.id)}`} download={a.filename}>
                {a.filename}
              </a>{' '}
              <span class="muted small">
                {formatBytes(a.size)} · {formatDateTime(a.createdAt)}
              </span>
              <Show when={a.internal}>
                {' '}
                <span class="badge badge-warn">internal</span>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <Show when={can('technician')}>
        <div class="row gap wrap">
          <input ref={input} type="file" multiple data-testid="attachment-input" disabled={!!progress()} onChange={(e) => void send(e.currentTarget.files)} />
          <label class="check">
            <input type="checkbox" checked={internal()} onChange={(e) => setInternal(e.currentTarget.checked)} />
            Internal
          </label>
          <Show when={progress()}>
            {(p) => (
              <span class="row gap small" data-testid="upload-progress">
                {p().name}
                <progress class="upload-progress" max="1" value={p().fraction} />
                {Math.round(p().fraction * 100)} %
              </span>
            )}
          </Show>
        </div>
        <Show when={error()}>
          {(e) => (
            <div class="form-error" role="alert">
              {e()}
            </div>
          )}
        </Show>
      </Show>
    </section>
  );
}
