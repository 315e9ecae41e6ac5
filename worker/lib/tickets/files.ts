import { hex } from '../crypto';

/*
 * Attachment names and types as uploaders send them are hostile: they are shown to other
 * users and echoed in Content-Disposition. They never reach the R2 key (built from ids only),
 * and both are reduced to something safe to display and to put in a header.
 */

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** The R2 key of an attachment: ids only, so no uploaded name can steer where it lands. */
export const attachmentKey = (tenantId: string, ticketId: string, attachmentId: string) => `tickets/${tenantId}/${ticketId}/${attachmentId}`;

/**
 * A display name: the last path segment (either slash), without control or bidi-override
 * characters, quotes or leading dots, at most 200 characters; "attachment" when nothing is left.
 */
export function sanitizeFilename(raw: string): string {
  const last = raw.split(/[/\\]/).pop() ?? '';
  const cleaned = last
    // Control characters, and the bidi overrides that make "exe.txt" read as "txt.exe".
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069"]/g, '')
    .replace(/^[.\s]+/, '')
    .trim();
  const clipped = Array.from(cleaned).slice(0, 200).join('');
  return clipped || 'attachment';
}

const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/** The media type without parameters, or application/octet-stream when it is not a plain type. */
export function sanitizeContentType(raw: string | undefined): string {
  const type = (raw ?? '').split(';')[0]!.trim().toLowerCase();
  return MEDIA_TYPE.test(type) ? type : 'application/octet-stream';
}

/** `attachment` with an ASCII fallback name and the UTF-8 name (RFC 6266 / RFC 8187). */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/[\\"]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export async function digestHex(data: ArrayBuffer): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', data));
}

/** True for `POST /api/v1/tickets/:id/attachments`, whose body is a file, not JSON. */
export const isAttachmentUpload = (method: string, path: string): boolean =>
  method === 'POST' && /^\/api\/v1\/tickets\/[^/]+\/attachments\/?$/.test(path);
