import { createSignal, type JSX } from 'solid-js';
import { copyText } from '../lib/clipboard';
import { showToast } from '../state/toasts';

export function CopyButton(props: { text: string; label?: string }): JSX.Element {
  const [copied, setCopied] = createSignal(false);
  const copy = async () => {
    if (await copyText(props.text)) {
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } else {
      showToast('Copy failed: select the text and copy it by hand', 'error');
    }
  };
  return (
    <button type="button" class="btn btn-small" onClick={copy}>
      {copied() ? 'Copied' : (props.label ?? 'Copy')}
    </button>
  );
}

/** A secret shown once: monospace, selectable, with a copy button. */
export function SecretBox(props: { value: string; testId?: string }): JSX.Element {
  return (
    <div class="secret-box">
      <code data-testid={props.testId}>{props.value}</code>
      <CopyButton text={props.value} />
    </div>
  );
}
