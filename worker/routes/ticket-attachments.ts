import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { bodyLimit } from 'hono/body-limit';
import * as v from 'valibot';
import { and, eq } from 'drizzle-orm';
import { ticketAttachments, ticketEvents } from '../../db/desk-schema';
import { Id } from '../../protocol/api/common';
import { TicketAttachment, UploadQuery } from '../../protocol/api/tickets';
import type { AppEnv } from '../types';
import { valid } from '../lib/validate';
import { ApiError, badRequest, notFound } from '../lib/errors';
import { requireRole } from '../lib/roles';
import { newId } from '../lib/ids';
import { auditInsert } from '../lib/audit';
import { errors, jsonBody } from '../lib/responses';
import { findTicket } from '../lib/tickets/query';
import { MAX_ATTACHMENT_BYTES, attachmentKey, contentDisposition, digestHex, sanitizeContentType, sanitizeFilename } from '../lib/tickets/files';

/*
 * Ticket attachments in R2 (the PACKAGES bucket, under `tickets/`). An upload is the raw file
 * as the request body: its type in Content-Type, its name percent-encoded in `X-Filename`
 * (headers carry bytes, not UTF-8). Raw bodies stream through with no multipart parsing.
 * Mounted inside the tickets routes, which authenticate every call.
 */

const tags = ['tickets'];
const tooLarge = () => new ApiError(413, 'payload_too_large', `an attachment is at most ${MAX_ATTACHMENT_BYTES} bytes`);

function uploadedName(header: string | undefined): string {
  if (!header) throw badRequest('missing file name', [{ path: 'X-Filename', message: 'send the file name, percent-encoded' }]);
  try {
    return sanitizeFilename(decodeURIComponent(header));
  } catch {
    throw badRequest('bad file name', [{ path: 'X-Filename', message: 'not valid percent-encoded UTF-8' }]);
  }
}

export const ticketAttachmentsRoutes = new Hono<AppEnv>()
  .post(
    '/:id/attachments',
    describeRoute({
      tags,
      summary: 'Attach a file (the raw body; name in X-Filename, percent-encoded)',
      description: `Technician or higher. At most ${MAX_ATTACHMENT_BYTES} bytes; SHA-256 computed on the server. \`?internal=true\` hides it from the client portal.`,
      responses: { 201: jsonBody('the attachment', TicketAttachment), ...errors(400, 401, 403, 404, 413) },
    }),
    bodyLimit({ maxSize: MAX_ATTACHMENT_BYTES, onError: () => { throw tooLarge(); } }),
    valid('param', v.object({ id: Id })),
    valid('query', UploadQuery),
    async (c) => {
      const { auth, db } = c.var;
      requireRole(auth, 'technician');
      const { id } = c.req.valid('param');
      const internal = c.req.valid('query').internal === 'true';
      const ticket = await findTicket(db, auth, id);
      const filename = uploadedName(c.req.header('x-filename'));
      const data = await c.req.arrayBuffer();
      if (data.byteLength > MAX_ATTACHMENT_BYTES) throw tooLarge();
      if (data.byteLength === 0) throw badRequest('empty file', [{ path: '', message: 'the body is the file and must not be empty' }]);
      const now = Date.now();
      const row = {
        id: newId('tat', now),
        tenantId: auth.tenantId,
        ticketId: ticket.id,
        commentId: null,
        filename,
        contentType: sanitizeContentType(c.req.header('content-type')),
        size: data.byteLength,
        sha256: await digestHex(data),
        r2Key: '',
        uploadedBy: auth.userId,
        internal,
        createdAt: now,
      };
      row.r2Key = attachmentKey(auth.tenantId, ticket.id, row.id);
      // R2 checks the digest we computed, so what is stored is what was hashed.
      await c.env.PACKAGES.put(row.r2Key, data, { sha256: row.sha256, httpMetadata: { contentType: row.contentType } });
      try {
        await db.batch([
          db.insert(ticketAttachments).values(row),
          db.insert(ticketEvents).values({
            id: newId('tev', now),
            tenantId: auth.tenantId,
            ticketId: ticket.id,
            at: now,
            actorId: auth.userId,
            kind: 'attachment',
            detail: { attachmentId: row.id, filename, size: row.size },
          }),
          auditInsert(db, c, { action: 'ticket.attachment.add', targetType: 'ticket', targetId: ticket.id, detail: { attachmentId: row.id, size: row.size, sha256: row.sha256 } }),
        ]);
      } catch (err) {
        // No row, no object: an orphan would hold storage nobody can reach.
        await c.env.PACKAGES.delete(row.r2Key).catch(() => undefined);
        throw err;
      }
      const { tenantId: _t, ticketId: _k, r2Key: _r, ...answer } = row;
      return c.json(answer, 201);
    },
  )
  .get(
    '/:id/attachments/:attachmentId',
    describeRoute({
      tags,
      summary: 'Download an attachment (always as a download, never rendered inline)',
      description: 'Read-only or higher, for a ticket the caller may see.',
      responses: { 200: { description: 'the file' }, ...errors(401, 404) },
    }),
    valid('param', v.object({ id: Id, attachmentId: Id })),
    async (c) => {
      const { auth, db } = c.var;
      const { id, attachmentId } = c.req.valid('param');
      const ticket = await findTicket(db, auth, id);
      const a = ticketAttachments;
      const row = await db
        .select({ filename: a.filename, contentType: a.contentType, size: a.size, sha256: a.sha256, r2Key: a.r2Key })
        .from(a)
        .where(and(eq(a.tenantId, auth.tenantId), eq(a.ticketId, ticket.id), eq(a.id, attachmentId)))
        .get();
      if (!row) throw notFound('attachment');
      const object = await c.env.PACKAGES.get(row.r2Key);
      if (!object) throw notFound('attachment');
      return c.body(object.body, 200, {
        'Content-Type': row.contentType,
        'Content-Length': String(row.size),
        'Content-Disposition': contentDisposition(row.filename),
        'X-Content-Type-Options': 'nosniff',
        // Even opened directly, the file runs no script and loads nothing.
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'Cache-Control': 'private, no-store',
        ETag: `"${row.sha256}"`,
      });
    },
  );
