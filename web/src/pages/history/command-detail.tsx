import { A } from '@solidjs/router';
import { createResource, Show, type JSX } from 'solid-js';
import { api, call } from '../../api/client';
import { describeFailure } from '../../api/errors';
import { formatDateTime } from '../../lib/format';
import { settled } from '../../lib/resource';
import { Empty, Loading } from '../../components/feedback';
import { FollowCommand } from '../device/command-result';

/**
 * One command from the history: what ran (its parameters as stored, secrets masked by the
 * server), who asked, and the output followed live if it still runs.
 */
export function CommandDetail(props: { id: string; onClose: () => void }): JSX.Element {
  const [cmd] = createResource(() => props.id, (id) => call(api.commands[':id'].$get({ param: { id } })).then((r) => r.command));
  return (
    <section class="panel" data-testid="history-detail">
      <Show when={!cmd.error} fallback={<Empty>Could not load the command: {describeFailure(cmd.error)}</Empty>}>
        <Show when={settled(cmd)} fallback={<Loading />}>
          {(c) => (
            <>
              <div class="panel-head">
                <h2>{c().label ?? c().type}</h2>
                <span class="spacer" />
                <A href={`/devices/${c().deviceId}`} class="btn btn-small">
                  Open device
                </A>
                <Show when={c().jobId}>
                  {(jobId) => (
                    <A href={`/jobs/${jobId()}`} class="btn btn-small">
                      Open job
                    </A>
                  )}
                </Show>
                <button type="button" class="btn btn-small btn-ghost" onClick={() => props.onClose()}>
                  Close
                </button>
              </div>
              <div class="row gap wrap small muted">
                <span>queued {formatDateTime(c().createdAt)}</span>
                <Show when={c().scriptVersion}>{(v) => <span>script version v{v()}</span>}</Show>
              </div>
              <details>
                <summary class="small">Parameters</summary>
                <pre class="code-block small" data-testid="history-params">
                  {JSON.stringify(c().params, null, 2)}
                </pre>
              </details>
              <FollowCommand deviceId={c().deviceId} command={c()} />
            </>
          )}
        </Show>
      </Show>
    </section>
  );
}
