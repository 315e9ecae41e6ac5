import { describe, expect, it } from 'vitest';
import type { Ticket } from '../../../protocol/api/tickets';
import { ticketChange } from './changes';
import { attachmentKey, contentDisposition, sanitizeContentType, sanitizeFilename } from './files';

const base = { title: 'Printer', description: 'jammed', priority: 'normal', status: 'open', assigneeId: null, resolvedAt: null, closedAt: null } as unknown as Ticket;
const ticket = (fields: Partial<Ticket>): Ticket => ({ ...base, ...fields });

describe('ticket status stamps', () => {
  it('resolving stamps resolvedAt, closing stamps closedAt and keeps the resolution time', () => {
    expect(ticketChange(ticket({}), { status: 'resolved' }, 100).set).toMatchObject({ status: 'resolved', resolvedAt: 100, closedAt: null });
    expect(ticketChange(ticket({ status: 'resolved', resolvedAt: 100 }), { status: 'closed' }, 200).set).toMatchObject({ resolvedAt: 100, closedAt: 200 });
    expect(ticketChange(ticket({}), { status: 'closed' }, 300).set).toMatchObject({ resolvedAt: 300, closedAt: 300 });
  });

  it('reopening clears both stamps; closed back to resolved clears only closedAt', () => {
    expect(ticketChange(ticket({ status: 'closed', resolvedAt: 1, closedAt: 2 }), { status: 'open' }, 5).set).toMatchObject({ resolvedAt: null, closedAt: null });
    expect(ticketChange(ticket({ status: 'closed', resolvedAt: 1, closedAt: 2 }), { status: 'resolved' }, 5).set).toMatchObject({ resolvedAt: 1, closedAt: null });
  });

  it('a ticket never goes back to new', () => {
    expect(() => ticketChange(ticket({ status: 'pending' }), { status: 'new' }, 5)).toThrow(/cannot go back to new/);
  });

  it('one event per changed field, none for unchanged ones', () => {
    const change = ticketChange(ticket({}), { title: 'Printer', priority: 'high', assigneeId: 'usr_x', description: 'jammed again' }, 5);
    expect(change.events.map((e) => e.kind)).toEqual(['description', 'priority', 'assignee']);
    expect(change.events[1]!.detail).toEqual({ from: 'normal', to: 'high' });
  });
});

describe('attachment names', () => {
  it('keeps only the last path segment and strips control, quote and bidi characters', () => {
    expect(sanitizeFilename('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFilename('..\\..\\boot.ini')).toBe('boot.ini');
    expect(sanitizeFilename('a"b\r\nc.txt')).toBe('abc.txt');
    expect(sanitizeFilename('report\u202Etxt.exe')).toBe('reporttxt.exe');
    expect(sanitizeFilename('..')).toBe('attachment');
    expect(sanitizeFilename('.hidden')).toBe('hidden');
  });

  it('builds keys from ids and headers that cannot be broken out of', () => {
    expect(attachmentKey('ten_a', 'tkt_b', 'tat_c')).toBe('tickets/ten_a/tkt_b/tat_c');
    expect(contentDisposition('résumé "x".pdf')).toBe(`attachment; filename="r_sum_ _x_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22x%22.pdf`);
    expect(sanitizeContentType('text/plain; charset=utf-8')).toBe('text/plain');
    expect(sanitizeContentType('text/html\r\nX-Evil: 1')).toBe('application/octet-stream');
    expect(sanitizeContentType(undefined)).toBe('application/octet-stream');
  });
});
