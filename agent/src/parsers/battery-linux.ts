import type { HardwareInventory } from '../../../protocol/inventory';
import { amount, known } from './hardware-values';

type Battery = NonNullable<HardwareInventory['battery']>;

/*
 * A laptop battery from its sysfs uevent (/sys/class/power_supply/BAT0/uevent). Capacities
 * are read as the firmware states them: energy in µWh, or charge in µAh converted with the
 * design minimum voltage. The present voltage is never used: it moves with the charge level,
 * and a capacity scaled by it would change the inventory every hour.
 */

export function parseUevent(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) fields.set(line.slice(0, eq).trim().replace(/^POWER_SUPPLY_/, ''), line.slice(eq + 1).trim());
  }
  return fields;
}

/** The battery of this machine, or null for another supply (mains, a wireless mouse's cell). */
export function batteryFromUevent(text: string): Battery | null {
  const f = parseUevent(text);
  if (f.get('TYPE') !== 'Battery' || f.get('SCOPE') === 'Device' || f.get('PRESENT') === '0') return null;
  const volts = (amount(f.get('VOLTAGE_MIN_DESIGN')) ?? 0) / 1e6;
  const wh = (energyKey: string, chargeKey: string): number | null => {
    const energy = amount(f.get(energyKey));
    if (energy !== null) return energy / 1e6;
    const charge = amount(f.get(chargeKey));
    return charge !== null && volts > 0 ? (charge / 1e6) * volts : null;
  };
  const design = wh('ENERGY_FULL_DESIGN', 'CHARGE_FULL_DESIGN');
  const full = wh('ENERGY_FULL', 'CHARGE_FULL');
  return {
    manufacturer: known(f.get('MANUFACTURER'), 64),
    model: known(f.get('MODEL_NAME'), 64),
    designCapacityWh: design === null ? null : Math.round(design * 10) / 10,
    fullCapacityWh: full === null ? null : Math.round(full),
    cycleCount: amount(f.get('CYCLE_COUNT')),
    healthPercent: design && full ? Math.round((full / design) * 100) : null,
  };
}
