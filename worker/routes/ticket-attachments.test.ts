import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN, addUser, api, bootstrapTenant, createTenantDirect, type Auth, type BootstrappedTenant } from '../../test/support';
import { auditActions } from '../../test/checks';

/* Ticket attachments: raw-body upload to R2, server-side SHA-256, safe names, safe downloads. */

let t: BootstrappedTenant;
let ticketId: string;

const upload = (auth: Auth, id: string, body: BodyInit, filename: string | null, type = 'text/plain') =>
  SELF.fetch(`${ORIGIN}/api/v1/tickets/${id}/attachments`, {
    method: 'POST',
    headers: { ...auth.headers, 'content-type': type, ...(filename === null ? {} : { 'x-filename': encodeURIComponent(filename) }) },
    body,
  });

const hex = async (data: Uint8Array) =>
  Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', data)), (b) => b.toString(16).padStart(2, '0')).join('');

beforeAll(async () => {
  t = await bootstrapTenant();
  ticketId = (await api(t, 'POST', '/tickets', { clientId: t.clientId, title: 'With files' })).body.id;
});

describe('ticket attachments', () => {
  it('round-trips a file with its SHA-256, as a download that is never sniffed', async () => {
    const bytes = new Uint8Array(700 * 1024); // above the JSON body limit
    for (let i = 0; i < bytes.length; i += 65_536) crypto.getRandomValues(bytes.subarray(i, i + 65_536));
    const res = await upload(t, ticketId, bytes, 'scan résumé.pdf', 'application/pdf');
    expect(res.status).toBe(201);
    const att = (await res.json()) as Record<string, unknown>;
    expect(att).toMatchObject({ filename: 'scan résumé.pdf', contentType: 'application/pdf', size: bytes.length, sha256: await hex(bytes), internal: false, uploadedBy: t.userId });
    expect(att).not.toHaveProperty('r2Key');
    const down = await SELF.fetch(`${ORIGIN}/api/v1/tickets/${ticketId}/attachments/${att.id}`, { headers: t.headers });
    expect(down.status).toBe(200);
    expect(down.headers.get('content-disposition')).toBe(`attachment; filename="scan r_sum_.pdf"; filename*=UTF-8''scan%20r%C3%A9sum%C3%A9.pdf`);
    expect(down.headers.get('x-content-type-options')).toBe('nosniff');
    expect(down.headers.get('content-type')).toBe('application/pdf');
    expect(new Uint8Array(await down.arrayBuffer())).toEqual(bytes);
    const detail = (await api(t, 'GET', `/tickets/${ticketId}`)).body;
    expect(detail.attachments.map((a: { id: string }) => a.id)).toContain(att.id);
    expect(detail.events.map((e: { kind: string }) => e.kind)).toContain('attachment');
    expect(await auditActions(ticketId)).toContain('ticket.attachment.add');
  });

  it('a path-traversal name stays a display name: the key is built from ids only', async () => {
    const res = await upload(t, ticketId, 'root:x:0:0', '../../../tickets/other/evil\r\n"x".sh', 'text/html');
    expect(res.status).toBe(201);
    const att = (await res.json()) as { id: string; filename: string; contentType: string };
    expect(att.filename).toBe('evilx.sh');
    const row = await env.DB.prepare('SELECT r2_key FROM ticket_attachments WHERE id = ?').bind(att.id).first<{ r2_key: string }>();
    expect(row!.r2_key).toBe(`tickets/${t.tenantId}/${ticketId}/${att.id}`);
    const keys = (await env.PACKAGES.list({ prefix: 'tickets/' })).objects.map((o) => o.key);
    expect(keys.every((k) => k.startsWith(`tickets/${t.tenantId}/${ticketId}/tat_`))).toBe(true);
    const down = await SELF.fetch(`${ORIGIN}/api/v1/tickets/${ticketId}/attachments/${att.id}`, { headers: t.headers });
    expect(down.headers.get('content-disposition')).toBe(`attachment; filename="evilx.sh"; filename*=UTF-8''evilx.sh`);
    expect(down.headers.get('content-security-policy')).toContain('sandbox');
    expect(await down.text()).toBe('root:x:0:0');
  });

  it('refuses files over 10 MiB, empty files and a missing name, storing nothing', async () => {
    const before = (await env.PACKAGES.list({ prefix: 'tickets/' })).objects.length;
    const big = await upload(t, ticketId, new Uint8Array(10 * 1024 * 1024 + 1), 'big.bin');
    expect(big.status).toBe(413);
    expect((await upload(t, ticketId, new Uint8Array(0), 'empty.txt')).status).toBe(400);
    expect((await upload(t, ticketId, 'x', null)).status).toBe(400);
    expect((await env.PACKAGES.list({ prefix: 'tickets/' })).objects.length).toBe(before);
  });

  it('read-only users download but cannot upload; other tenants get 404', async () => {
    const ro = await addUser(t, 'readonly');
    expect((await upload(ro, ticketId, 'x', 'a.txt')).status).toBe(403);
    const att = (await (await upload(t, ticketId, 'hello', 'hello.txt')).json()) as { id: string; internal: boolean };
    expect(att.internal).toBe(false);
    const note = await SELF.fetch(`${ORIGIN}/api/v1/tickets/${ticketId}/attachments?internal=true`, {
      method: 'POST',
      headers: { ...t.headers, 'content-type': 'text/plain', 'x-filename': 'note.txt' },
      body: 'internal only',
    });
    expect(((await note.json()) as { internal: boolean }).internal).toBe(true);
    expect((await SELF.fetch(`${ORIGIN}/api/v1/tickets/${ticketId}/attachments/${att.id}`, { headers: ro.headers })).status).toBe(200);
    const foreign = await createTenantDirect();
    expect((await SELF.fetch(`${ORIGIN}/api/v1/tickets/${ticketId}/attachments/${att.id}`, { headers: foreign.headers })).status).toBe(404);
    expect((await upload(foreign, ticketId, 'x', 'a.txt')).status).toBe(404);
  });
});
