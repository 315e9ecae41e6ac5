import { A } from '@solidjs/router';
import { createSignal, For, Show, type JSX } from 'solid-js';
import { toFailure } from '../../api/errors';
import { createAction } from '../../lib/action';
import { postComment, type PortalComment, type PortalTicket } from '../../state/portal';
import { FormError } from '../../components/feedback';
import { CommentHead, ReplyField } from '../../components/comment-parts';

/**
 * The public conversation: support's messages on one side, the client's on the other, so
 * who said what reads at a glance. Bodies are user text: text nodes, line breaks kept by CSS.
 * A closed ticket takes no more replies; the client opens a new one instead.
 */
export function PortalThread(props: { ticket: PortalTicket; comments: PortalComment[]; onPosted: () => void }): JSX.Element {
  const [body, setBody] = createSignal('');
  const post = createAction(async () => {
    try {
      await postComment(props.ticket.id, body());
    } catch (err) {
      // Closed since this page loaded (the only 409 here): show its new status too.
      if (toFailure(err).status === 409) props.onPosted();
      throw err;
    }
    setBody('');
    props.onPosted();
  });
  const closed = () => props.ticket.status === 'closed' || post.failure()?.status === 409;

  return (
    <section class="panel" aria-label="Conversation">
      <div class="panel-head">
        <h2>Conversation</h2>
      </div>
      <ol class="thread" data-testid="portal-thread">
        <For each={props.comments} fallback={<li class="muted">No replies yet. Support answers here.</li>}>
          {(c) => (
            <li
              class="comment portal-comment"
              classList={{ 'is-support': c.fromSupport, 'is-client': !c.fromSupport }}
              data-testid="portal-comment"
              data-from={c.fromSupport ? 'support' : 'client'}
            >
              <CommentHead
                author={c.authorName}
                at={c.createdAt}
                badge={
                  <Show when={c.fromSupport}>
                    <span class="badge badge-info">support</span>
                  </Show>
                }
              />
              <p class="comment-body" data-testid="portal-comment-body">
                {c.body}
              </p>
            </li>
          )}
        </For>
      </ol>
      <Show
        when={!closed()}
        fallback={
          <div class="form-error" role="status" data-testid="portal-ticket-closed">
            This ticket is closed and takes no more replies. <A href="/portal/new">Open a new ticket</A> if the problem is back.
          </div>
        }
      >
        <form
          class="form"
          data-testid="portal-reply-form"
          onSubmit={(e) => {
            e.preventDefault();
            void post.run();
          }}
        >
          <ReplyField label="Your reply" testId="portal-reply-body" value={body()} onInput={setBody} onSend={() => void post.run()} failure={post.failure()} />
          <div class="row gap">
            <span class="muted small">Support sees your reply at once. Ctrl+Enter sends.</span>
            <span class="spacer" />
            <button type="submit" class="btn btn-primary" data-testid="portal-reply-submit" disabled={post.pending() || !body().trim()}>
              {post.pending() ? 'Sending…' : 'Send reply'}
            </button>
          </div>
          <FormError failure={post.failure()} fields={['body']} />
        </form>
      </Show>
    </section>
  );
}
