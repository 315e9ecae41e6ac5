import { env } from 'cloudflare:test';
import { softwareKey, versionKey, type HardwareInventory, type OsInventory, type SoftwareItem, type ChangeKind } from '../protocol/inventory';
import { newId } from '../worker/lib/ids';

/*
 * Inventory rows as the DeviceHub writes them, straight into D1: one device_inventory row
 * (with the columns fleet search reads pulled out of os / hardware) and one device_software
 * row per item (name_norm = lower(name), version_key = versionKey(version)). Software goes
 * in as one JSON parameter per statement, so thousands of items per device stay cheap.
 */

export const debianOs = (version = '12'): OsInventory => ({
  platform: 'linux',
  name: 'Debian GNU/Linux',
  version,
  build: 'bookworm',
  kernel: '6.1.0-18-amd64',
  arch: 'x64',
  installedAt: Date.parse('2024-02-10T09:00:00Z'),
});

export function hardware(over: { manufacturer?: string; model?: string; serial?: string; ramGb?: number; diskGb?: number; cores?: number; firmwareDate?: string; chassis?: string } = {}): HardwareInventory {
  const ram = (over.ramGb ?? 16) * 1e9;
  const disk = (over.diskGb ?? 512) * 1e9;
  return {
    system: { manufacturer: over.manufacturer ?? 'Dell Inc.', model: over.model ?? 'Latitude 5440', serial: over.serial ?? 'ABC1234', uuid: null, sku: null, chassis: over.chassis ?? 'Notebook' },
    bios: { vendor: 'Dell Inc.', version: '1.14.1', releaseDate: over.firmwareDate ?? '2023-05-02' },
    baseboard: { manufacturer: 'Dell Inc.', model: '0K1XWR', serial: null, version: 'A00' },
    cpu: { manufacturer: 'Intel', model: 'Intel(R) Core(TM) i5-1345U', cores: over.cores ?? 10, threads: 12, speedMHz: 1600, sockets: 1 },
    memory: { totalBytes: ram, modules: [{ slot: 'DIMM A', sizeBytes: ram, speedMHz: 5200, type: 'DDR5', manufacturer: 'SK Hynix', partNumber: 'HMCG78AGBSA092N', serial: null }] },
    disks: [{ device: '/dev/nvme0n1', model: 'PM9B1 NVMe Samsung 512GB', serial: 'S6ZENF0W123456', sizeBytes: disk, type: 'SSD', interface: 'NVMe', smart: 'Ok' }],
    volumes: [{ mount: '/', fs: 'ext4', sizeBytes: disk, usedBytes: disk / 4, label: null }],
    gpus: [],
    displays: [],
    nics: [{ name: 'eth0', mac: '3c:52:82:11:22:33', speedMbps: 1000, type: 'wired', virtual: false, ipv4: ['10.0.0.5'], ipv6: [] }],
    usb: [],
    battery: null,
    tpm: { present: true, version: '2.0', manufacturer: 'INTC' },
    secureBoot: true,
  };
}

export const deb = (name: string, version: string, over: Partial<SoftwareItem> = {}): SoftwareItem => ({
  name,
  version,
  publisher: 'Debian Maintainers',
  installedAt: Date.parse('2025-03-01T12:00:00Z'),
  sizeBytes: 1_048_576,
  source: 'dpkg',
  arch: 'amd64',
  ...over,
});

type Tenant = { tenantId: string };

const SOFTWARE_INSERT = `INSERT INTO device_software
  (tenant_id, device_id, key, name, name_norm, version, version_key, publisher, installed_at, size_bytes, source, arch, first_seen_at)
  SELECT ?1, ?2, j.value ->> '$[0]', j.value ->> '$[1]', j.value ->> '$[2]', j.value ->> '$[3]', j.value ->> '$[4]', j.value ->> '$[5]',
         j.value ->> '$[6]', j.value ->> '$[7]', j.value ->> '$[8]', j.value ->> '$[9]', ?3
  FROM json_each(?4) j`;

/** Statements writing a device's inventory and software (for one D1 batch, or many). */
export function inventoryStatements(tenant: Tenant, deviceId: string, inv: { os?: OsInventory; hardware?: HardwareInventory; software: SoftwareItem[]; at?: number }) {
  const os = inv.os ?? debianOs();
  const hw = inv.hardware ?? hardware();
  const at = inv.at ?? Date.now();
  const items = inv.software.map((s) => [softwareKey(s), s.name, s.name.toLowerCase(), s.version, versionKey(s.version), s.publisher, s.installedAt, s.sizeBytes, s.source, s.arch]);
  const diskBytes = hw.disks.reduce((sum, d) => sum + (d.sizeBytes ?? 0), 0);
  return [
    env.DB.prepare(
      `INSERT INTO device_inventory (device_id, tenant_id, hash, collected_at, updated_at, os, hardware, manufacturer, model, serial, chassis, cpu_model,
        cpu_cores, ram_bytes, disk_bytes, os_name, os_version, os_version_key, firmware_date, software_count)
       VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)`,
    ).bind(
      deviceId,
      tenant.tenantId,
      'f'.repeat(64),
      at,
      JSON.stringify(os),
      JSON.stringify(hw),
      hw.system.manufacturer,
      hw.system.model,
      hw.system.serial,
      hw.system.chassis,
      hw.cpu.model,
      hw.cpu.cores,
      hw.memory.totalBytes,
      diskBytes,
      os.name,
      os.version,
      versionKey(os.version),
      hw.bios.releaseDate,
      inv.software.length,
    ),
    env.DB.prepare(SOFTWARE_INSERT).bind(tenant.tenantId, deviceId, at, JSON.stringify(items)),
  ];
}

export async function seedInventory(tenant: Tenant, deviceId: string, inv: Parameters<typeof inventoryStatements>[2]): Promise<void> {
  await env.DB.batch(inventoryStatements(tenant, deviceId, inv));
}

/** One change record, as the hub writes it when it applies a snapshot. */
export async function seedChange(
  tenant: Tenant,
  deviceId: string,
  change: { at: number; kind: ChangeKind; subject: string; source?: string | null; fromValue?: string | null; toValue?: string | null },
): Promise<string> {
  const id = newId('chg', change.at);
  await env.DB.prepare(
    'INSERT INTO device_changes (id, tenant_id, device_id, at, kind, subject, source, from_value, to_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  )
    .bind(id, tenant.tenantId, deviceId, change.at, change.kind, change.subject, change.source ?? null, change.fromValue ?? null, change.toValue ?? null)
    .run();
  return id;
}
