import { createSignal, onCleanup, Show, type JSX } from 'solid-js';
import { describeFailure } from '../../api/errors';
import { createAction } from '../../lib/action';
import { formatBytes } from '../../lib/format';
import { FieldError, FormError } from '../../components/feedback';
import { SubmitForm } from '../../components/submit-form';
import { CopyButton } from '../../components/copy-button';
import { createVersion, deleteVersion, INSTALLER_ACCEPT, isFileInstaller, type NewVersion, type PackageDetail, type PackageVersion } from '../../state/packages';
import { DEFAULT_DETECTION, DetectionFields, toDetection, type DetectionDraft } from './detection-fields';
import { isAbort, uploadFile, type UploadProgress } from './upload-parts';
import { UploadBar } from './upload-bar';

const lines = (text: string): string[] => text.split('\n').map((l) => l.trim()).filter(Boolean);

interface Upload {
  versionId: string;
  fileName: string;
  progress: UploadProgress;
}

/**
 * A new version. A repository installer's is a name to install and is ready at once; a file
 * installer's is created first, then its file goes up in parts with a live progress bar, and
 * the server's SHA-256 of what it stored is shown when it is ready. Cancelling deletes the
 * half-uploaded version.
 */
export function VersionForm(props: { pkg: PackageDetail; onChanged: () => void; onClose: () => void }): JSX.Element {
  const fileBased = () => isFileInstaller(props.pkg.installer);
  const [version, setVersion] = createSignal('');
  const [repoName, setRepoName] = createSignal('');
  const [args, setArgs] = createSignal('');
  const [uninstallArgs, setUninstallArgs] = createSignal('');
  const [notes, setNotes] = createSignal('');
  const [detection, setDetection] = createSignal<DetectionDraft>(DEFAULT_DETECTION);
  const [file, setFile] = createSignal<File | null>(null);
  const [upload, setUpload] = createSignal<Upload | null>(null);
  const [uploadError, setUploadError] = createSignal<string | null>(null);
  const [ready, setReady] = createSignal<PackageVersion | null>(null);
  const [problem, setProblem] = createSignal<string | null>(null);
  let controller: AbortController | null = null;
  let fileInput: HTMLInputElement | undefined;
  // Leaving the page mid-upload would strand a half-stored version: the browser asks first.
  const holdPage = (e: BeforeUnloadEvent) => e.preventDefault();

  const body = (): NewVersion => {
    const f = file();
    const rule = toDetection(detection());
    return {
      version: version().trim(),
      silentArgs: lines(args()),
      notes: notes(),
      ...(rule ? { detection: rule } : {}),
      ...(fileBased() && f ? { fileName: f.name, size: f.size, uninstallArgs: lines(uninstallArgs()) } : { repoName: repoName().trim() }),
    };
  };

  const send = async (f: File, created: PackageVersion) => {
    controller = new AbortController();
    setUpload({ versionId: created.id, fileName: f.name, progress: { sent: 0, total: f.size, rate: 0, part: 1, parts: 1 } });
    props.onChanged();
    window.addEventListener('beforeunload', holdPage);
    try {
      const done = await uploadFile(props.pkg.id, created.id, f, controller.signal, (progress) => setUpload((u) => u && { ...u, progress }));
      setReady(done);
      setVersion('');
      setFile(null);
      if (fileInput) fileInput.value = '';
    } catch (err) {
      if (isAbort(err)) {
        // The version holds an open upload: delete it so nothing half-stored stays behind.
        await deleteVersion(props.pkg.id, created.id).catch(() => undefined);
        setUploadError('Upload cancelled; the incomplete version was deleted.');
      } else {
        setUploadError(`The upload failed: ${describeFailure(err)}`);
      }
    } finally {
      window.removeEventListener('beforeunload', holdPage);
      controller = null;
      setUpload(null);
      props.onChanged();
    }
  };

  const create = createAction(async () => {
    const f = file();
    const created = await createVersion(props.pkg.id, body());
    if (fileBased() && f) {
      void send(f, created);
    } else {
      setReady(created);
      setVersion('');
      props.onChanged();
    }
  });

  const submit = () => {
    if (!version().trim()) return setProblem('Give the version.');
    if (fileBased() && !file()) return setProblem('Choose the installer file.');
    if (!fileBased() && !repoName().trim()) return setProblem('Give the repository package name.');
    setProblem(null);
    setUploadError(null);
    setReady(null);
    void create.run();
  };

  onCleanup(() => {
    controller?.abort();
    window.removeEventListener('beforeunload', holdPage);
  });
  const busy = () => create.pending() || upload() !== null;

  return (
    <section class="panel" data-testid="version-form">
      <div class="panel-head">
        <h2>Add a version of {props.pkg.name}</h2>
        <span class="spacer" />
        <button type="button" class="btn btn-small btn-ghost" disabled={upload() !== null} onClick={() => props.onClose()}>
          Close
        </button>
      </div>
      <Show when={ready()}>
        {(v) => (
          <div class="upload-done" role="status" data-testid="version-ready">
            <strong>
              Version {v().version} is {v().status}.
            </strong>
            <Show when={v().sha256}>
              {(sha) => (
                <span class="row gap">
                  SHA-256 <code class="mono small break-all" data-testid="upload-sha256">{sha()}</code>
                  <CopyButton text={sha()} />
                </span>
              )}
            </Show>
          </div>
        )}
      </Show>
      <Show when={upload()}>
        {(u) => (
          <div class="upload-box">
            <div class="row gap">
              <span class="mono ellipsis">{u().fileName}</span>
              <span class="spacer" />
              <button type="button" class="btn btn-small" data-testid="upload-cancel" onClick={() => controller?.abort()}>
                Cancel upload
              </button>
            </div>
            <UploadBar progress={u().progress} fileName={u().fileName} />
          </div>
        )}
      </Show>
      <Show when={uploadError()}>
        {(msg) => (
          <div class="form-error" role="alert" data-testid="upload-error">
            {msg()}
          </div>
        )}
      </Show>
      <SubmitForm class="form" testId="new-version-form" onSubmit={submit}>
        <div class="row gap wrap">
          <label class="field">
            <span>Version</span>
            <input class="input mono" data-testid="version-text" maxLength={100} placeholder="1.2.3" value={version()} onInput={(e) => setVersion(e.currentTarget.value)} />
            <FieldError failure={create.failure()} path="version" />
          </label>
          <Show
            when={fileBased()}
            fallback={
              <label class="field grow">
                <span>Repository package name</span>
                <input class="input mono" data-testid="version-repo-name" maxLength={200} value={repoName()} onInput={(e) => setRepoName(e.currentTarget.value)} />
                <FieldError failure={create.failure()} path="repoName" />
              </label>
            }
          >
            <label class="field grow">
              <span>Installer file</span>
              <input
                ref={fileInput}
                class="input"
                type="file"
                data-testid="version-file"
                accept={INSTALLER_ACCEPT[props.pkg.installer] ?? ''}
                disabled={busy()}
                onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
              />
              <Show when={file()}>{(f) => <span class="muted small">{formatBytes(f().size)}</span>}</Show>
              <FieldError failure={create.failure()} path="size" />
            </label>
          </Show>
        </div>
        <div class="row gap wrap">
          <label class="field grow">
            <span>Installer arguments (one per line, passed as they are, never through a shell)</span>
            <textarea class="input mono" rows={2} data-testid="version-args" value={args()} onInput={(e) => setArgs(e.currentTarget.value)} />
            <FieldError failure={create.failure()} path="silentArgs" />
          </label>
          <Show when={props.pkg.installer === 'exe'}>
            <label class="field grow">
              <span>Uninstaller arguments (one per line)</span>
              <textarea class="input mono" rows={2} value={uninstallArgs()} onInput={(e) => setUninstallArgs(e.currentTarget.value)} />
              <FieldError failure={create.failure()} path="uninstallArgs" />
            </label>
          </Show>
        </div>
        <DetectionFields value={detection()} onChange={setDetection} failure={create.failure()} />
        <label class="field">
          <span>Notes</span>
          <input class="input" maxLength={2000} value={notes()} onInput={(e) => setNotes(e.currentTarget.value)} />
        </label>
        <Show when={problem()}>
          <div class="form-error" role="alert">
            {problem()}
          </div>
        </Show>
        <FormError failure={create.failure()} fields={['version', 'repoName', 'size', 'silentArgs', 'uninstallArgs', 'detection']} />
        <div class="row gap">
          <button type="submit" class="btn btn-primary" data-testid="save-version" disabled={busy()}>
            {create.pending() ? 'Creating…' : fileBased() ? 'Create and upload' : 'Add version'}
          </button>
        </div>
      </SubmitForm>
    </section>
  );
}
