import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { Id } from '../../protocol/api/common';
import type { AppEnv } from '../types';
import { valid } from '../lib/validate';
import { loadDevice } from '../lib/device-access';
import { deviceHub } from '../lib/hubs';
import { errors } from '../lib/responses';

const SectionParam = v.object({ id: Id, section: v.picklist(['services', 'processes', 'security', 'smart']) });
const EventsQuery = v.object({
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d+$/, 'must be a whole number'), v.transform(Number), v.minValue(1), v.maxValue(500))),
  before: v.optional(v.pipe(v.string(), v.regex(/^\d+$/, 'must be a whole number'), v.transform(Number))),
});
const IdParam = v.object({ id: Id });

/** What the agent's slower collectors last reported, from the device's hub: mounted under /devices. */
export const deviceStateRoutes = new Hono<AppEnv>()
  .get(
    '/:id/state/:section',
    describeRoute({
      tags: ['devices'],
      summary: 'Latest services, processes, security state or SMART report of a device',
      description: '`at` is null (and `data` too) until the agent has reported that section. Agent text: render as text only.',
      responses: { 200: { description: '{ at, data }' }, ...errors(400, 404) },
    }),
    valid('param', SectionParam),
    async (c) => {
      const { id, section } = c.req.valid('param');
      const device = await loadDevice(c.var.db, c.var.auth, id);
      const rec = await deviceHub(c.env, device.id).getSection(section);
      return c.json({ at: rec?.at ?? null, data: rec?.data ?? null }, 200);
    },
  )
  .get(
    '/:id/events',
    describeRoute({
      tags: ['devices'],
      summary: 'Recent event-log entries (error and worse), newest first',
      description: 'The hub keeps the last 1,000 entries. Page back with `before` = the smallest id seen.',
      responses: { 200: { description: '{ items }' }, ...errors(400, 404) },
    }),
    valid('param', IdParam),
    valid('query', EventsQuery),
    async (c) => {
      const device = await loadDevice(c.var.db, c.var.auth, c.req.valid('param').id);
      const q = c.req.valid('query');
      const items = await deviceHub(c.env, device.id).getEvents(q.limit ?? 100, q.before);
      return c.json({ items }, 200);
    },
  );
