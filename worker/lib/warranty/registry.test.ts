import { describe, expect, it } from 'vitest';
import { answerWith, receivedAt, receiverTarget } from '../../../test/receiver-client';
import { coverageSpan, vendorDate } from './dates';
import { adapterFor, lookupWithStoredCredentials, warrantyAdapters } from './registry';
import { retryAfterSeconds } from './vendor-http';

describe('warranty adapter registry', () => {
  it('picks the adapter from the manufacturer string devices report', () => {
    const vendor = (m: string) => adapterFor(m)?.vendor ?? null;
    expect(['Dell Inc.', 'DELL', 'Dell Computer Corporation'].map(vendor)).toEqual(['dell', 'dell', 'dell']);
    expect(['HP', 'HP Inc.', 'Hewlett-Packard', 'hewlett packard'].map(vendor)).toEqual(['hp', 'hp', 'hp', 'hp']);
    expect(['LENOVO', 'Lenovo Group Limited'].map(vendor)).toEqual(['lenovo', 'lenovo']);
    // HPE servers, look-alike names and virtual machines have no adapter.
    expect(['HPE', 'Hewlett Packard Enterprise', 'Dellwood Systems', 'Lenovonet', 'QEMU', 'VMware, Inc.', ''].map(vendor)).toEqual(Array(7).fill(null));
  });

  it('checks stored credentials against the vendor before any call', async () => {
    const target = receiverTarget('registry');
    const dell = adapterFor('Dell Inc.', warrantyAdapters({ dell: target.url }))!;
    const result = await lookupWithStoredCredentials(dell, ['ABC1234'], { clientId: 'only-the-id' }, fetch);
    expect(result).toEqual({ records: [], failures: [{ serial: 'ABC1234', reason: 'Dell credentials are incomplete' }] });
    expect(await receivedAt(`${target.path}/auth/oauth/v2/token`)).toHaveLength(0);

    await answerWith(`${target.path}/v2.5/warranty`, [], 200, JSON.stringify({ Serial: 'PF0ABC12', ErrorCode: 0, Warranty: [{ Name: 'Base', Start: '2024-01-01', End: '2027-01-01' }] }));
    const lenovo = adapterFor('LENOVO', warrantyAdapters({ lenovo: target.url }))!;
    const found = await lookupWithStoredCredentials(lenovo, ['PF0ABC12'], { clientId: ' key ' }, fetch);
    expect(found.records.map((r) => [r.deviceSerial, r.start, r.end])).toEqual([['PF0ABC12', '2024-01-01', '2027-01-01']]);
    expect((await receivedAt(`${target.path}/v2.5/warranty`))[0]?.headers.clientid).toBe('key');
  });
});

describe('vendor dates', () => {
  it('keeps the written date, or reads a timestamp in the vendor’s zone', () => {
    expect(vendorDate('2026-01-01')).toBe('2026-01-01');
    expect(vendorDate('2026-01-01T04:59:59.000001Z')).toBe('2026-01-01');
    expect(vendorDate('2026-01-01T04:59:59.000001Z', 'America/Chicago')).toBe('2025-12-31');
    expect(vendorDate('2025-07-01T05:00:00Z', 'America/Chicago')).toBe('2025-07-01');
    expect(vendorDate('2025-02-29')).toBeNull();
    expect(vendorDate('01/02/2025')).toBeNull();
    expect(vendorDate('')).toBeNull();
    expect(vendorDate(null)).toBeNull();
  });

  it('spans from the earliest start to the latest end, described by the latest', () => {
    expect(
      coverageSpan([
        { start: '2022-03-14', end: '2025-03-14', description: 'Basic' },
        { start: '2022-03-10', end: '2027-03-14', description: 'ProSupport' },
        { start: null, end: null, description: 'no dates' },
      ]),
    ).toEqual({ start: '2022-03-10', end: '2027-03-14', description: 'ProSupport' });
    expect(coverageSpan([{ start: '2022-03-14', end: null, description: 'open' }])).toBeNull();
    expect(coverageSpan([])).toBeNull();
  });

  it('reads Retry-After as seconds or as a date', () => {
    const now = Date.UTC(2026, 11, 1, 12, 0, 0);
    expect(retryAfterSeconds('120', now)).toBe(120);
    expect(retryAfterSeconds('Tue, 01 Dec 2026 12:01:30 GMT', now)).toBe(90);
    expect(retryAfterSeconds('soon', now)).toBeNull();
    expect(retryAfterSeconds(null, now)).toBeNull();
  });
});
