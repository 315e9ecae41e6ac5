import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../types';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { requireRole } from '../lib/roles';
import { errors, jsonBody } from '../lib/responses';
import { LifecycleReport, LifecycleReportQuery } from '../../protocol/api/lifecycle';
import { lifecycleCsv, lifecycleReport } from '../lib/lifecycle/report';

const tags = ['lifecycle'];

const READ =
  'Read-only or higher; limited to the caller’s clients. Worst score first (then hostname). The summary counts the ' +
  'client-filtered fleet before the grade filter: devices per grade, how many are due for replacement within 12 months, ' +
  'and the average age of those whose age is known.';

/** The fleet's lifecycle report: mounted under /reports. */
export const lifecycleReportRoutes = new Hono<AppEnv>()
  .use('*', requireAuth)
  .get(
    '/lifecycle',
    describeRoute({
      tags,
      summary: 'Every device’s health score, grade, age and replacement date, worst first, with a summary',
      description: READ,
      responses: { 200: jsonBody('a page of devices and the summary', LifecycleReport), ...errors(400, 401, 403) },
    }),
    valid('query', LifecycleReportQuery),
    async (c) => {
      requireRole(c.var.auth, 'readonly');
      return c.json(await lifecycleReport(c.var.db, c.var.auth, c.req.valid('query')), 200);
    },
  )
  .get(
    '/lifecycle.csv',
    describeRoute({
      tags,
      summary: 'The lifecycle report as CSV: every matching device with its score, grade, age, replacement date and component scores',
      description: `${READ} \`cursor\` and \`limit\` are ignored: the file holds every matching device.`,
      responses: { 200: { description: 'text/csv' }, ...errors(400, 401, 403) },
    }),
    valid('query', LifecycleReportQuery),
    async (c) => {
      requireRole(c.var.auth, 'readonly');
      return lifecycleCsv(c.var.db, c.var.auth, c.req.valid('query'));
    },
  );
