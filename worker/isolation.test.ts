import { beforeAll, describe, expect, it } from 'vitest';
import { api, createTenantDirect, insertDevice, snapshotTenant, addUser, tokenFor, type Auth, type DirectTenant } from '../test/support';
import { insertAlert } from '../test/desk';
import { receiverTarget } from '../test/receiver-client';
import { env } from 'cloudflare:test';
import { insertChatIntegration } from '../test/chat-fixtures';
import { signActionLink } from './lib/integrations/action-links';
import { deb, hardware, seedChange, seedInventory } from '../test/inventory-seed';
import { createPackage, deviceWithToken, readyVersion } from './routes/package-fixture';

/*
 * Tenant isolation, route by route: tenant A owns a resource, tenant B's owner (the
 * broadest role, so only the tenant boundary can refuse) calls the route with A's ids.
 * The answer must be the plain 404 of a missing id (or, for lists, nothing of A's), and
 * every row tenant A owns must be exactly as before.
 *
 * To cover a new route, append a row: `setup` creates what it needs in A (through the API
 * with `a`'s headers or the fixtures of test/support.ts) and returns the ids that fill the
 * `:placeholders` of `path` and feed `body`.
 */

type Ids = Record<string, string>;

interface Row {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Under /api/v1; `:name` is replaced by ids.name. */
  path: string;
  body?: (ids: Ids) => unknown;
  setup: (a: DirectTenant, b: DirectTenant) => Promise<Ids>;
  /** 404 (default); another status where A's id is refused as invalid input; 'absent' for lists. */
  expect?: number | 'absent';
  /** Who in tenant B calls (default: B's owner); portal routes admit portal users only. */
  caller?: (b: DirectTenant) => Promise<Auth>;
}

const post = async (who: DirectTenant, path: string, body: unknown): Promise<string> => {
  const res = await api(who, 'POST', path, body);
  if (res.status !== 201) throw new Error(`setup ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id ?? res.body.item.id;
};
const client = (a: DirectTenant) => post(a, '/clients', { name: `A client ${Math.random()}` });
const site = async (a: DirectTenant) => post(a, '/sites', { clientId: a.clientId, name: 'A site' });
const group = (who: DirectTenant) => post(who, '/groups', { name: 'A group' });
const script = (who: DirectTenant) =>
  post(who, '/scripts', { name: 'A script', category: 'maintenance', platforms: ['linux'], interpreter: 'bash', body: 'echo a' });
const queuedCommand = async (who: DirectTenant): Promise<string> => {
  const res = await api(who, 'POST', `/devices/${await insertDevice(who)}/commands`, { type: 'process_list' });
  if (res.status !== 202) throw new Error(`setup command: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.command.id;
};
const job = async (who: DirectTenant) => post(who, '/jobs', { action: { type: 'process_list' }, target: { deviceIds: [await insertDevice(who)] } });
const checkSet = (who: DirectTenant) =>
  post(who, '/check-sets', { name: 'A set', checks: [{ key: 'cpu', name: 'CPU', severity: 'warning', type: 'metric', metric: 'cpu', threshold: 90 }] });
const policy = (who: DirectTenant, isDefault = false) =>
  post(who, '/escalation-policies', { name: 'A policy', tiers: [{ afterMinutes: 0, userIds: [who.userId] }], isDefault });
const assignment = async (who: DirectTenant) =>
  post(who, '/check-set-assignments', { checkSetId: await checkSet(who), scopeType: 'device', scopeId: await insertDevice(who) });
const maintenance = (who: DirectTenant) =>
  post(who, '/maintenance-windows', { name: 'A window', scopeType: 'client', scopeId: who.clientId, schedule: { kind: 'once', startsAt: 0, endsAt: 8.64e15 } });
const ticket = (who: DirectTenant) => post(who, '/tickets', { clientId: who.clientId, title: 'A ticket' });
const calendar = (who: DirectTenant) =>
  post(who, '/business-calendars', { name: 'A hours', timezone: 'UTC', hours: [[], [[540, 1020]], [], [], [], [], []] });
/** A's policy for a new client of A (one policy per client, so each row gets its own). */
const slaPolicy = async (who: DirectTenant) => post(who, '/sla-policies', { name: 'A SLA', clientId: await client(who), targets: {} });
/** An id of the tenant's client, site, a new group or a new device. */
const scopeOf = async (who: DirectTenant, scopeType: 'client' | 'site' | 'group' | 'device') =>
  scopeType === 'client' ? who.clientId : scopeType === 'site' ? who.siteId : scopeType === 'group' ? group(who) : insertDevice(who);

const portalUser = (who: DirectTenant) => addUser(who, 'client', [who.clientId]);
/** A device of `who` with inventory: one software item and one change under a name no other tenant has. */
const inventoried = async (who: DirectTenant): Promise<Ids> => {
  const id = await insertDevice(who);
  const name = `a-only-${Math.random().toString(36).slice(2)}`;
  await seedInventory(who, id, { software: [deb(name, '1.0')] });
  await seedChange(who, id, { at: Date.now(), kind: 'software_added', subject: name, toValue: '1.0' });
  return { id, name };
};
/** A device of `who` with a serial in its inventory and a manual warranty. */
const FOREIGN_SERIAL = `ISO${Math.random().toString(36).slice(2, 10).toUpperCase()}`;
const warrantied = async (who: DirectTenant): Promise<string> => {
  const id = await insertDevice(who);
  await seedInventory(who, id, { hardware: hardware({ serial: FOREIGN_SERIAL }), software: [] });
  const res = await api(who, 'PUT', `/devices/${id}/warranty`, { vendor: 'Dell', end: '2030-06-30' });
  if (res.status !== 200) throw new Error(`setup warranty: ${res.status}`);
  return id;
};
const warrantyProvider = async (who: DirectTenant): Promise<string> => {
  const res = await api(who, 'PUT', '/warranty-providers/dell', { credentials: { clientId: 'a-client', clientSecret: 'a-secret' } });
  if (res.status !== 200) throw new Error(`setup provider: ${res.status}`);
  return 'dell-of-a';
};
const licence = (who: DirectTenant) => post(who, '/licences', { product: 'A Office', clientId: who.clientId, seats: 3, key: 'A-KEY-1234', expires: '2030-01-01', match: { name: 'a office' } });
const savedSearch = (who: DirectTenant) => post(who, '/searches', { name: 'A search', query: { conditions: [{ field: 'no_inventory' }] } });

const rows: Row[] = [
  // users
  { name: 'read a user', method: 'GET', path: '/users/:id', setup: async (a) => ({ id: a.userId }) },
  { name: 'rename a user', method: 'PATCH', path: '/users/:id', body: () => ({ name: 'Hijacked' }), setup: async (a) => ({ id: a.userId }) },
  { name: 'disable a user', method: 'DELETE', path: '/users/:id', setup: async (a) => ({ id: (await addUser(a, 'technician')).userId }) },
  {
    name: 'create a user limited to a foreign client',
    method: 'POST',
    path: '/users',
    body: (ids) => ({ email: `x${Math.random()}@example.test`, name: 'X', password: 'long enough password', role: 'readonly', clientIds: [ids.clientId] }),
    setup: async (a) => ({ clientId: a.clientId }),
    expect: 400,
  },
  {
    name: 'limit own user to a foreign client',
    method: 'PATCH',
    path: '/users/:self',
    body: (ids) => ({ clientIds: [ids.clientId] }),
    setup: async (a, b) => ({ self: b.userId, clientId: a.clientId }),
    expect: 400,
  },
  { name: 'list users', method: 'GET', path: '/users?limit=1000', setup: async (a) => ({ id: a.userId, email: a.email }), expect: 'absent' },
  // tokens
  {
    name: 'revoke a token',
    method: 'DELETE',
    path: '/tokens/:id',
    setup: async (a) => ({ id: await post(a, '/tokens', { name: 'A token' }) }),
  },
  {
    name: 'mint a token limited to a foreign client',
    method: 'POST',
    path: '/tokens',
    body: (ids) => ({ name: 'x', clientIds: [ids.clientId] }),
    setup: async (a) => ({ clientId: a.clientId }),
    expect: 400,
  },
  {
    name: 'list a foreign user\'s tokens',
    method: 'GET',
    path: '/tokens?userId=:userId',
    setup: async (a) => ({ userId: a.userId, id: await post(a, '/tokens', { name: 'A listed token' }) }),
    expect: 'absent',
  },
  // audit
  { name: 'read the audit log', method: 'GET', path: '/audit?limit=1000', setup: async (a) => ({ id: await client(a) }), expect: 'absent' },
  { name: 'filter the audit log by a foreign actor', method: 'GET', path: '/audit?actorId=:actor', setup: async (a) => ({ actor: a.userId }), expect: 'absent' },
  // clients
  { name: 'read a client', method: 'GET', path: '/clients/:id', setup: async (a) => ({ id: await client(a) }) },
  { name: 'rename a client', method: 'PATCH', path: '/clients/:id', body: () => ({ name: 'Hijacked' }), setup: async (a) => ({ id: await client(a) }) },
  { name: 'delete a client', method: 'DELETE', path: '/clients/:id', setup: async (a) => ({ id: await client(a) }) },
  { name: 'list clients', method: 'GET', path: '/clients?limit=1000', setup: async (a) => ({ id: await client(a) }), expect: 'absent' },
  // sites
  { name: 'read a site', method: 'GET', path: '/sites/:id', setup: async (a) => ({ id: await site(a) }) },
  { name: 'rename a site', method: 'PATCH', path: '/sites/:id', body: () => ({ name: 'Hijacked' }), setup: async (a) => ({ id: await site(a) }) },
  { name: 'delete a site', method: 'DELETE', path: '/sites/:id', setup: async (a) => ({ id: await site(a) }) },
  {
    name: 'create a site under a foreign client',
    method: 'POST',
    path: '/sites',
    body: (ids) => ({ clientId: ids.clientId, name: 'Planted' }),
    setup: async (a) => ({ clientId: a.clientId }),
  },
  { name: 'list a foreign client\'s sites', method: 'GET', path: '/sites?clientId=:clientId', setup: async (a) => ({ clientId: a.clientId, id: a.siteId }), expect: 'absent' },
  // groups
  { name: 'read a group', method: 'GET', path: '/groups/:id', setup: async (a) => ({ id: await group(a) }) },
  { name: 'rename a group', method: 'PATCH', path: '/groups/:id', body: () => ({ name: 'Hijacked' }), setup: async (a) => ({ id: await group(a) }) },
  { name: 'delete a group', method: 'DELETE', path: '/groups/:id', setup: async (a) => ({ id: await group(a) }) },
  { name: 'list groups', method: 'GET', path: '/groups?limit=1000', setup: async (a) => ({ id: await group(a) }), expect: 'absent' },
  {
    name: 'add a device to a foreign group',
    method: 'POST',
    path: '/groups/:id/members',
    body: (ids) => ({ deviceIds: [ids.device] }),
    setup: async (a, b) => ({ id: await group(a), device: await insertDevice(b) }),
  },
  {
    name: 'add a foreign device to an own group',
    method: 'POST',
    path: '/groups/:id/members',
    body: (ids) => ({ deviceIds: [ids.device] }),
    setup: async (a, b) => ({ id: await group(b), device: await insertDevice(a) }),
  },
  {
    name: 'remove a member of a foreign group',
    method: 'DELETE',
    path: '/groups/:id/members/:device',
    setup: async (a) => {
      const id = await group(a);
      const device = await insertDevice(a);
      await api(a, 'POST', `/groups/${id}/members`, { deviceIds: [device] });
      return { id, device };
    },
  },
  // devices
  { name: 'read a device', method: 'GET', path: '/devices/:id', setup: async (a) => ({ id: await insertDevice(a) }) },
  {
    name: 'rename and tag a device',
    method: 'PATCH',
    path: '/devices/:id',
    body: () => ({ displayName: 'Hijacked', tags: ['pwned'] }),
    setup: async (a) => ({ id: await insertDevice(a) }),
  },
  {
    name: 'move an own device to a foreign site',
    method: 'PATCH',
    path: '/devices/:own',
    body: (ids) => ({ siteId: ids.siteId }),
    setup: async (a, b) => ({ own: await insertDevice(b), siteId: a.siteId }),
  },
  { name: 'retire a device', method: 'DELETE', path: '/devices/:id', setup: async (a) => ({ id: await insertDevice(a) }) },
  { name: 'read device metrics', method: 'GET', path: '/devices/:id/metrics', setup: async (a) => ({ id: await insertDevice(a) }) },
  { name: 'open a device live socket', method: 'GET', path: '/devices/:id/live', setup: async (a) => ({ id: await insertDevice(a) }) },
  { name: 'list devices', method: 'GET', path: '/devices?limit=1000', setup: async (a) => ({ id: await insertDevice(a) }), expect: 'absent' },
  {
    name: 'filter devices by a foreign client',
    method: 'GET',
    path: '/devices?clientId=:clientId',
    setup: async (a) => ({ clientId: a.clientId, id: await insertDevice(a) }),
    expect: 'absent',
  },
  {
    name: 'list tags',
    method: 'GET',
    path: '/tags',
    setup: async (a) => {
      const id = await insertDevice(a);
      await api(a, 'PATCH', `/devices/${id}`, { tags: ['secret-tag-of-a'] });
      return { id, tag: 'secret-tag-of-a' };
    },
    expect: 'absent',
  },
  // commands
  {
    name: 'run a script on a foreign device',
    method: 'POST',
    path: '/devices/:id/commands',
    body: () => ({ type: 'run_script', params: { interpreter: 'sh', script: 'id' } }),
    setup: async (a) => ({ id: await insertDevice(a) }),
  },
  {
    name: "list a foreign device's commands",
    method: 'GET',
    path: '/devices/:id/commands',
    setup: async (a) => ({ id: await insertDevice(a) }),
  },
  {
    name: 'read a foreign command',
    method: 'GET',
    path: '/commands/:id',
    setup: async (a) => {
      const device = await insertDevice(a);
      const res = await api(a, 'POST', `/devices/${device}/commands`, { type: 'run_script', params: { interpreter: 'sh', script: 'id' } });
      if (res.status !== 202) throw new Error(`setup command: ${res.status}`);
      return { id: res.body.command.id };
    },
  },
  // enrollment keys
  {
    name: 'revoke an enrollment key',
    method: 'DELETE',
    path: '/enrollment-keys/:id',
    setup: async (a) => ({ id: await post(a, '/enrollment-keys', { name: 'A key', clientId: a.clientId, siteId: a.siteId }) }),
  },
  {
    name: 'make an enrollment key for a foreign client and site',
    method: 'POST',
    path: '/enrollment-keys',
    body: (ids) => ({ name: 'x', clientId: ids.clientId, siteId: ids.siteId }),
    setup: async (a) => ({ clientId: a.clientId, siteId: a.siteId }),
  },
  {
    name: 'make an enrollment key for a foreign site under an own client',
    method: 'POST',
    path: '/enrollment-keys',
    body: (ids) => ({ name: 'x', clientId: ids.own, siteId: ids.siteId }),
    setup: async (a, b) => ({ own: b.clientId, siteId: a.siteId }),
  },
  {
    name: 'list enrollment keys',
    method: 'GET',
    path: '/enrollment-keys',
    setup: async (a) => ({ id: await post(a, '/enrollment-keys', { name: 'A listed key', clientId: a.clientId, siteId: a.siteId }) }),
    expect: 'absent',
  },
  // monitoring: check sets
  { name: 'read a check set', method: 'GET', path: '/check-sets/:id', setup: async (a) => ({ id: await checkSet(a) }) },
  { name: 'change a check set', method: 'PATCH', path: '/check-sets/:id', body: () => ({ name: 'Hijacked', checks: [] }), setup: async (a) => ({ id: await checkSet(a) }) },
  { name: 'delete a check set', method: 'DELETE', path: '/check-sets/:id', setup: async (a) => ({ id: await checkSet(a) }) },
  { name: 'list check sets', method: 'GET', path: '/check-sets?limit=1000', setup: async (a) => ({ id: await checkSet(a) }), expect: 'absent' },
  {
    name: 'name a foreign escalation policy in a check set',
    method: 'POST',
    path: '/check-sets',
    body: (ids) => ({ name: 'x', escalationPolicyId: ids.policy }),
    setup: async (a) => ({ policy: await policy(a) }),
    expect: 400,
  },
  {
    name: 'point an own check set at a foreign escalation policy',
    method: 'PATCH',
    path: '/check-sets/:own',
    body: (ids) => ({ escalationPolicyId: ids.policy }),
    setup: async (a, b) => ({ own: await checkSet(b), policy: await policy(a) }),
    expect: 400,
  },
  // monitoring: assignments
  { name: 'read an assignment', method: 'GET', path: '/check-set-assignments/:id', setup: async (a) => ({ id: await assignment(a) }) },
  { name: 'remove an assignment', method: 'DELETE', path: '/check-set-assignments/:id', setup: async (a) => ({ id: await assignment(a) }) },
  { name: 'list assignments', method: 'GET', path: '/check-set-assignments?limit=1000', setup: async (a) => ({ id: await assignment(a) }), expect: 'absent' },
  {
    name: 'list the assignments of a foreign check set',
    method: 'GET',
    path: '/check-set-assignments?checkSetId=:set',
    setup: async (a) => {
      const set = await checkSet(a);
      return { set, id: await post(a, '/check-set-assignments', { checkSetId: set, scopeType: 'tenant' }) };
    },
    expect: 'absent',
  },
  {
    name: 'assign a foreign check set',
    method: 'POST',
    path: '/check-set-assignments',
    body: (ids) => ({ checkSetId: ids.set, scopeType: 'tenant' }),
    setup: async (a) => ({ set: await checkSet(a) }),
  },
  ...(['client', 'site', 'group', 'device'] as const).map(
    (scopeType): Row => ({
      name: `assign an own check set to a foreign ${scopeType}`,
      method: 'POST',
      path: '/check-set-assignments',
      body: (ids) => ({ checkSetId: ids.own, scopeType, scopeId: ids.target }),
      setup: async (a, b) => ({ own: await checkSet(b), target: await scopeOf(a, scopeType) }),
    }),
  ),
  // monitoring: escalation policies
  { name: 'read an escalation policy', method: 'GET', path: '/escalation-policies/:id', setup: async (a) => ({ id: await policy(a) }) },
  {
    name: 'change an escalation policy',
    method: 'PATCH',
    path: '/escalation-policies/:id',
    body: () => ({ name: 'Hijacked', tiers: [{ afterMinutes: 0, roles: ['readonly'] }] }),
    setup: async (a) => ({ id: await policy(a) }),
  },
  {
    name: 'make an own policy the default while a foreign one is',
    method: 'PATCH',
    path: '/escalation-policies/:own',
    body: () => ({ isDefault: true }),
    setup: async (a, b) => ({ own: await policy(b), theirs: await policy(a, true) }),
    expect: 200,
  },
  { name: 'delete an escalation policy', method: 'DELETE', path: '/escalation-policies/:id', setup: async (a) => ({ id: await policy(a) }) },
  { name: 'list escalation policies', method: 'GET', path: '/escalation-policies?limit=1000', setup: async (a) => ({ id: await policy(a) }), expect: 'absent' },
  {
    name: 'notify a foreign user from an escalation tier',
    method: 'POST',
    path: '/escalation-policies',
    body: (ids) => ({ name: 'x', tiers: [{ afterMinutes: 0, userIds: [ids.user] }] }),
    setup: async (a) => ({ user: a.userId }),
    expect: 400,
  },
  // monitoring: maintenance windows
  { name: 'read a maintenance window', method: 'GET', path: '/maintenance-windows/:id', setup: async (a) => ({ id: await maintenance(a) }) },
  { name: 'change a maintenance window', method: 'PATCH', path: '/maintenance-windows/:id', body: () => ({ enabled: false }), setup: async (a) => ({ id: await maintenance(a) }) },
  { name: 'delete a maintenance window', method: 'DELETE', path: '/maintenance-windows/:id', setup: async (a) => ({ id: await maintenance(a) }) },
  { name: 'list maintenance windows', method: 'GET', path: '/maintenance-windows?limit=1000', setup: async (a) => ({ id: await maintenance(a) }), expect: 'absent' },
  {
    name: 'list foreign maintenance windows in force',
    method: 'GET',
    path: '/maintenance-windows?activeNow=true&scopeId=:client',
    setup: async (a) => ({ client: a.clientId, id: await maintenance(a) }),
    expect: 'absent',
  },
  ...(['client', 'site', 'group', 'device'] as const).map(
    (scopeType): Row => ({
      name: `open a maintenance window on a foreign ${scopeType}`,
      method: 'POST',
      path: '/maintenance-windows',
      body: (ids) => ({ name: 'x', scopeType, scopeId: ids.target, schedule: { kind: 'once', startsAt: 0, endsAt: 8.64e15 } }),
      setup: async (a) => ({ target: await scopeOf(a, scopeType) }),
    }),
  ),
  {
    name: 'move an own maintenance window to a foreign site',
    method: 'PATCH',
    path: '/maintenance-windows/:own',
    body: (ids) => ({ scopeType: 'site', scopeId: ids.site }),
    setup: async (a, b) => ({ own: await maintenance(b), site: a.siteId }),
  },
  // monitoring: a device's checks
  {
    name: "read a foreign device's checks",
    method: 'GET',
    path: '/devices/:id/checks',
    setup: async (a) => {
      const id = await insertDevice(a);
      await post(a, '/check-set-assignments', { checkSetId: await checkSet(a), scopeType: 'device', scopeId: id });
      return { id };
    },
  },
  // integrations, their delivery log, notification policies
  { name: 'read an integration', method: 'GET', path: '/integrations/:id', setup: async (a) => ({ id: await integration(a) }) },
  {
    name: 'change an integration',
    method: 'PATCH',
    path: '/integrations/:id',
    body: () => ({ name: 'Hijacked', enabled: false, config: { url: 'https://attacker.example/hook' } }),
    setup: async (a) => ({ id: await integration(a) }),
  },
  { name: 'delete an integration', method: 'DELETE', path: '/integrations/:id', setup: async (a) => ({ id: await integration(a) }) },
  { name: 'list integrations', method: 'GET', path: '/integrations?limit=1000', setup: async (a) => ({ id: await integration(a) }), expect: 'absent' },
  { name: 'send a test message through an integration', method: 'POST', path: '/integrations/:id/test', setup: async (a) => ({ id: await integration(a) }) },
  { name: 'read the delivery log of an integration', method: 'GET', path: '/integrations/:integration/deliveries', setup: async (a) => delivery(a) },
  { name: 'read a delivery', method: 'GET', path: '/deliveries/:id', setup: async (a) => delivery(a) },
  { name: 'redeliver a delivery', method: 'POST', path: '/deliveries/:delivery/redeliver', setup: async (a) => delivery(a) },
  { name: 'read a notification policy', method: 'GET', path: '/notification-policies/:id', setup: async (a) => ({ id: await notifyPolicy(a) }) },
  {
    name: 'change a notification policy',
    method: 'PATCH',
    path: '/notification-policies/:id',
    body: () => ({ name: 'Hijacked', enabled: false }),
    setup: async (a) => ({ id: await notifyPolicy(a) }),
  },
  { name: 'delete a notification policy', method: 'DELETE', path: '/notification-policies/:id', setup: async (a) => ({ id: await notifyPolicy(a) }) },
  { name: 'list notification policies', method: 'GET', path: '/notification-policies?limit=1000', setup: async (a) => ({ id: await notifyPolicy(a) }), expect: 'absent' },
  {
    name: 'route a new policy to a foreign integration',
    method: 'POST',
    path: '/notification-policies',
    body: (ids) => ({ name: 'x', integrationIds: [ids.itg] }),
    setup: async (a) => ({ itg: await integration(a) }),
    expect: 400,
  },
  {
    name: 'route an own policy to a foreign integration',
    method: 'PATCH',
    path: '/notification-policies/:own',
    body: (ids) => ({ integrationIds: [ids.itg] }),
    setup: async (a, b) => ({ own: await notifyPolicy(b), itg: await integration(a) }),
    expect: 400,
  },
  {
    name: 'limit an own notification policy to a foreign client',
    method: 'POST',
    path: '/notification-policies',
    body: (ids) => ({ name: 'x', clientIds: [ids.clientId], integrationIds: [ids.own] }),
    setup: async (a, b) => ({ clientId: a.clientId, own: await integration(b) }),
    expect: 400,
  },
  // chat integrations: user links (Slack / Teams users acting as Tether users), signed action links
  { name: 'list the user links of a chat integration', method: 'GET', path: '/integrations/:id/user-links', setup: async (a) => ({ id: await chatIntegration(a) }) },
  {
    name: 'link a chat user on a foreign integration',
    method: 'POST',
    path: '/integrations/:id/user-links',
    body: (ids) => ({ externalUserId: 'U_ATTACKER', userId: ids.own }),
    setup: async (a, b) => ({ id: await chatIntegration(a), own: b.userId }),
  },
  {
    name: 'link an own chat integration to a foreign user',
    method: 'POST',
    path: '/integrations/:own/user-links',
    body: (ids) => ({ externalUserId: 'U_ATTACKER', userId: ids.userId }),
    setup: async (a, b) => ({ own: await chatIntegration(b), userId: a.userId }),
    expect: 400,
  },
  {
    name: 'unlink a chat user',
    method: 'DELETE',
    path: '/integrations/:id/user-links/U_A',
    setup: async (a) => {
      const id = await chatIntegration(a);
      const res = await api(a, 'POST', `/integrations/${id}/user-links`, { externalUserId: 'U_A', userId: a.userId });
      if (res.status !== 201) throw new Error(`setup user link: ${res.status}`);
      return { id };
    },
  },
  {
    name: 'confirm a foreign signed acknowledge link',
    method: 'POST',
    path: '/action-links/:token',
    setup: async (a) => ({ token: await signActionLink(env.TETHER_MASTER_KEY, { tenantId: a.tenantId, alertId: await insertAlert(a, await insertDevice(a)) }) }),
  },
  // service desk: tickets and their thread, time, attachments; alert → ticket; SLA
  { name: 'read a ticket', method: 'GET', path: '/tickets/:id', setup: async (a) => ({ id: await ticket(a) }) },
  { name: 'change a ticket', method: 'PATCH', path: '/tickets/:id', body: () => ({ title: 'Hijacked', status: 'closed' }), setup: async (a) => ({ id: await ticket(a) }) },
  { name: 'comment on a ticket', method: 'POST', path: '/tickets/:id/comments', body: () => ({ body: 'hello' }), setup: async (a) => ({ id: await ticket(a) }) },
  { name: 'log time on a ticket', method: 'POST', path: '/tickets/:id/time-entries', body: () => ({ minutes: 5 }), setup: async (a) => ({ id: await ticket(a) }) },
  {
    name: 'remove a time entry',
    method: 'DELETE',
    path: '/tickets/:id/time-entries/:entry',
    setup: async (a) => {
      const id = await ticket(a);
      return { id, entry: await post(a, `/tickets/${id}/time-entries`, { minutes: 5 }) };
    },
  },
  { name: 'attach a file to a ticket', method: 'POST', path: '/tickets/:id/attachments', body: () => 'file', setup: async (a) => ({ id: await ticket(a) }) },
  {
    name: 'download an attachment',
    method: 'GET',
    path: '/tickets/:id/attachments/:att',
    setup: async (a) => {
      const id = await ticket(a);
      const res = await api(a, 'POST', `/tickets/${id}/attachments`, 'file', { 'content-type': 'text/plain', 'x-filename': 'a.txt' });
      return { id, att: res.body.id };
    },
  },
  { name: 'open a ticket for a foreign client', method: 'POST', path: '/tickets', body: (ids) => ({ clientId: ids.clientId, title: 'x' }), setup: async (a) => ({ clientId: a.clientId }) },
  {
    name: 'open a ticket on a foreign device',
    method: 'POST',
    path: '/tickets',
    body: (ids) => ({ clientId: ids.own, deviceId: ids.deviceId, title: 'x' }),
    setup: async (a, b) => ({ own: b.clientId, deviceId: await insertDevice(a) }),
    expect: 400,
  },
  {
    name: 'assign a ticket to a foreign user',
    method: 'POST',
    path: '/tickets',
    body: (ids) => ({ clientId: ids.own, assigneeId: ids.userId, title: 'x' }),
    setup: async (a, b) => ({ own: b.clientId, userId: a.userId }),
    expect: 400,
  },
  { name: 'list tickets', method: 'GET', path: '/tickets?limit=500&status=new,open,pending,resolved,closed', setup: async (a) => ({ id: await ticket(a) }), expect: 'absent' },
  { name: 'list a foreign client\'s tickets', method: 'GET', path: '/tickets?clientId=:clientId', setup: async (a) => ({ clientId: a.clientId, id: await ticket(a) }), expect: 'absent' },
  { name: 'open a ticket from a foreign alert', method: 'POST', path: '/alerts/:id/ticket', setup: async (a) => ({ id: await insertAlert(a, await insertDevice(a)) }) },
  { name: 'read a business calendar', method: 'GET', path: '/business-calendars/:id', setup: async (a) => ({ id: await calendar(a) }) },
  { name: 'change a business calendar', method: 'PATCH', path: '/business-calendars/:id', body: () => ({ name: 'Hijacked' }), setup: async (a) => ({ id: await calendar(a) }) },
  { name: 'delete a business calendar', method: 'DELETE', path: '/business-calendars/:id', setup: async (a) => ({ id: await calendar(a) }) },
  { name: 'list business calendars', method: 'GET', path: '/business-calendars?limit=1000', setup: async (a) => ({ id: await calendar(a) }), expect: 'absent' },
  { name: 'read an SLA policy', method: 'GET', path: '/sla-policies/:id', setup: async (a) => ({ id: await slaPolicy(a) }) },
  { name: 'change an SLA policy', method: 'PATCH', path: '/sla-policies/:id', body: () => ({ name: 'Hijacked' }), setup: async (a) => ({ id: await slaPolicy(a) }) },
  { name: 'delete an SLA policy', method: 'DELETE', path: '/sla-policies/:id', setup: async (a) => ({ id: await slaPolicy(a) }) },
  { name: 'list SLA policies', method: 'GET', path: '/sla-policies?limit=1000', setup: async (a) => ({ id: await slaPolicy(a) }), expect: 'absent' },
  {
    name: 'SLA policy for a foreign client or on a foreign calendar',
    method: 'POST',
    path: '/sla-policies',
    body: (ids) => ({ name: 'x', clientId: ids.clientId, calendarId: ids.calendarId, targets: {} }),
    setup: async (a) => ({ clientId: a.clientId, calendarId: await calendar(a) }),
    expect: 400,
  },
  // service desk: alert → ticket rules
  { name: 'read a ticket rule', method: 'GET', path: '/ticket-rules/:id', setup: async (a) => ({ id: await post(a, '/ticket-rules', { name: 'A rule' }) }) },
  {
    name: 'change a ticket rule',
    method: 'PATCH',
    path: '/ticket-rules/:id',
    body: () => ({ name: 'Hijacked', enabled: false }),
    setup: async (a) => ({ id: await post(a, '/ticket-rules', { name: 'A rule' }) }),
  },
  { name: 'delete a ticket rule', method: 'DELETE', path: '/ticket-rules/:id', setup: async (a) => ({ id: await post(a, '/ticket-rules', { name: 'A rule' }) }) },
  {
    name: 'list ticket rules',
    method: 'GET',
    path: '/ticket-rules?limit=1000',
    setup: async (a) => ({ id: await post(a, '/ticket-rules', { name: 'A listed rule' }) }),
    expect: 'absent',
  },
  {
    name: 'reorder a foreign ticket rule',
    method: 'POST',
    path: '/ticket-rules/reorder',
    body: (ids) => ({ ids: [ids.id] }),
    setup: async (a) => ({ id: await post(a, '/ticket-rules', { name: 'A rule' }) }),
    expect: 400,
  },
  {
    name: 'preview a template on a foreign alert',
    method: 'POST',
    path: '/ticket-rules/preview',
    body: (ids) => ({ titleTemplate: '{{alert.message}}', alertId: ids.alert }),
    setup: async (a) => ({ alert: await insertAlert(a, await insertDevice(a)) }),
  },
  {
    name: 'assign rule tickets to a foreign user',
    method: 'POST',
    path: '/ticket-rules',
    body: (ids) => ({ name: 'x', assignment: { mode: 'fixed', userId: ids.user } }),
    setup: async (a) => ({ user: a.userId }),
    expect: 400,
  },
  {
    name: 'match a foreign client and site in a rule',
    method: 'POST',
    path: '/ticket-rules',
    body: (ids) => ({ name: 'x', match: { clientIds: [ids.clientId], siteIds: [ids.siteId] } }),
    setup: async (a) => ({ clientId: a.clientId, siteId: a.siteId }),
    expect: 400,
  },
  // scripts, commands and jobs
  { name: 'read a foreign script', method: 'GET', path: '/scripts/:id', setup: async (a) => ({ id: await script(a) }) },
  { name: 'edit a foreign script', method: 'PATCH', path: '/scripts/:id', body: () => ({ body: 'echo hijacked' }), setup: async (a) => ({ id: await script(a) }) },
  { name: 'delete a foreign script', method: 'DELETE', path: '/scripts/:id', setup: async (a) => ({ id: await script(a) }) },
  { name: 'list a foreign script’s versions', method: 'GET', path: '/scripts/:id/versions', setup: async (a) => ({ id: await script(a) }) },
  { name: 'duplicate a foreign script', method: 'POST', path: '/scripts/:id/duplicate', body: () => ({}), setup: async (a) => ({ id: await script(a) }) },
  { name: 'list scripts', method: 'GET', path: '/scripts?source=custom&limit=200', setup: async (a) => ({ id: await script(a) }), expect: 'absent' },
  {
    name: 'run a foreign script on an own device',
    method: 'POST',
    path: '/devices/:device/commands',
    body: (ids) => ({ type: 'script', scriptId: ids.script }),
    setup: async (a, b) => ({ script: await script(a), device: await insertDevice(b) }),
  },
  { name: 'cancel a foreign command', method: 'POST', path: '/commands/:id/cancel', setup: async (a) => ({ id: await queuedCommand(a) }) },
  { name: 'download a foreign command’s file', method: 'GET', path: '/commands/:id/file', setup: async (a) => ({ id: await queuedCommand(a) }) },
  { name: 'command history', method: 'GET', path: '/commands?limit=200', setup: async (a) => ({ id: await queuedCommand(a) }), expect: 'absent' },
  { name: 'read a foreign job', method: 'GET', path: '/jobs/:id', setup: async (a) => ({ id: await job(a) }) },
  { name: 'list a foreign job’s devices', method: 'GET', path: '/jobs/:id/devices', setup: async (a) => ({ id: await job(a) }) },
  { name: 'export a foreign job', method: 'GET', path: '/jobs/:id/export.csv', setup: async (a) => ({ id: await job(a) }) },
  { name: 'approve a foreign job', method: 'POST', path: '/jobs/:id/approve', body: () => ({}), setup: async (a) => ({ id: await job(a) }) },
  { name: 'reject a foreign job', method: 'POST', path: '/jobs/:id/reject', body: () => ({}), setup: async (a) => ({ id: await job(a) }) },
  { name: 'cancel a foreign job', method: 'POST', path: '/jobs/:id/cancel', body: () => ({}), setup: async (a) => ({ id: await job(a) }) },
  { name: 'retry a foreign job', method: 'POST', path: '/jobs/:id/retry', body: () => ({}), setup: async (a) => ({ id: await job(a) }) },
  { name: 'promote a foreign job', method: 'POST', path: '/jobs/:id/promote', body: () => ({ reason: 'go' }), setup: async (a) => ({ id: await job(a) }) },
  { name: 'roll back a foreign job', method: 'POST', path: '/jobs/:id/rollback', body: () => ({}), setup: async (a) => ({ id: await job(a) }) },
  { name: 'list jobs of a kind', method: 'GET', path: '/jobs?kind=command&limit=200', setup: async (a) => ({ id: await job(a) }), expect: 'absent' },
  { name: 'list jobs', method: 'GET', path: '/jobs?limit=200', setup: async (a) => ({ id: await job(a) }), expect: 'absent' },
  {
    name: 'aim a job at a foreign device',
    method: 'POST',
    path: '/jobs',
    body: (ids) => ({ action: { type: 'process_list' }, target: { deviceIds: [ids.device] } }),
    setup: async (a) => ({ device: await insertDevice(a) }),
  },
  {
    name: 'preview a job on a foreign group',
    method: 'POST',
    path: '/jobs/preview',
    body: (ids) => ({ target: { groupIds: [ids.group] } }),
    setup: async (a) => ({ group: await group(a) }),
  },
  // lifecycle
  { name: 'read a foreign device’s lifecycle', method: 'GET', path: '/devices/:id/lifecycle', setup: async (a) => ({ id: await insertDevice(a) }) },
  {
    name: 'lifecycle report',
    method: 'GET',
    path: '/reports/lifecycle?limit=500',
    setup: async (a) => ({ id: await insertDevice(a, { hostname: `a-life-${Math.random()}` }) }),
    expect: 'absent',
  },
  {
    name: 'lifecycle report of a foreign client',
    method: 'GET',
    path: '/reports/lifecycle?clientId=:clientId',
    setup: async (a) => ({ clientId: a.clientId, id: await insertDevice(a) }),
    expect: 'absent',
  },
  {
    name: 'lifecycle CSV',
    method: 'GET',
    path: '/reports/lifecycle.csv',
    setup: async (a) => {
      const hostname = `a-life-csv-${Math.random()}`;
      return { id: await insertDevice(a, { hostname }), hostname };
    },
    expect: 'absent',
  },
  { name: 'own lifecycle settings leave another tenant’s alone', method: 'PUT', path: '/settings/lifecycle', body: () => ({ replaceAfterYears: 9 }), setup: async () => ({}), expect: 200 },
  // inventory, fleet search and saved searches
  { name: 'read a foreign device’s inventory', method: 'GET', path: '/devices/:id/inventory', setup: (a) => inventoried(a) },
  { name: 'list a foreign device’s software', method: 'GET', path: '/devices/:id/software', setup: (a) => inventoried(a) },
  { name: 'export a foreign device’s software', method: 'GET', path: '/devices/:id/software.csv', setup: (a) => inventoried(a) },
  { name: 'list a foreign device’s changes', method: 'GET', path: '/devices/:id/changes', setup: (a) => inventoried(a) },
  { name: 'export a foreign device’s changes', method: 'GET', path: '/devices/:id/changes.csv', setup: (a) => inventoried(a) },
  { name: 'a foreign device’s SBOM', method: 'GET', path: '/devices/:id/sbom', setup: (a) => inventoried(a) },
  { name: 'fleet software', method: 'GET', path: '/inventory/software?limit=500', setup: (a) => inventoried(a), expect: 'absent' },
  { name: 'fleet software of a foreign client', method: 'GET', path: '/inventory/software?clientId=:clientId', setup: async (a) => ({ ...(await inventoried(a)), clientId: a.clientId }), expect: 'absent' },
  { name: 'fleet software CSV', method: 'GET', path: '/inventory/software.csv', setup: (a) => inventoried(a), expect: 'absent' },
  { name: 'fleet changes', method: 'GET', path: '/inventory/changes?limit=500', setup: (a) => inventoried(a), expect: 'absent' },
  { name: 'fleet changes of a foreign client', method: 'GET', path: '/inventory/changes?clientId=:clientId', setup: async (a) => ({ ...(await inventoried(a)), clientId: a.clientId }), expect: 'absent' },
  { name: 'fleet changes CSV', method: 'GET', path: '/inventory/changes.csv', setup: (a) => inventoried(a), expect: 'absent' },
  {
    name: 'fleet search for a foreign device’s software',
    method: 'POST',
    path: '/inventory/search',
    body: (ids) => ({ query: { conditions: [{ field: 'software', op: 'installed', name: ids.name, match: 'equals' }] } }),
    setup: (a) => inventoried(a),
    expect: 'absent',
  },
  {
    name: 'fleet search of a foreign client',
    method: 'POST',
    path: '/inventory/search',
    body: (ids) => ({ query: { conditions: [{ field: 'hostname', op: 'contains', value: '-' }], filter: { clientId: ids.clientId } } }),
    setup: async (a) => ({ ...(await inventoried(a)), clientId: a.clientId }),
    expect: 'absent',
  },
  {
    name: 'fleet search CSV',
    method: 'POST',
    path: '/inventory/search.csv',
    body: (ids) => ({ query: { conditions: [{ field: 'software', op: 'installed', name: ids.name }] } }),
    setup: (a) => inventoried(a),
    expect: 'absent',
  },
  { name: 'read a foreign saved search', method: 'GET', path: '/searches/:id', setup: async (a) => ({ id: await savedSearch(a) }) },
  { name: 'edit a foreign saved search', method: 'PATCH', path: '/searches/:id', body: () => ({ name: 'Hijacked' }), setup: async (a) => ({ id: await savedSearch(a) }) },
  { name: 'delete a foreign saved search', method: 'DELETE', path: '/searches/:id', setup: async (a) => ({ id: await savedSearch(a) }) },
  { name: 'run a foreign saved search', method: 'GET', path: '/searches/:id/results', setup: async (a) => ({ id: await savedSearch(a) }) },
  { name: 'export a foreign saved search', method: 'GET', path: '/searches/:id/results.csv', setup: async (a) => ({ id: await savedSearch(a) }) },
  { name: 'list saved searches', method: 'GET', path: '/searches?limit=500', setup: async (a) => ({ id: await savedSearch(a) }), expect: 'absent' },
  {
    name: 'aim a job at a foreign saved search',
    method: 'POST',
    path: '/jobs',
    body: (ids) => ({ action: { type: 'process_list' }, target: { searchIds: [ids.search] } }),
    setup: async (a) => ({ search: await savedSearch(a) }),
  },
  {
    name: 'preview a job on a foreign saved search',
    method: 'POST',
    path: '/jobs/preview',
    body: (ids) => ({ target: { searchIds: [ids.search] } }),
    setup: async (a) => ({ search: await savedSearch(a) }),
  },
  // client portal, called by a portal user of B's client
  { name: 'read a ticket in the portal', method: 'GET', path: '/portal/tickets/:id', caller: portalUser, setup: async (a) => ({ id: await ticket(a) }) },
  { name: 'reply in the portal', method: 'POST', path: '/portal/tickets/:id/comments', body: () => ({ body: 'hello' }), caller: portalUser, setup: async (a) => ({ id: await ticket(a) }) },
  {
    name: 'open a portal ticket on a foreign device',
    method: 'POST',
    path: '/portal/tickets',
    body: (ids) => ({ title: 'x', description: 'y', deviceId: ids.device }),
    caller: portalUser,
    setup: async (a) => ({ device: await insertDevice(a) }),
  },
  { name: 'list portal tickets', method: 'GET', path: '/portal/tickets?state=all&limit=200', caller: portalUser, setup: async (a) => ({ id: await ticket(a) }), expect: 'absent' },
  { name: 'list portal devices', method: 'GET', path: '/portal/devices?limit=200', caller: portalUser, setup: async (a) => ({ id: await insertDevice(a) }), expect: 'absent' },
  // warranties and licences
  { name: 'read a foreign device’s warranty', method: 'GET', path: '/devices/:id/warranty', setup: async (a) => ({ id: await warrantied(a) }) },
  { name: 'set a foreign device’s warranty', method: 'PUT', path: '/devices/:id/warranty', body: () => ({ vendor: 'Dell', end: '2030-01-01' }), setup: async (a) => ({ id: await insertDevice(a) }) },
  { name: 'remove a foreign device’s warranty', method: 'DELETE', path: '/devices/:id/warranty', setup: async (a) => ({ id: await warrantied(a) }) },
  { name: 'set a foreign device’s asset facts', method: 'PUT', path: '/devices/:id/asset', body: () => ({ assetTag: 'HIJACK' }), setup: async (a) => ({ id: await insertDevice(a) }) },
  { name: 'list warranties', method: 'GET', path: '/warranties?limit=500', setup: async (a) => ({ id: await warrantied(a) }), expect: 'absent' },
  { name: 'warranties of a foreign client', method: 'GET', path: '/warranties?clientId=:clientId', setup: async (a) => ({ id: await warrantied(a), clientId: a.clientId }), expect: 'absent' },
  { name: 'export warranties', method: 'GET', path: '/warranties.csv', setup: async (a) => ({ id: await warrantied(a) }), expect: 'absent' },
  {
    // The serial is another tenant's: nothing of that tenant is written (the snapshot check).
    name: 'import warranties for a foreign serial',
    method: 'POST',
    path: '/warranties/import',
    body: () => ({ csv: `serial,vendor,end\n${FOREIGN_SERIAL},Dell,2031-01-01` }),
    setup: async (a) => ({ id: await warrantied(a) }),
    expect: 200,
  },
  { name: 'run a foreign tenant’s warranty lookup', method: 'POST', path: '/warranty-providers/dell/run', setup: async (a) => ({ id: await warrantyProvider(a) }) },
  { name: 'remove a foreign tenant’s warranty provider', method: 'DELETE', path: '/warranty-providers/dell', setup: async (a) => ({ id: await warrantyProvider(a) }) },
  { name: 'read a foreign licence', method: 'GET', path: '/licences/:id', setup: async (a) => ({ id: await licence(a) }) },
  { name: 'edit a foreign licence', method: 'PATCH', path: '/licences/:id', body: () => ({ seats: 1000 }), setup: async (a) => ({ id: await licence(a) }) },
  { name: 'delete a foreign licence', method: 'DELETE', path: '/licences/:id', setup: async (a) => ({ id: await licence(a) }) },
  { name: 'reveal a foreign licence key', method: 'GET', path: '/licences/:id/key', setup: async (a) => ({ id: await licence(a) }) },
  { name: 'list the seats of a foreign licence', method: 'GET', path: '/licences/:id/devices', setup: async (a) => ({ id: await licence(a) }) },
  { name: 'list licences', method: 'GET', path: '/licences?limit=500', setup: async (a) => ({ id: await licence(a) }), expect: 'absent' },
  { name: 'export licences', method: 'GET', path: '/licences.csv', setup: async (a) => ({ id: await licence(a) }), expect: 'absent' },
  {
    name: 'record an own licence for a foreign client',
    method: 'POST',
    path: '/licences',
    body: (ids) => ({ product: 'x', clientId: ids.clientId, seats: 1, match: { name: 'x' } }),
    setup: async (a) => ({ clientId: a.clientId }),
    expect: 400,
  },
  {
    name: 'count a foreign device against an own tenant-wide licence',
    method: 'GET',
    path: '/licences/:own/devices',
    setup: async (a, b) => {
      const { id, name } = await inventoried(a);
      const own = await post(b, '/licences', { product: 'Own', seats: 1, match: { name, exact: true } });
      return { device: id, own };
    },
    expect: 'absent',
  },
  // software catalog and the agent's package download
  { name: 'read a foreign package', method: 'GET', path: '/packages/:id', setup: async (a) => ({ id: await pkg(a) }) },
  { name: 'rename a foreign package', method: 'PATCH', path: '/packages/:id', body: () => ({ name: 'Hijacked' }), setup: async (a) => ({ id: await pkg(a) }) },
  { name: 'delete a foreign package', method: 'DELETE', path: '/packages/:id', setup: async (a) => ({ id: await pkg(a) }) },
  { name: 'list packages', method: 'GET', path: '/packages?limit=200', setup: async (a) => ({ id: await pkg(a) }), expect: 'absent' },
  { name: 'add a version to a foreign package', method: 'POST', path: '/packages/:id/versions', body: () => ({ version: '9.9', fileName: 'x.deb', size: 10 }), setup: async (a) => ({ id: await pkg(a) }) },
  { name: 'read a foreign package version', method: 'GET', path: '/packages/:id/versions/:vid', setup: (a) => pkgVersion(a) },
  { name: 'read a foreign version under an own package', method: 'GET', path: '/packages/:own/versions/:vid', setup: async (a, b) => ({ ...(await pkgVersion(a)), own: await pkg(b) }) },
  { name: 'upload a part of a foreign version', method: 'PUT', path: '/packages/:id/versions/:vid/parts/1', body: () => 'bytes', setup: (a) => pkgUpload(a) },
  { name: 'complete a foreign upload', method: 'POST', path: '/packages/:id/versions/:vid/complete', body: () => ({ parts: [{ partNumber: 1, etag: 'x' }] }), setup: (a) => pkgUpload(a) },
  { name: 'delete a foreign package version', method: 'DELETE', path: '/packages/:id/versions/:vid', setup: (a) => pkgVersion(a) },
  {
    name: 'deploy a foreign package version to an own device',
    method: 'POST',
    path: '/devices/:device/commands',
    body: (ids) => ({ type: 'deploy', versionId: ids.vid }),
    setup: async (a, b) => ({ ...(await pkgVersion(a)), device: await insertDevice(b) }),
  },
  {
    name: 'download a foreign package version with an own device token',
    method: 'GET',
    path: '/agent/packages/:vid',
    setup: (a) => pkgVersion(a),
    caller: async (b) => ({ headers: { authorization: `Bearer ${(await deviceWithToken(b)).token}` } }),
  },
  // patches: device patches, the fleet list, approvals, policies, schedules, compliance
  { name: 'read a foreign device’s patches', method: 'GET', path: '/devices/:id/patches', setup: (a) => patched(a) },
  { name: 'list fleet patches', method: 'GET', path: '/patches?limit=500', setup: (a) => patched(a), expect: 'absent' },
  { name: 'list the devices missing a foreign tenant’s patch', method: 'GET', path: '/patches/:key/devices', setup: (a) => patched(a), expect: 'absent' },
  { name: 'list fleet patches of a foreign client', method: 'GET', path: '/patches?clientId=:clientId', setup: async (a) => ({ ...(await patched(a)), clientId: a.clientId }), expect: 'absent' },
  { name: 'decide on a foreign tenant’s patch (writes only the caller’s own decision)', method: 'POST', path: '/patches/approvals', body: (ids) => ({ keys: [ids.key], decision: 'declined' }), setup: (a) => patched(a), expect: 204 },
  { name: 'patch compliance', method: 'GET', path: '/patches/compliance', setup: async (a) => ({ ...(await patched(a)), clientId: a.clientId }), expect: 'absent' },
  { name: 'patch compliance of a foreign client', method: 'GET', path: '/patches/compliance?clientId=:clientId', setup: async (a) => ({ ...(await patched(a)), clientId: a.clientId }), expect: 'absent' },
  { name: 'patch compliance CSV', method: 'GET', path: '/patches/compliance.csv', setup: async (a) => ({ ...(await patched(a)), clientId: a.clientId }), expect: 'absent' },
  { name: 'list patch policies', method: 'GET', path: '/patches/policies', setup: (a) => patchPolicy(a), expect: 'absent' },
  { name: 'set a foreign client’s patch policy', method: 'PUT', path: '/patches/policies/:clientId', body: () => ({ policy: { rules: {}, otherwise: { action: 'auto' } } }), setup: (a) => patchPolicy(a) },
  { name: 'remove a foreign client’s patch policy', method: 'DELETE', path: '/patches/policies/:clientId', setup: (a) => patchPolicy(a) },
  { name: 'read a foreign patch schedule', method: 'GET', path: '/patches/schedules/:id', setup: async (a) => ({ id: await patchSchedule(a) }) },
  { name: 'edit a foreign patch schedule', method: 'PATCH', path: '/patches/schedules/:id', body: () => ({ enabled: false }), setup: async (a) => ({ id: await patchSchedule(a) }) },
  { name: 'delete a foreign patch schedule', method: 'DELETE', path: '/patches/schedules/:id', setup: async (a) => ({ id: await patchSchedule(a) }) },
  { name: 'run a foreign patch schedule', method: 'POST', path: '/patches/schedules/:id/run', setup: async (a) => ({ id: await patchSchedule(a) }) },
  { name: 'list patch schedules', method: 'GET', path: '/patches/schedules', setup: async (a) => ({ id: await patchSchedule(a) }), expect: 'absent' },
  {
    name: 'schedule patches on a foreign device',
    method: 'POST',
    path: '/patches/schedules',
    body: (ids) => ({ name: 'x', target: { deviceIds: [ids.id] }, cron: '0 2 * * *' }),
    setup: async (a) => ({ id: await insertDevice(a) }),
  },
];

/* A device of `who` with a scan missing one update under a key no other tenant has. */
const patched = async (who: DirectTenant): Promise<Ids> => {
  const id = await insertDevice(who);
  const name = `a-only-${Math.random().toString(36).slice(2)}`;
  const key = `apt:${name}@1.0`;
  const now = Date.now();
  await env.DB.batch([
    env.DB.prepare("INSERT INTO patch_scans (device_id, tenant_id, scanned_at, sources, errors, reboot_pending, missing) VALUES (?, ?, ?, '[\"apt\"]', '[]', 0, 1)").bind(id, who.tenantId, now),
    env.DB.prepare(
      `INSERT INTO device_patches (tenant_id, device_id, key, source, name, title, classification, severity, cves, reboot_required, first_seen_at)
       VALUES (?, ?, ?, 'apt', ?, ?, 'security', 'critical', '[]', 0, ?)`,
    ).bind(who.tenantId, id, key, name, name, now),
  ]);
  return { id, name, key };
};
const patchPolicy = async (who: DirectTenant): Promise<Ids> => {
  const res = await api(who, 'PUT', `/patches/policies/${who.clientId}`, { policy: { rules: {}, otherwise: { action: 'manual' } } });
  if (res.status !== 200) throw new Error(`setup patch policy: ${res.status}`);
  return { clientId: who.clientId };
};
const patchSchedule = async (who: DirectTenant) => post(who, '/patches/schedules', { name: 'A patch night', target: { deviceIds: [await insertDevice(who)] }, cron: '0 2 * * *' });

/* A package of `who`, a ready version of it, an upload still open. */
const pkg = async (who: DirectTenant) => (await createPackage(who, { name: `A package ${Math.random()}` })).id;
const pkgVersion = async (who: DirectTenant): Promise<Ids> => {
  const id = await pkg(who);
  return { id, vid: (await readyVersion(who, id, '1.0')).id };
};
const pkgUpload = async (who: DirectTenant): Promise<Ids> => {
  const id = await pkg(who);
  const res = await api(who, 'POST', `/packages/${id}/versions`, { version: '1.0', fileName: 'a.deb', size: 10 });
  if (res.status !== 201) throw new Error(`setup upload: ${res.status}`);
  return { id, vid: res.body.id };
};
/* A Slack integration of `who`, written straight to D1 (its inbound endpoints are signed, not session-called). */
const chatIntegration = (who: DirectTenant) =>
  insertChatIntegration(who, 'slack', { webhookUrl: 'https://hooks.slack.com/services/T0/B0/isolation', signingSecret: 'isolation-signing-secret' });
/* An integration of `who` posting to the local receiver, one delivery of it, a policy using it. */
const integration = (who: DirectTenant) => post(who, '/integrations', { kind: 'webhook', name: 'A hook', config: { url: receiverTarget('isolation').url } });
const delivery = async (who: DirectTenant): Promise<Ids> => {
  const id = await integration(who);
  const res = await api(who, 'POST', `/integrations/${id}/test`);
  if (res.status !== 200) throw new Error(`setup test delivery: ${res.status}`);
  return { id: res.body.deliveryId, delivery: res.body.deliveryId, integration: id };
};
const notifyPolicy = async (who: DirectTenant) => post(who, '/notification-policies', { name: 'A policy', integrationIds: [await integration(who)] });

let a: DirectTenant;
let b: DirectTenant;
beforeAll(async () => {
  a = await createTenantDirect('Tenant A');
  b = await createTenantDirect('Tenant B');
  // A second credential of A's, so A's sessions and tokens are part of what must not change.
  await tokenFor(a, 'readonly');
});

describe('tenant isolation', () => {
  for (const row of rows) {
    it(`${row.method} ${row.path}: ${row.name}`, async () => {
      const ids = await row.setup(a, b);
      const path = row.path.replace(/:([a-zA-Z]+)/g, (_, key: string) => {
        if (!(key in ids)) throw new Error(`setup returned no ${key}`);
        return encodeURIComponent(ids[key]);
      });
      const caller = row.caller ? await row.caller(b) : b;
      const before = await snapshotTenant(a.tenantId);
      const res = await api(caller, row.method, path, row.body?.(ids));
      const expected = row.expect ?? 404;
      if (expected === 'absent') {
        expect(res.status).toBe(200);
        const text = JSON.stringify(res.body);
        for (const value of [a.tenantId, ...Object.values(ids)]) expect(text).not.toContain(value);
      } else {
        expect(res.status).toBe(expected);
        if (expected === 404) {
          expect(res.body.error.code).toBe('not_found');
          // The route matched and refused: not the router's "no route" answer.
          expect(res.body.error.message).not.toMatch(/^no route/);
        }
      }
      expect(await snapshotTenant(a.tenantId)).toEqual(before);
    });
  }
});
