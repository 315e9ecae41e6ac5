import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

describe('GET /api/v1/openapi.json', () => {
  it('documents every resource with the schemas the routes validate with', async () => {
    const res = await SELF.fetch('http://tether.test/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = await res.json<{ openapi: string; paths: Record<string, Record<string, { requestBody?: unknown; parameters?: { name: string }[] }>> }>();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ['/devices', '/devices/{id}', '/devices/{id}/commands', '/commands/{id}', '/enrollment-keys', '/clients', '/users', '/tokens', '/auth/login', '/bootstrap']) {
      expect(Object.keys(doc.paths), path).toContain(path);
    }
    // The request body schema comes from protocol/api/devices.ts (CreateCommand).
    const body = JSON.stringify(doc.paths['/devices/{id}/commands'].post.requestBody);
    expect(body).toContain('run_script');
    expect(body).toContain('powershell');
    const query = doc.paths['/devices'].get.parameters!.map((p) => p.name);
    expect(query).toEqual(expect.arrayContaining(['q', 'clientId', 'siteId', 'status', 'tag', 'sort', 'cursor', 'limit']));
    // Monitoring configuration: the check schemas (protocol/checks.ts) reach the document.
    for (const path of ['/check-sets', '/check-sets/{id}', '/check-set-assignments', '/check-set-assignments/{id}', '/escalation-policies/{id}', '/maintenance-windows', '/devices/{id}/checks']) {
      expect(Object.keys(doc.paths), path).toContain(path);
    }
    const checks = JSON.stringify(doc.paths['/check-sets'].post.requestBody);
    for (const word of ['disk_free', 'event_log', 'intervalSeconds', 'temperature']) expect(checks).toContain(word);
    expect(doc.paths['/maintenance-windows'].get.parameters!.map((p) => p.name)).toContain('activeNow');
    // Scripts and remote actions: the library, its versions, history and fetched files.
    for (const path of ['/scripts', '/scripts/{id}', '/scripts/{id}/versions', '/scripts/{id}/versions/{version}', '/scripts/{id}/duplicate', '/commands', '/commands/{id}/file']) {
      expect(Object.keys(doc.paths), path).toContain(path);
    }
    const spec = JSON.stringify(doc.paths['/devices/{id}/commands'].post.requestBody);
    for (const word of ['scriptId', 'fetch_file', 'registry_read', 'power_cancel', 'secretEnv']) expect(spec).toContain(word);
    expect(doc.paths['/commands'].get.parameters!.map((p) => p.name)).toEqual(expect.arrayContaining(['q', 'deviceId', 'scriptId', 'jobId', 'from', 'to']));
    // The software catalog and its uploads.
    for (const path of ['/packages', '/packages/{id}', '/packages/{id}/versions', '/packages/{id}/versions/{vid}', '/packages/{id}/versions/{vid}/parts/{n}', '/packages/{id}/versions/{vid}/complete']) {
      expect(Object.keys(doc.paths), path).toContain(path);
    }
    expect(JSON.stringify(doc.paths['/packages/{id}/versions'].post.requestBody)).toContain('repoName');
  });
});
