import { describe, expect, it } from 'vitest';
import { answerWith, receivedAt, receiverTarget } from '../../../test/receiver-client';
import { lenovoAdapter } from './lenovo';

// Lenovo's API stands on the local receiver; every URL we fetch is kept so the query can be checked.
function recordingFetch() {
  const urls: string[] = [];
  const fetchFn: typeof fetch = (input, init) => {
    urls.push(input instanceof Request ? input.url : String(input));
    return fetch(input, init);
  };
  return { urls, fetchFn };
}

const creds = { clientId: 'lenovo-client-id' };

// Shaped after v2.5 warranty answers: base warranty plus an upgrade, and an unknown serial.
const known = (serial: string) => ({
  Serial: serial,
  ErrorCode: 0,
  ErrorMessage: '',
  Product: '20XWCTO1WW',
  InWarranty: true,
  Purchased: '2021-11-20T00:00:00Z',
  Shipped: '2021-11-18T00:00:00Z',
  Country: 'US',
  UpgradeUrl: 'https://www.lenovo.com/us/en/warrantyApos?serialNumber=' + serial,
  Warranty: [
    { ID: '5WS', Name: 'Base Warranty', Description: '3 Years Depot', Type: 'BASE', Start: '2021-11-18T00:00:00Z', End: '2024-11-17T00:00:00Z' },
    { ID: '5WS0E97', Name: 'Premier Support Upgrade', Description: '4Y Premier Support', Type: 'ENTITLED', Start: '2021-11-18T00:00:00Z', End: '2025-11-17T00:00:00Z' },
  ],
  Contract: [],
});
const unknown = (serial: string) => ({
  Serial: serial, ErrorCode: 100, ErrorMessage: 'Invalid serial number', Product: '', InWarranty: false,
  Purchased: null, Shipped: null, Country: '', UpgradeUrl: '', Warranty: [], Contract: [],
});

async function lenovoOnReceiver(body: unknown, statuses: number[] = []) {
  const target = receiverTarget('lenovo');
  const path = `${target.path}/v2.5/warranty`;
  await answerWith(path, statuses, 200, typeof body === 'string' ? body : JSON.stringify(body));
  return { adapter: lenovoAdapter(target.url), path, base: target.url };
}

describe('Lenovo warranty lookup', () => {
  it('asks for the serials with the ClientID header and spans the warranties', async () => {
    const { adapter, path, base } = await lenovoOnReceiver([known('PF0ABC12'), known('MJ12345'), unknown('PF0ZZZ99')]);
    const { urls, fetchFn } = recordingFetch();
    const result = await adapter.lookup(['pf0abc12', 'MJ12345', 'PF0ZZZ99'], creds, fetchFn);

    const reqs = await receivedAt(path);
    expect(reqs).toHaveLength(1);
    expect(reqs[0]?.method).toBe('GET');
    expect(reqs[0]?.headers.clientid).toBe('lenovo-client-id');
    expect(urls).toEqual([`${base}/v2.5/warranty?Serial=PF0ABC12%2CMJ12345%2CPF0ZZZ99`]);

    expect(result.records.map(({ fetchedAt, ...r }) => r)).toEqual(
      ['PF0ABC12', 'MJ12345'].map((deviceSerial) => ({
        deviceSerial,
        vendor: 'Lenovo',
        start: '2021-11-18',
        end: '2025-11-17',
        description: 'Premier Support Upgrade',
        source: 'lenovo',
      })),
    );
    expect(result.failures).toEqual([{ serial: 'PF0ZZZ99', reason: 'unknown serial: Lenovo has no record of it' }]);
  });

  it('reads the single object Lenovo answers for one serial', async () => {
    const { adapter } = await lenovoOnReceiver(known('PF0ABC12'));
    const result = await adapter.lookup(['PF0ABC12'], creds, fetch);
    expect(result.records.map((r) => [r.deviceSerial, r.end])).toEqual([['PF0ABC12', '2025-11-17']]);
    expect(result.failures).toEqual([]);
  });

  it('asks in batches of 50', async () => {
    const many = Array.from({ length: 60 }, (_, i) => `PF${String(i).padStart(6, '0')}`);
    const { adapter, path } = await lenovoOnReceiver([known(many[55]!)]);
    const { urls, fetchFn } = recordingFetch();
    const result = await adapter.lookup(many, creds, fetchFn);
    expect(await receivedAt(path)).toHaveLength(2);
    expect(urls.map((u) => new URL(u).searchParams.get('Serial')!.split(',').length)).toEqual([50, 10]);
    expect(result.records.map((r) => r.deviceSerial)).toEqual([many[55]]);
  });

  it('reports a refused ClientID, a 429 and a malformed body per serial', async () => {
    const refused = await (await lenovoOnReceiver({ Message: 'Authorization has been denied for this request.' }, [401])).adapter.lookup(['PF0ABC12'], creds, fetch);
    expect(refused.failures).toEqual([{ serial: 'PF0ABC12', reason: 'Lenovo refused the credentials (HTTP 401)' }]);
    const limited = await (await lenovoOnReceiver('', [429])).adapter.lookup(['PF0ABC12', 'PF0ABC13'], creds, fetch);
    expect(limited.failures.map((f) => f.reason)).toEqual(['Lenovo rate limit reached (HTTP 429): retry later', 'Lenovo rate limit reached (HTTP 429): retry later']);
    const malformed = await (await lenovoOnReceiver([{ Serial: 'PF0ABC12', Warranty: 'none' }])).adapter.lookup(['PF0ABC12'], creds, fetch);
    expect(malformed.failures).toEqual([{ serial: 'PF0ABC12', reason: 'Lenovo sent a malformed response (0.Warranty)' }]);
  });

  it('refuses a serial with separators before any call', async () => {
    const { adapter, path } = await lenovoOnReceiver([]);
    const result = await adapter.lookup(['PF0ABC12,MJ12345', 'PF0&AB12'], creds, fetch);
    expect(await receivedAt(path)).toHaveLength(0);
    expect(result.failures.map((f) => f.reason)).toEqual(['invalid serial: only letters and digits are allowed', 'invalid serial: only letters and digits are allowed']);
  });
});
