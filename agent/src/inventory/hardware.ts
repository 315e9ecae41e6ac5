import si from 'systeminformation';
import { networkInterfaces, totalmem } from 'node:os';
import type { HardwareInventory } from '../../../protocol/inventory';
import { NO_FACTS, type PlatformFacts } from '../parsers/firmware-security';
import { hardwareFromSi, type SiHardware } from '../parsers/hardware-si';
import { platformFacts } from './platform-facts';

/*
 * Hardware inventory from systeminformation plus the platform's TPM and Secure Boot. The
 * calls run side by side, each with its own time limit: one that hangs or fails (a missing
 * tool, no permission) leaves its part unknown and the rest of the inventory stands.
 */

/** Long enough for Windows' PowerShell-backed calls and macOS's system_profiler; a hung one is given up. */
export const PART_TIMEOUT_MS = 30_000;

/** The call's answer, or null when it failed or did not answer in time. */
export function within<T>(work: () => Promise<T>, ms = PART_TIMEOUT_MS): Promise<T | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    timer.unref();
    let started: Promise<T>;
    try {
      started = work();
    } catch {
      clearTimeout(timer);
      resolve(null);
      return;
    }
    started.then(
      (value) => {
        clearTimeout(timer);
        resolve(value ?? null);
      },
      () => {
        clearTimeout(timer);
        resolve(null);
      },
    );
  });
}

/** Every address per interface, from Node (no child process). */
function addresses(): SiHardware['addresses'] {
  try {
    return networkInterfaces();
  } catch {
    return null;
  }
}

/** The raw answers, for the mapping (and for recording the shapes a platform gives). */
export async function siHardware(): Promise<SiHardware> {
  const [system, chassis, bios, baseboard, cpu, memLayout, diskLayout, fsSize, blockDevices, graphics, nics, usb, battery] = await Promise.all([
    within(() => si.system()),
    within(() => si.chassis()),
    within(() => si.bios()),
    within(() => si.baseboard()),
    within(() => si.cpu()),
    within(() => si.memLayout()),
    within(() => si.diskLayout()),
    within(() => si.fsSize()),
    within(() => si.blockDevices()),
    within(() => si.graphics()),
    within(() => si.networkInterfaces()),
    within(() => si.usb()),
    within(() => si.battery()),
  ]);
  return {
    system,
    chassis,
    bios,
    baseboard,
    cpu,
    totalMemBytes: totalmem(),
    memLayout,
    diskLayout,
    fsSize,
    blockDevices,
    graphics,
    // With no arguments systeminformation answers a list; a single object is the default interface only.
    networkInterfaces: Array.isArray(nics) ? nics : nics ? [nics] : null,
    addresses: addresses(),
    usb,
    battery,
  };
}

export interface HardwareCollection {
  hardware: HardwareInventory;
  facts: PlatformFacts;
}

/** This machine's hardware, and the platform facts (the OS install date travels with the OS). */
export async function collectHardware(platform: NodeJS.Platform = process.platform): Promise<HardwareCollection> {
  const [raw, facts] = await Promise.all([siHardware(), within(() => platformFacts(platform)).then((f) => f ?? NO_FACTS)]);
  return { hardware: hardwareFromSi(raw, platform, facts), facts };
}
