import { describe, expect, it } from 'vitest';
import { answerWith, receivedAt, receiverTarget } from '../../../test/receiver-client';
import { dellAdapter } from './dell';

// Dell's API stands on the local receiver; every URL we fetch is kept so the query can be checked.
function recordingFetch() {
  const urls: string[] = [];
  const fetchFn: typeof fetch = (input, init) => {
    urls.push(input instanceof Request ? input.url : String(input));
    return fetch(input, init);
  };
  return { urls, fetchFn };
}

const creds = { clientId: 'l7xx-dell-client', clientSecret: 'dell-secret' };
const TOKEN = { access_token: 'dell-token-1', token_type: 'Bearer', expires_in: 3600, scope: 'oob' };

// Shaped after a recorded v5 asset-entitlements answer: an asset with two entitlements, and an unknown tag.
const entitlements = (tag: string) => ({
  id: 1465123456,
  serviceTag: tag,
  orderBuid: 11,
  shipDate: '2022-03-14T05:00:00Z',
  productCode: '>/001',
  localChannel: 'ENTP',
  productId: 'latitude-14-5420-laptop',
  productLineDescription: 'LATITUDE 5420',
  productFamily: 'all-products/laptops-and-2-in-1s/latitude-laptops',
  systemDescription: 'Latitude 5420',
  productLobDescription: 'Latitude',
  countryCode: 'US',
  duplicated: false,
  invalid: false,
  entitlements: [
    { itemNumber: '709-17003', startDate: '2022-03-14T05:00:00Z', endDate: '2025-03-15T04:59:59.000001Z', entitlementType: 'INITIAL', serviceLevelCode: 'ND', serviceLevelDescription: 'Onsite Service After Remote Diagnosis', serviceLevelGroup: 5 },
    { itemNumber: '843-29364', startDate: '2022-03-15T05:00:00Z', endDate: '2027-03-15T04:59:59.000001Z', entitlementType: 'EXTENDED', serviceLevelCode: 'PY', serviceLevelDescription: 'ProSupport Plus for PCs', serviceLevelGroup: 8 },
  ],
});
const unknownTag = (tag: string) => ({
  id: null, serviceTag: tag, orderBuid: null, shipDate: null, productCode: null, localChannel: null, productId: null,
  productLineDescription: null, productFamily: null, systemDescription: null, productLobDescription: null,
  countryCode: null, duplicated: false, invalid: true, entitlements: [],
});

async function dellOnReceiver(body: unknown, statuses: number[] = []) {
  const target = receiverTarget('dell');
  const tokenPath = `${target.path}/auth/oauth/v2/token`;
  const assetsPath = `${target.path}/PROD/sbil/eapi/v5/asset-entitlements`;
  await answerWith(tokenPath, [], 200, JSON.stringify(TOKEN));
  await answerWith(assetsPath, statuses, 200, typeof body === 'string' ? body : JSON.stringify(body));
  return { adapter: dellAdapter(target.url), tokenPath, assetsPath, base: target.url };
}

const tags = (n: number) => Array.from({ length: n }, (_, i) => `T${String(i).padStart(6, '0')}`);

describe('Dell warranty lookup', () => {
  it('fetches a token, asks for the tags in one call, and spans the entitlements', async () => {
    const { adapter, tokenPath, assetsPath, base } = await dellOnReceiver([entitlements('ABC1234'), entitlements('DEF5678'), unknownTag('ZZZ9999')]);
    const { urls, fetchFn } = recordingFetch();
    const result = await adapter.lookup(['ABC1234', ' def5678 ', 'ZZZ9999'], creds, fetchFn);

    const [tokenReq] = await receivedAt(tokenPath);
    expect(tokenReq?.method).toBe('POST');
    expect(tokenReq?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(tokenReq!.body))).toEqual({ grant_type: 'client_credentials', client_id: 'l7xx-dell-client', client_secret: 'dell-secret' });
    const assetReqs = await receivedAt(assetsPath);
    expect(assetReqs).toHaveLength(1);
    expect(assetReqs[0]?.method).toBe('GET');
    expect(assetReqs[0]?.headers.authorization).toBe('Bearer dell-token-1');
    expect(urls[1]).toBe(`${base}/PROD/sbil/eapi/v5/asset-entitlements?servicetags=ABC1234%2CDEF5678%2CZZZ9999`);

    expect(result.records.map(({ fetchedAt, ...r }) => r)).toEqual(
      ['ABC1234', 'DEF5678'].map((deviceSerial) => ({
        deviceSerial,
        vendor: 'Dell',
        // Dell's days are US Central: 05:00Z starts one, 04:59:59Z ends the one before.
        start: '2022-03-14',
        end: '2027-03-14',
        description: 'ProSupport Plus for PCs',
        source: 'dell',
      })),
    );
    expect(result.failures).toEqual([{ serial: 'ZZZ9999', reason: 'unknown serial: Dell has no record of it' }]);
  });

  it('asks in batches of 100 with one token for the whole lookup', async () => {
    const many = tags(150);
    const { adapter, tokenPath, assetsPath } = await dellOnReceiver([entitlements(many[0]!), entitlements(many[120]!)]);
    const { urls, fetchFn } = recordingFetch();
    const result = await adapter.lookup(many, creds, fetchFn);
    expect(await receivedAt(tokenPath)).toHaveLength(1);
    expect(await receivedAt(assetsPath)).toHaveLength(2);
    const asked = urls.slice(1).map((u) => new URL(u).searchParams.get('servicetags')!.split(','));
    expect(asked.map((a) => a.length)).toEqual([100, 50]);
    expect(asked.flat()).toEqual(many);
    expect(result.records.map((r) => r.deviceSerial)).toEqual([many[0], many[120]]);
    expect(result.failures).toHaveLength(148);
  });

  it('refuses malformed serials before any call', async () => {
    const { adapter, tokenPath } = await dellOnReceiver([]);
    const result = await adapter.lookup(['AB,CD12', 'ABC', 'ABC1234567', 'ABC-123'], creds, fetch);
    expect(await receivedAt(tokenPath)).toHaveLength(0);
    expect(result.records).toEqual([]);
    expect(result.failures.map((f) => f.reason)).toEqual([
      'invalid serial: only letters and digits are allowed',
      'invalid serial: must be 5–7 characters long',
      'invalid serial: must be 5–7 characters long',
      'invalid serial: only letters and digits are allowed',
    ]);
  });

  it('fails every serial on refused credentials without asking for assets', async () => {
    const target = receiverTarget('dell-401');
    await answerWith(`${target.path}/auth/oauth/v2/token`, [], 401, JSON.stringify({ error: 'invalid_client', error_description: 'The given client credentials were not valid' }));
    const result = await dellAdapter(target.url).lookup(['ABC1234', 'DEF5678'], creds, fetch);
    expect(result.records).toEqual([]);
    expect(result.failures).toEqual([
      { serial: 'ABC1234', reason: 'Dell token endpoint refused the credentials (HTTP 401)' },
      { serial: 'DEF5678', reason: 'Dell token endpoint refused the credentials (HTTP 401)' },
    ]);
    expect(await receivedAt(`${target.path}/PROD/sbil/eapi/v5/asset-entitlements`)).toHaveLength(0);
  });

  it('stops at a 429 and fails the serials not yet asked about', async () => {
    const { adapter, assetsPath } = await dellOnReceiver({ error: 'Too Many Requests' }, [429]);
    const result = await adapter.lookup(tags(150), creds, fetch);
    expect(await receivedAt(assetsPath)).toHaveLength(1);
    expect(result.failures).toHaveLength(150);
    expect(new Set(result.failures.map((f) => f.reason))).toEqual(new Set(['Dell rate limit reached (HTTP 429): retry later']));
  });

  it('fails only the batch a 5xx answered, and goes on with the next', async () => {
    const many = tags(150);
    const { adapter } = await dellOnReceiver([entitlements(many[120]!)], [503]);
    const result = await adapter.lookup(many, creds, fetch);
    expect(result.failures.filter((f) => f.reason === 'Dell failed (HTTP 503)')).toHaveLength(100);
    expect(result.records.map((r) => r.deviceSerial)).toEqual([many[120]]);
  });

  it('turns a malformed body into failures, not a throw', async () => {
    const { adapter } = await dellOnReceiver({ message: 'gateway changed its mind' });
    const shape = await adapter.lookup(['ABC1234'], creds, fetch);
    expect(shape.failures).toEqual([{ serial: 'ABC1234', reason: 'Dell sent a malformed response (body)' }]);
    const html = await (await dellOnReceiver('<html>Service Unavailable</html>')).adapter.lookup(['ABC1234'], creds, fetch);
    expect(html.failures).toEqual([{ serial: 'ABC1234', reason: 'Dell sent a malformed response (not JSON)' }]);
    const field = await (await dellOnReceiver([{ serviceTag: 'ABC1234', entitlements: [{ endDate: 20270315 }] }])).adapter.lookup(['ABC1234'], creds, fetch);
    expect(field.failures).toEqual([{ serial: 'ABC1234', reason: 'Dell sent a malformed response (0.entitlements.0.endDate)' }]);
  });
});
