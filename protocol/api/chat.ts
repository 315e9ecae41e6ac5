import * as v from 'valibot';
import { Alert } from './alerts';
import { Id, Timestamp } from './common';

/* Chat integrations (Slack, Teams): user links and signed action links. */

/** A Slack user id (U…/W…) or a Teams AAD object id. */
export const ExternalUserId = v.pipe(v.string(), v.trim(), v.minLength(1, 'required'), v.maxLength(128), v.regex(/^[A-Za-z0-9._:-]+$/, 'not a chat user id'));

export const ChatUserLink = v.object({
  integrationId: Id,
  externalUserId: v.string(),
  userId: Id,
  createdAt: Timestamp,
});
export type ChatUserLink = v.InferOutput<typeof ChatUserLink>;
export const ChatUserLinkList = v.object({ items: v.array(ChatUserLink) });

export const ChatUserLinkBody = v.object({ externalUserId: ExternalUserId, userId: Id });
export const ChatUserLinkParam = v.object({ id: Id, externalUserId: ExternalUserId });

export const ActionLinkParam = v.object({ token: v.pipe(v.string(), v.maxLength(1200)) });
export const ActionLinkResult = v.object({ alert: Alert, changed: v.boolean() });
export type ActionLinkResult = v.InferOutput<typeof ActionLinkResult>;
