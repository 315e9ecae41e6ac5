import { Hono } from 'hono';
import type { AppEnv } from './types';
import { api } from './app';
import { agentRoutes } from './routes/agent';
import { openApiRoutes } from './routes/openapi';
import { slackRoutes } from './routes/slack';
import { teamsRoutes } from './routes/teams';
import { onError } from './lib/errors';
import { getDb } from './lib/db';

export { DeviceHub } from '../durable/device-hub';
export { TenantHub } from '../durable/tenant-hub';

const app = new Hono<AppEnv>()
  .use('/agent/*', async (c, next) => {
    c.set('db', getDb(c.env));
    await next();
  })
  .route('/agent', agentRoutes)
  // Signed by Slack / Teams, not by a session: outside the API's Origin (CSRF) check, like the agent.
  .route('/api/v1/integrations/slack', slackRoutes)
  .route('/api/v1/integrations/teams', teamsRoutes)
  .route('/api/v1/openapi.json', openApiRoutes)
  .route('/api/v1', api)
  .get('/healthz', (c) => c.text('ok'))
  // Unknown API and agent paths are JSON 404s, never the dashboard's HTML.
  .all('/api/*', (c) => c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404))
  .all('/agent/*', (c) => c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404));

app.onError(onError);
// Anything else is the dashboard (static assets with single-page-app fallback).
app.notFound((c) => (c.env.ASSETS ? c.env.ASSETS.fetch(c.req.raw) : c.text('not found', 404)));

export default app;
