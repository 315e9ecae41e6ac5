import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from './types';
import { ApiError, onError } from './lib/errors';
import { getDb } from './lib/db';
import { checkOrigin } from './middleware/origin';
import { MAX_JSON_BODY_BYTES } from '../protocol/limits';
import { healthRoutes } from './routes/health';
import { bootstrapRoutes } from './routes/bootstrap';
import { authRoutes } from './routes/auth';
import { usersRoutes } from './routes/users';
import { tokensRoutes } from './routes/tokens';
import { auditRoutes } from './routes/audit';
import { clientsRoutes } from './routes/clients';
import { sitesRoutes } from './routes/sites';
import { groupsRoutes } from './routes/groups';
import { devicesRoutes } from './routes/devices';
import { enrollmentKeysRoutes } from './routes/enrollment-keys';
import { commandsRoutes } from './routes/commands';
import { liveRoutes } from './routes/live';
import { tagsRoutes } from './routes/tags';
import { checkSetsRoutes } from './routes/check-sets';
import { assignmentsRoutes } from './routes/assignments';
import { escalationPoliciesRoutes } from './routes/escalation-policies';
import { maintenanceWindowsRoutes } from './routes/maintenance-windows';
import { alertsRoutes } from './routes/alerts';
import { notificationsRoutes } from './routes/notifications';
import { diagnosticsRoutes } from './routes/diagnostics';
import { integrationsRoutes } from './routes/integrations';
import { notificationPoliciesRoutes } from './routes/notification-policies';
import { deliveriesRoutes } from './routes/deliveries';
import { ticketRulesRoutes } from './routes/ticket-rules';
import { ticketsRoutes } from './routes/tickets';
import { isAttachmentUpload } from './lib/tickets/files';
import { isWarrantyImport } from './lib/warranty/import';
import { alertTicketRoutes } from './routes/alert-ticket';
import { businessCalendarsRoutes, slaPoliciesRoutes } from './routes/sla';
import { chatLinksRoutes } from './routes/chat-links';
import { actionLinksRoutes } from './routes/action-links';
import { portalRoutes } from './routes/portal';
import { jobsRoutes } from './routes/jobs';
import { automationSettingsRoutes } from './routes/automation-settings';
import { scriptsRoutes } from './routes/scripts';
import { warrantiesCsvRoutes, warrantiesRoutes } from './routes/warranties';
import { warrantyProvidersRoutes } from './routes/warranty-providers';
import { licencesCsvRoutes, licencesRoutes } from './routes/licences';
import { inventoryRoutes } from './routes/inventory';
import { searchesRoutes } from './routes/searches';
import { lifecycleReportRoutes } from './routes/lifecycle';
import { lifecycleSettingsRoutes } from './routes/lifecycle-settings';
import { patchesRoutes } from './routes/patches';
import { packagesRoutes } from './routes/packages';
import { isPackagePartUpload } from './lib/packages/keys';

// Ticket attachment uploads (files up to 10 MiB) and warranty CSV imports set their own, larger limit;
// package upload parts are raw bytes, bounded by their own route.
const jsonBodyLimit = bodyLimit({
  maxSize: MAX_JSON_BODY_BYTES,
  onError: () => {
    throw new ApiError(413, 'payload_too_large', `request body exceeds ${MAX_JSON_BODY_BYTES} bytes`);
  },
});

/** The versioned REST API. Its type is what the dashboard's `hc` client is built from. */
export const api = new Hono<AppEnv>()
  .use('*', async (c, next) => {
    c.set('db', getDb(c.env));
    await next();
  })
  .use('*', checkOrigin)
  .use('*', (c, next) =>
    isAttachmentUpload(c.req.method, c.req.path) || isWarrantyImport(c.req.method, c.req.path) || isPackagePartUpload(c.req.method, c.req.path) ? next() : jsonBodyLimit(c, next),
  )
  .route('/health', healthRoutes)
  .route('/bootstrap', bootstrapRoutes)
  .route('/auth', authRoutes)
  .route('/users', usersRoutes)
  .route('/tokens', tokensRoutes)
  .route('/audit', auditRoutes)
  .route('/clients', clientsRoutes)
  .route('/sites', sitesRoutes)
  .route('/groups', groupsRoutes)
  .route('/devices', devicesRoutes)
  .route('/enrollment-keys', enrollmentKeysRoutes)
  .route('/commands', commandsRoutes)
  .route('/scripts', scriptsRoutes)
  .route('/tags', tagsRoutes)
  .route('/check-sets', checkSetsRoutes)
  .route('/check-set-assignments', assignmentsRoutes)
  .route('/escalation-policies', escalationPoliciesRoutes)
  .route('/maintenance-windows', maintenanceWindowsRoutes)
  .route('/alerts', alertsRoutes)
  .route('/alerts', alertTicketRoutes)
  .route('/tickets', ticketsRoutes)
  .route('/business-calendars', businessCalendarsRoutes)
  .route('/sla-policies', slaPoliciesRoutes)
  .route('/ticket-rules', ticketRulesRoutes)
  .route('/notifications', notificationsRoutes)
  .route('/diagnostics', diagnosticsRoutes)
  .route('/integrations', integrationsRoutes)
  .route('/integrations', chatLinksRoutes)
  .route('/notification-policies', notificationPoliciesRoutes)
  .route('/deliveries', deliveriesRoutes)
  .route('/action-links', actionLinksRoutes)
  .route('/jobs', jobsRoutes)
  .route('/settings/automation', automationSettingsRoutes)
  .route('/warranties', warrantiesRoutes)
  .route('/warranties.csv', warrantiesCsvRoutes)
  .route('/warranty-providers', warrantyProvidersRoutes)
  .route('/licences', licencesRoutes)
  .route('/licences.csv', licencesCsvRoutes)
  .route('/inventory', inventoryRoutes)
  .route('/searches', searchesRoutes)
  .route('/patches', patchesRoutes)
  .route('/packages', packagesRoutes)
  .route('/settings/lifecycle', lifecycleSettingsRoutes)
  .route('/reports', lifecycleReportRoutes)
  .route('/live', liveRoutes)
  .route('/portal', portalRoutes);

api.onError(onError);
api.notFound((c) => c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404));

export type AppType = typeof api;
