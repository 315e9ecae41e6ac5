import { Show, type JSX } from 'solid-js';
import { api, call } from '../../api/client';
import { describeFailure } from '../../api/errors';
import { createAction } from '../../lib/action';
import { showToast } from '../../state/toasts';

/**
 * A signed "Acknowledge in Tether" link from a Teams card lands here with `?confirm=`. Link
 * previews and scanners follow links too, so nothing happens until the signed-in technician
 * confirms; the server then checks the signature, the role and that the link is unused.
 */
export function ConfirmLinkBanner(props: { token: string; onDone: () => void }): JSX.Element {
  const confirm = createAction(async () => {
    const result = await call(api['action-links'][':token'].$post({ param: { token: props.token } }));
    showToast(result.changed ? `Acknowledged: ${result.alert.checkName}` : `Already ${result.alert.status}: ${result.alert.checkName}`);
    props.onDone();
  });

  return (
    <div class="panel banner" role="alert" data-testid="confirm-link">
      <span>
        <strong>Acknowledge this alert?</strong> You followed an acknowledge link from Microsoft Teams.
      </span>
      <span class="spacer" />
      <button type="button" class="btn btn-primary btn-small" disabled={confirm.pending()} data-testid="confirm-link-ack" onClick={() => void confirm.run()}>
        {confirm.pending() ? 'Acknowledging…' : 'Acknowledge'}
      </button>
      <button type="button" class="btn btn-ghost btn-small" onClick={() => props.onDone()}>
        Dismiss
      </button>
      <Show when={confirm.failure()}>
        <span class="error" data-testid="confirm-link-error">
          {describeFailure(confirm.failure())}
        </span>
      </Show>
    </div>
  );
}
