import { sqliteTable, text, integer, index, primaryKey } from 'drizzle-orm/sqlite-core';
import { CHANGE_KINDS, type HardwareInventory, type OsInventory, type SoftwareSource } from '../protocol/inventory';
import type { FleetQuery } from '../protocol/api/fleet-search';
import type { LicenceMatch } from '../protocol/api/licences';

/*
 * Asset management. The DeviceHub owns each device's current inventory (it applies the
 * agent's snapshots and diffs) and writes here only what changed: one row per software item,
 * one row per device for os + hardware (with the columns fleet search filters on pulled out),
 * and one change row per addition, removal, upgrade or hardware/os change. Warranties,
 * licences, asset facts and saved searches are the technicians' records.
 */

const ts = (name: string) => integer(name);

export const deviceInventory = sqliteTable(
  'device_inventory',
  {
    deviceId: text('device_id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    /** inventoryHash() of the snapshot these rows hold. */
    hash: text('hash').notNull(),
    /** Agent clock of the collection, ms. */
    collectedAt: ts('collected_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
    os: text('os', { mode: 'json' }).$type<OsInventory>().notNull(),
    hardware: text('hardware', { mode: 'json' }).$type<HardwareInventory>().notNull(),
    // Pulled out of `hardware` / `os` for fleet search and lists (agent text: render as text).
    manufacturer: text('manufacturer'),
    model: text('model'),
    serial: text('serial'),
    chassis: text('chassis'),
    cpuModel: text('cpu_model'),
    cpuCores: integer('cpu_cores'),
    ramBytes: integer('ram_bytes'),
    /** Sum of physical disks' sizes. */
    diskBytes: integer('disk_bytes'),
    osName: text('os_name'),
    osVersion: text('os_version'),
    /** versionKey(osVersion), so "older than" compares. */
    osVersionKey: text('os_version_key'),
    /** BIOS release date, YYYY-MM-DD: the age of a device without a purchase date. */
    firmwareDate: text('firmware_date'),
    softwareCount: integer('software_count').notNull().default(0),
  },
  (t) => [index('device_inventory_tenant').on(t.tenantId), index('device_inventory_tenant_serial').on(t.tenantId, t.serial)],
);

export const deviceSoftware = sqliteTable(
  'device_software',
  {
    tenantId: text('tenant_id').notNull(),
    deviceId: text('device_id').notNull(),
    /** softwareKey(): source:name:arch. */
    key: text('key').notNull(),
    name: text('name').notNull(),
    /** lower(name): the search column (equals / prefix use the index). */
    nameNorm: text('name_norm').notNull(),
    version: text('version').notNull(),
    /** versionKey(version). */
    versionKey: text('version_key').notNull(),
    publisher: text('publisher'),
    installedAt: ts('installed_at'),
    sizeBytes: integer('size_bytes'),
    source: text('source').$type<SoftwareSource>().notNull(),
    arch: text('arch'),
    /** When Tether first saw it on this device. */
    firstSeenAt: ts('first_seen_at').notNull(),
  },
  (t) => [
    // tenant_id first: with only the name index leading on tenant_id, SQLite (no statistics)
    // answered "this device's software" by walking the tenant's whole name index.
    primaryKey({ columns: [t.tenantId, t.deviceId, t.key] }),
    // device_id last: name and version lookups answer "which devices" from the index alone.
    index('device_software_tenant_name').on(t.tenantId, t.nameNorm, t.versionKey, t.deviceId),
  ],
);

export const deviceChanges = sqliteTable(
  'device_changes',
  {
    /** newId('chg', at): sorts by time. */
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    deviceId: text('device_id').notNull(),
    /** Hub time the snapshot was applied, ms. */
    at: ts('at').notNull(),
    kind: text('kind', { enum: CHANGE_KINDS }).notNull(),
    /** The software's name, or the hardware/os field ("memory.totalBytes", "disks", "os.version"). */
    subject: text('subject').notNull(),
    /** The software's source (dpkg, winget…); null for hardware/os. */
    source: text('source'),
    fromValue: text('from_value'),
    toValue: text('to_value'),
  },
  (t) => [index('device_changes_tenant_device').on(t.tenantId, t.deviceId, t.id), index('device_changes_tenant').on(t.tenantId, t.id)],
);

/** Facts a technician records about a device (the agent cannot know them). */
export const deviceAssets = sqliteTable(
  'device_assets',
  {
    deviceId: text('device_id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    /** YYYY-MM-DD; the device's age counts from here, else from the warranty start, else the firmware date. */
    purchaseDate: text('purchase_date'),
    assetTag: text('asset_tag'),
    notes: text('notes'),
    updatedAt: ts('updated_at').notNull(),
    updatedBy: text('updated_by').notNull(),
  },
  (t) => [index('device_assets_tenant').on(t.tenantId)],
);

/** One warranty per device and source; the latest end among them is the device's coverage. */
export const deviceWarranties = sqliteTable(
  'device_warranties',
  {
    tenantId: text('tenant_id').notNull(),
    deviceId: text('device_id').notNull(),
    /** manual | csv | dell | hp | lenovo */
    source: text('source').notNull(),
    vendor: text('vendor').notNull(),
    /** YYYY-MM-DD */
    start: text('start'),
    end: text('end').notNull(),
    description: text('description'),
    fetchedAt: ts('fetched_at').notNull(),
    updatedBy: text('updated_by').notNull(),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.source] }), index('device_warranties_tenant_end').on(t.tenantId, t.end)],
);

/** A tenant's vendor lookup credentials (sealed under TETHER_MASTER_KEY). */
export const warrantyProviders = sqliteTable(
  'warranty_providers',
  {
    tenantId: text('tenant_id').notNull(),
    /** dell | hp | lenovo */
    vendor: text('vendor').notNull(),
    credentialsEnc: text('credentials_enc').notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    lastRunAt: ts('last_run_at'),
    lastError: text('last_error'),
    updatedAt: ts('updated_at').notNull(),
    updatedBy: text('updated_by').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.vendor] })],
);

export const licences = sqliteTable(
  'licences',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    /** null: the MSP's own / every client. */
    clientId: text('client_id'),
    product: text('product').notNull(),
    vendor: text('vendor'),
    seats: integer('seats').notNull(),
    /** The licence key sealed under TETHER_MASTER_KEY; null when none was given. */
    keyEnc: text('key_enc'),
    /** Last four characters of the key, to recognise it without revealing it. */
    keyHint: text('key_hint'),
    /** YYYY-MM-DD; null: perpetual. */
    expires: text('expires'),
    /** Which installed software counts against the seats. */
    match: text('match', { mode: 'json' }).$type<LicenceMatch>().notNull(),
    notes: text('notes'),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [index('licences_tenant').on(t.tenantId, t.product)],
);

export const savedSearches = sqliteTable(
  'saved_searches',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    name: text('name').notNull(),
    query: text('query', { mode: 'json' }).$type<FleetQuery>().notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [index('saved_searches_tenant').on(t.tenantId, t.name)],
);
