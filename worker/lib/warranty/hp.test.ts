import { describe, expect, it } from 'vitest';
import { answerWith, receivedAt, receiverTarget } from '../../../test/receiver-client';
import { hpAdapter } from './hp';

const creds = { apiKey: 'hp-api-key', apiSecret: 'hp-api-secret' };

// Shaped after productWarranty query answers: a notebook with two offers, and a serial HP has nothing for.
const known = (serialNumber: string) => ({
  product: { serialNumber, productNumber: '4Y0H8AV', productDescription: 'HP EliteBook 840 G8 Notebook PC', countryCode: 'US' },
  offers: [
    { offerDescription: 'HP HW Maintenance Onsite Support', offerProductIdentifier: 'HA152AW', serviceObligationTypeCode: 'W', serviceObligationIdentifier: '8X7Y6Z5', serviceObligationLineItemStartDate: '2022-10-05', serviceObligationLineItemEndDate: '2025-10-04' },
    { offerDescription: 'Wty: HP Support for Initial Setup', offerProductIdentifier: 'HA151AC', serviceObligationTypeCode: 'W', serviceObligationIdentifier: '8X7Y6Z6', serviceObligationLineItemStartDate: '2022-10-03', serviceObligationLineItemEndDate: '2023-01-02' },
  ],
});
const unknown = (serialNumber: string) => ({ product: { serialNumber, productNumber: null, productDescription: null, countryCode: null }, offers: [] });

async function hpOnReceiver(body: unknown, opts: { statuses?: number[]; token?: object } = {}) {
  const target = receiverTarget('hp');
  const tokenPath = `${target.path}/oauth/v1/token`;
  const queryPath = `${target.path}/productWarranty/v2/queries`;
  await answerWith(tokenPath, [], 200, JSON.stringify(opts.token ?? { access_token: 'hp-token-1', token_type: 'Bearer', expires_in: '3599' }));
  await answerWith(queryPath, opts.statuses ?? [], 200, typeof body === 'string' ? body : JSON.stringify(body));
  return { adapter: hpAdapter(target.url), tokenPath, queryPath };
}

describe('HP warranty lookup', () => {
  it('exchanges key and secret for a token, posts the serials, and spans the offers', async () => {
    const { adapter, tokenPath, queryPath } = await hpOnReceiver([known('5CG1234XYZ'), unknown('5CG0000AAA')]);
    const result = await adapter.lookup(['5cg1234xyz', '5CG0000AAA', '5CG9999BBB'], creds, fetch);

    const [tokenReq] = await receivedAt(tokenPath);
    expect(tokenReq?.method).toBe('POST');
    expect(tokenReq?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(tokenReq!.body))).toEqual({ apiKey: 'hp-api-key', apiSecret: 'hp-api-secret', grantType: 'client_credentials', scope: 'warranty' });
    const queries = await receivedAt(queryPath);
    expect(queries).toHaveLength(1);
    expect(queries[0]?.method).toBe('POST');
    expect(queries[0]?.headers.authorization).toBe('Bearer hp-token-1');
    expect(queries[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(queries[0]!.body)).toEqual([{ sn: '5CG1234XYZ' }, { sn: '5CG0000AAA' }, { sn: '5CG9999BBB' }]);

    expect(result.records.map(({ fetchedAt, ...r }) => r)).toEqual([
      { deviceSerial: '5CG1234XYZ', vendor: 'HP', start: '2022-10-03', end: '2025-10-04', description: 'HP HW Maintenance Onsite Support', source: 'hp' },
    ]);
    expect(result.failures).toEqual([
      { serial: '5CG0000AAA', reason: 'unknown serial: HP has no record of it' },
      { serial: '5CG9999BBB', reason: 'unknown serial: HP has no record of it' },
    ]);
  });

  it('reuses the token across batches of 5 while it lives, and fetches a new one once it has lapsed', async () => {
    const serials = Array.from({ length: 12 }, (_, i) => `5CG${String(i).padStart(7, '0')}`);
    const lasting = await hpOnReceiver([known(serials[11]!)]);
    const result = await lasting.adapter.lookup(serials, creds, fetch);
    expect(await receivedAt(lasting.tokenPath)).toHaveLength(1);
    expect((await receivedAt(lasting.queryPath)).map((q) => (JSON.parse(q.body) as unknown[]).length)).toEqual([5, 5, 2]);
    expect(result.records.map((r) => r.deviceSerial)).toEqual([serials[11]]);

    // A token living 20 s is within the refresh margin: each batch asks for a fresh one.
    const brief = await hpOnReceiver([], { token: { access_token: 'hp-token-2', expires_in: 20 } });
    await brief.adapter.lookup(serials, creds, fetch);
    expect(await receivedAt(brief.tokenPath)).toHaveLength(3);
  });

  it('reports refused credentials, a 429 and a malformed body per serial', async () => {
    const target = receiverTarget('hp-403');
    await answerWith(`${target.path}/oauth/v1/token`, [], 403, JSON.stringify({ fault: { faultstring: 'Invalid ApiKey' } }));
    const refused = await hpAdapter(target.url).lookup(['5CG1234XYZ'], creds, fetch);
    expect(refused.failures).toEqual([{ serial: '5CG1234XYZ', reason: 'HP token endpoint refused the credentials (HTTP 403)' }]);

    const limited = await hpOnReceiver({ error: 'quota' }, { statuses: [429] });
    const six = ['5CG0000001', '5CG0000002', '5CG0000003', '5CG0000004', '5CG0000005', '5CG0000006'];
    const stopped = await limited.adapter.lookup(six, creds, fetch);
    expect(await receivedAt(limited.queryPath)).toHaveLength(1);
    expect(stopped.failures.map((f) => f.serial)).toEqual(six);
    expect(stopped.failures[5]?.reason).toBe('HP rate limit reached (HTTP 429): retry later');

    const token = await hpOnReceiver([], { token: { token_type: 'Bearer' } });
    const noToken = await token.adapter.lookup(['5CG1234XYZ'], creds, fetch);
    expect(noToken.failures).toEqual([{ serial: '5CG1234XYZ', reason: 'HP token endpoint sent a malformed response (access_token)' }]);

    const malformed = await hpOnReceiver({ products: [known('5CG1234XYZ')] });
    const bad = await malformed.adapter.lookup(['5CG1234XYZ'], creds, fetch);
    expect(bad.failures).toEqual([{ serial: '5CG1234XYZ', reason: 'HP sent a malformed response (body)' }]);
  });
});
