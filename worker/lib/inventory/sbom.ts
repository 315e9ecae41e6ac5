import * as v from 'valibot';
import { softwareKey, type OsInventory, type SoftwareItem } from '../../../protocol/inventory';
import { softwarePurl } from './purl';

/*
 * One device's installed software as a CycloneDX 1.6 JSON BOM. The schema below is the subset of
 * CycloneDX we emit, so the output type comes from it and a test can hold the output to it.
 */

const Property = v.strictObject({ name: v.pipe(v.string(), v.minLength(1)), value: v.string() });

const Component = v.strictObject({
  type: v.picklist(['application', 'operating-system']),
  'bom-ref': v.pipe(v.string(), v.minLength(1)),
  name: v.pipe(v.string(), v.minLength(1)),
  version: v.optional(v.pipe(v.string(), v.minLength(1))),
  publisher: v.optional(v.string()),
  purl: v.optional(v.pipe(v.string(), v.startsWith('pkg:'))),
  properties: v.optional(v.array(Property)),
});

export const CycloneDxBom = v.strictObject({
  $schema: v.literal('http://cyclonedx.org/schema/bom-1.6.schema.json'),
  bomFormat: v.literal('CycloneDX'),
  specVersion: v.literal('1.6'),
  serialNumber: v.pipe(v.string(), v.regex(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)),
  version: v.literal(1),
  metadata: v.strictObject({
    timestamp: v.pipe(v.string(), v.isoTimestamp()),
    tools: v.strictObject({
      components: v.array(v.strictObject({ type: v.literal('application'), name: v.string(), version: v.string() })),
    }),
    component: v.strictObject({
      type: v.literal('device'),
      'bom-ref': v.pipe(v.string(), v.minLength(1)),
      name: v.pipe(v.string(), v.minLength(1)),
      properties: v.optional(v.array(Property)),
    }),
  }),
  components: v.array(Component),
});
export type CycloneDxBom = v.InferOutput<typeof CycloneDxBom>;
type Component = v.InferOutput<typeof Component>;

export type SbomInput = {
  device: { id: string; hostname: string; os: Pick<OsInventory, 'platform' | 'name' | 'version'> | null };
  software: SoftwareItem[];
  /** ms since the epoch. */
  generatedAt: number;
  toolVersion: string;
};

/** A UUID (version 8, name-based) from a SHA-256 of the device and time: the same export gets the same serial number. */
async function serialNumber(deviceId: string, generatedAt: number): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${deviceId}\n${generatedAt}`)));
  const b = digest.slice(0, 16);
  b[6] = (b[6] & 0x0f) | 0x80;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Name first (as a reader scans the list), then the remaining fields so equal names still order the same every time. */
function order(a: SoftwareItem, b: SoftwareItem): number {
  return (
    cmp(a.name.toLowerCase(), b.name.toLowerCase()) ||
    cmp(a.name, b.name) ||
    cmp(a.version, b.version) ||
    cmp(softwareKey(a), softwareKey(b)) ||
    cmp(a.publisher ?? '', b.publisher ?? '') ||
    (a.installedAt ?? 0) - (b.installedAt ?? 0)
  );
}

function properties(s: SoftwareItem): Component['properties'] {
  const props: v.InferOutput<typeof Property>[] = [{ name: 'tether:source', value: s.source }];
  if (s.arch) props.push({ name: 'tether:arch', value: s.arch });
  if (s.installedAt !== null) props.push({ name: 'tether:installedAt', value: new Date(s.installedAt).toISOString() });
  if (s.sizeBytes !== null) props.push({ name: 'tether:sizeBytes', value: String(s.sizeBytes) });
  return props;
}

export async function deviceSbom({ device, software, generatedAt, toolVersion }: SbomInput): Promise<CycloneDxBom> {
  const used = new Set<string>();
  // Two entries can share a purl (the registry lists some products twice); the reference must still be unique.
  const uniqueRef = (base: string) => {
    let ref = base;
    for (let n = 2; used.has(ref); n++) ref = `${base}|${n}`;
    used.add(ref);
    return ref;
  };
  const components: Component[] = [];
  if (device.os) {
    components.push({ type: 'operating-system', 'bom-ref': uniqueRef(`os:${device.id}`), name: device.os.name || device.os.platform, ...(device.os.version ? { version: device.os.version } : {}) });
  }
  for (const s of [...software].sort(order)) {
    const purl = softwarePurl(s, device.os);
    components.push({
      type: 'application',
      'bom-ref': uniqueRef(purl),
      name: s.name,
      ...(s.version ? { version: s.version } : {}),
      ...(s.publisher ? { publisher: s.publisher } : {}),
      purl,
      properties: properties(s),
    });
  }
  return {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: await serialNumber(device.id, generatedAt),
    version: 1,
    metadata: {
      timestamp: new Date(generatedAt).toISOString(),
      tools: { components: [{ type: 'application', name: 'Tether', version: toolVersion }] },
      component: { type: 'device', 'bom-ref': `device:${device.id}`, name: device.hostname || device.id, properties: [{ name: 'tether:deviceId', value: device.id }] },
    },
    components,
  };
}
