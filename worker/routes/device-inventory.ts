import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { and, asc, eq } from 'drizzle-orm';
import type { AppEnv, AuthContext, Db } from '../types';
import { deviceInventory, deviceSoftware } from '../../db/inventory-schema';
import { IdParam } from '../../protocol/api/common';
import { ChangePage, ChangesQuery, DeviceInventoryView, SoftwareListQuery, SoftwarePage } from '../../protocol/api/inventory';
import { valid } from '../lib/validate';
import { requireRole } from '../lib/roles';
import { loadDevice } from '../lib/device-access';
import { deviceHub } from '../lib/hubs';
import { errors, jsonBody } from '../lib/responses';
import { listDeviceSoftware, softwareColumns } from '../lib/inventory/device-software';
import { CHANGE_CSV_HEADER, changeCsvCells, listChanges } from '../lib/inventory/changes';
import { csvResponse, downloadHeaders, EXPORT_PAGE, isoTime } from '../lib/inventory/csv-export';
import { endOfLifeView } from '../lib/inventory/os-eol-keys';
import { deviceSbom } from '../lib/inventory/sbom';
import pkg from '../../package.json';

const tags = ['inventory'];
const READ = 'Any staff role, for a device the caller may see.';

/** A device the caller may read (portal users are refused), or its 404. */
async function readableDevice(db: Db, auth: AuthContext, id: string) {
  requireRole(auth, 'readonly');
  return loadDevice(db, auth, id);
}

const SOFTWARE_CSV_HEADER = ['name', 'version', 'publisher', 'source', 'arch', 'installed at', 'size bytes', 'first seen at'];

/** A device's inventory, software, changes and SBOM: mounted under /devices. */
export const deviceInventoryRoutes = new Hono<AppEnv>()
  .get(
    '/:id/inventory',
    describeRoute({
      tags,
      summary: "A device's OS and hardware inventory, its OS end of life, and inventory frames the hub refused",
      description: `${READ} \`inventory\` is null until the device has reported one.`,
      responses: { 200: jsonBody('DeviceInventoryView', DeviceInventoryView), ...errors(401, 403, 404) },
    }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      const device = await readableDevice(db, auth, c.req.valid('param').id);
      const row = await db
        .select()
        .from(deviceInventory)
        .where(and(eq(deviceInventory.tenantId, auth.tenantId), eq(deviceInventory.deviceId, device.id)))
        .get();
      const status = await deviceHub(c.env, device.id)
        .getInventoryStatus()
        .catch((err: unknown) => {
          console.error('device hub inventory status failed', device.id, err);
          return null;
        });
      const view: DeviceInventoryView = {
        inventory: row
          ? { hash: row.hash, collectedAt: row.collectedAt, updatedAt: row.updatedAt, os: row.os, hardware: row.hardware, softwareCount: row.softwareCount }
          : null,
        osEndOfLife: row ? endOfLifeView(row.os, Date.now()) : null,
        // An unreachable hub reports no refusals rather than failing the whole view.
        rejected: status?.rejected ?? { count: 0, lastAt: null, lastReason: null },
      };
      return c.json(view);
    },
  )
  .get(
    '/:id/software',
    describeRoute({
      tags,
      summary: "A device's installed software: search by name or publisher, filter by source, sort, cursor pages",
      description: READ,
      responses: { 200: jsonBody('SoftwarePage', SoftwarePage), ...errors(400, 401, 403, 404) },
    }),
    valid('param', IdParam),
    valid('query', SoftwareListQuery),
    async (c) => {
      const { auth, db } = c.var;
      const device = await readableDevice(db, auth, c.req.valid('param').id);
      return c.json(await listDeviceSoftware(db, auth.tenantId, device.id, c.req.valid('query')));
    },
  )
  .get(
    '/:id/software.csv',
    describeRoute({
      tags,
      summary: "A device's installed software as CSV (the list's search, source and sort; every page)",
      description: READ,
      responses: { 200: { description: 'text/csv' }, ...errors(400, 401, 403, 404) },
    }),
    valid('param', IdParam),
    valid('query', SoftwareListQuery),
    async (c) => {
      const { auth, db } = c.var;
      const device = await readableDevice(db, auth, c.req.valid('param').id);
      const q = c.req.valid('query');
      return csvResponse(`software-${device.hostname}.csv`, SOFTWARE_CSV_HEADER, async (cursor) => {
        const page = await listDeviceSoftware(db, auth.tenantId, device.id, { ...q, cursor }, EXPORT_PAGE);
        const rows = page.items.map((s) => [s.name, s.version, s.publisher, s.source, s.arch, isoTime(s.installedAt), s.sizeBytes, isoTime(s.firstSeenAt)]);
        return { rows, nextCursor: page.nextCursor };
      });
    },
  )
  .get(
    '/:id/changes',
    describeRoute({
      tags,
      summary: "A device's inventory changes, newest first: kind, text and time filters, cursor pages",
      description: READ,
      responses: { 200: jsonBody('ChangePage', ChangePage), ...errors(400, 401, 403, 404) },
    }),
    valid('param', IdParam),
    valid('query', ChangesQuery),
    async (c) => {
      const { auth, db } = c.var;
      const device = await readableDevice(db, auth, c.req.valid('param').id);
      return c.json(await listChanges(db, auth, c.req.valid('query'), device.id));
    },
  )
  .get(
    '/:id/changes.csv',
    describeRoute({
      tags,
      summary: "A device's inventory changes as CSV (the list's filters; every page)",
      description: READ,
      responses: { 200: { description: 'text/csv' }, ...errors(400, 401, 403, 404) },
    }),
    valid('param', IdParam),
    valid('query', ChangesQuery),
    async (c) => {
      const { auth, db } = c.var;
      const device = await readableDevice(db, auth, c.req.valid('param').id);
      const q = c.req.valid('query');
      return csvResponse(`changes-${device.hostname}.csv`, CHANGE_CSV_HEADER, async (cursor) => {
        const page = await listChanges(db, auth, { ...q, cursor }, device.id, EXPORT_PAGE);
        return { rows: page.items.map(changeCsvCells), nextCursor: page.nextCursor };
      });
    },
  )
  .get(
    '/:id/sbom',
    describeRoute({
      tags,
      summary: "A device's software bill of materials (CycloneDX 1.6 JSON, as a download)",
      description: `${READ} Components carry package URLs; the OS is a component of its own when inventory has reported it.`,
      responses: { 200: { description: 'application/vnd.cyclonedx+json' }, ...errors(401, 403, 404) },
    }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      const device = await readableDevice(db, auth, c.req.valid('param').id);
      const [inv, software] = await db.batch([
        db
          .select({ os: deviceInventory.os })
          .from(deviceInventory)
          .where(and(eq(deviceInventory.tenantId, auth.tenantId), eq(deviceInventory.deviceId, device.id))),
        db
          .select(softwareColumns)
          .from(deviceSoftware)
          .where(and(eq(deviceSoftware.tenantId, auth.tenantId), eq(deviceSoftware.deviceId, device.id)))
          .orderBy(asc(deviceSoftware.key)),
      ]);
      const bom = await deviceSbom({
        device: { id: device.id, hostname: device.hostname, os: inv[0]?.os ?? null },
        software: software.map(({ key: _key, firstSeenAt: _seen, ...item }) => item),
        generatedAt: Date.now(),
        toolVersion: pkg.version,
      });
      return c.body(JSON.stringify(bom, null, 2), 200, downloadHeaders(`sbom-${device.hostname}.cdx.json`, 'application/vnd.cyclonedx+json'));
    },
  );
