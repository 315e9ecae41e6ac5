import { For, type JSX } from 'solid-js';
import { CopyButton, SecretBox } from '../../components/copy-button';
import type { CreatedKey } from './enrollment-page';

const PLATFORMS = [
  { key: 'linux', label: 'Linux' },
  { key: 'macos', label: 'macOS' },
  { key: 'windows', label: 'Windows (PowerShell, as Administrator)' },
] as const;

/** The one moment the key exists in clear: copy it or an install command now. */
export function NewKeyPanel(props: { created: CreatedKey; onDismiss: () => void }): JSX.Element {
  return (
    <section class="panel panel-highlight" data-testid="new-key">
      <div class="panel-head">
        <h2>Key created: {props.created.item.name}</h2>
        <span class="spacer" />
        <button type="button" class="btn btn-ghost" onClick={() => props.onDismiss()}>
          Done
        </button>
      </div>
      <p class="warn-text">This key is shown only now. Copy it or one of the install commands before leaving this page.</p>
      <SecretBox value={props.created.key} testId="enrollment-key" />
      <For each={PLATFORMS}>
        {(p) => (
          <div class="install-cmd">
            <div class="row gap">
              <strong>{p.label}</strong>
              <span class="spacer" />
              <CopyButton text={props.created.installCommands[p.key]} label={`Copy ${p.key} command`} />
            </div>
            <pre class="code-block" data-testid={`install-${p.key}`}>
              {props.created.installCommands[p.key]}
            </pre>
          </div>
        )}
      </For>
    </section>
  );
}
