import { Hono } from 'hono';
import { openAPIRouteHandler } from 'hono-openapi';
import type { AppEnv } from '../types';
import { api } from '../app';

/** The OpenAPI document, generated from the same valibot schemas the routes validate with. */
export const openApiRoutes = new Hono<AppEnv>().get(
  '/',
  openAPIRouteHandler(api, {
    // CSV exports such as /inventory/software.csv are routes, not static files.
    excludeStaticFile: false,
    documentation: {
      info: { title: 'Tether API', version: '1', description: 'Remote monitoring and management for MSPs.' },
      servers: [{ url: '/api/v1' }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API token (tat_…)' },
          session: { type: 'apiKey', in: 'cookie', name: 'tether_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
  }),
);
