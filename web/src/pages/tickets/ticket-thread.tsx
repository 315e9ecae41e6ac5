import { createSignal, For, Show, type JSX } from 'solid-js';
import { api, call } from '../../api/client';
import { createAction } from '../../lib/action';
import { can } from '../../state/session';
import type { TicketDetail } from '../../state/tickets';
import { FormError } from '../../components/feedback';
import { CommentHead, ReplyField } from '../../components/comment-parts';

type Comment = TicketDetail['comments'][number];

/**
 * The conversation. Internal notes look different (tinted, dashed, labelled) because the
 * client portal never shows them and a technician must not mistake one for the other.
 * Bodies are user text: rendered as text, line breaks kept by CSS.
 */
export function TicketThread(props: { ticketId: string; comments: Comment[]; who: (id: string | null) => string; onPosted: () => void }): JSX.Element {
  const [body, setBody] = createSignal('');
  const [internal, setInternal] = createSignal(false);
  const post = createAction(async () => {
    await call(api.tickets[':id'].comments.$post({ param: { id: props.ticketId }, json: { body: body(), internal: internal() } }));
    setBody('');
    props.onPosted();
  });

  return (
    <section class="panel" aria-label="Conversation">
      <div class="panel-head">
        <h2>Conversation</h2>
      </div>
      <ol class="thread" data-testid="ticket-thread">
        <For each={props.comments} fallback={<li class="muted">No comments yet.</li>}>
          {(c) => (
            <li class="comment" classList={{ 'is-internal': c.internal }} data-testid="ticket-comment" data-internal={String(c.internal)}>
              <CommentHead
                author={c.authorKind === 'user' ? props.who(c.authorId) : c.authorKind === 'portal' ? `${props.who(c.authorId)} (client)` : c.authorKind}
                at={c.createdAt}
                badge={
                  <Show when={c.internal} fallback={<span class="badge badge-info">public</span>}>
                    <span class="badge badge-warn">internal note</span>
                  </Show>
                }
              />
              <p class="comment-body">{c.body}</p>
            </li>
          )}
        </For>
      </ol>
      <Show when={can('technician')}>
        <form
          class="form"
          data-testid="comment-form"
          onSubmit={(e) => {
            e.preventDefault();
            void post.run();
          }}
        >
          <ReplyField
            label={internal() ? 'Internal note (technicians only)' : 'Reply (visible to the client)'}
            testId="comment-body"
            internal={internal()}
            value={body()}
            onInput={setBody}
            onSend={() => void post.run()}
            failure={post.failure()}
          />
          <div class="row gap">
            <label class="check">
              <input type="checkbox" data-testid="comment-internal" checked={internal()} onChange={(e) => setInternal(e.currentTarget.checked)} />
              Internal note
            </label>
            <span class="spacer" />
            <button type="submit" class="btn btn-primary" data-testid="comment-submit" disabled={post.pending() || !body().trim()}>
              {internal() ? 'Add note' : 'Send reply'}
            </button>
          </div>
          <FormError failure={post.failure()} fields={['body']} />
        </form>
      </Show>
    </section>
  );
}
