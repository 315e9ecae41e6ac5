import { and, sql, type SQL } from 'drizzle-orm';
import { devices } from '../../../db/schema';
import type { DeviceFilter } from '../../../protocol/api/jobs';
import type { Platform } from '../../../protocol/scripts';
import type { AuthContext } from '../../types';
import { deviceFilter } from '../device-query';

/* Agents report Node's platform names (win32, darwin, linux); same mapping as platformOf(). */
const windows = sql`lower(${devices.osPlatform}) LIKE 'win%'`;
const mac = sql`(lower(${devices.osPlatform}) = 'darwin' OR lower(${devices.osPlatform}) LIKE 'mac%')`;
function onPlatform(p: Platform): SQL {
  if (p === 'windows') return windows;
  if (p === 'macos') return mac;
  return sql`NOT ${windows} AND NOT ${mac} AND ${devices.osPlatform} != ''`;
}

/** The device list's filters as one condition (the same meaning as GET /devices), plus the platform. */
export function filterCondition(auth: AuthContext, f: DeviceFilter): SQL {
  return and(sql`1 = 1`, ...deviceFilter(auth, f), f.platform ? onPlatform(f.platform) : undefined)!;
}
