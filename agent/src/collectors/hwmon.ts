import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export interface Sensor {
  label: string;
  value: number;
}

const read = (path: string) => readFile(path, 'utf8').then((s) => s.trim(), () => null);

/*
 * Linux hardware monitors: /sys/class/hwmon/hwmonN/{name, tempK_input (millidegrees C),
 * tempK_label, fanK_input (RPM), fanK_label}. Read directly rather than through `sensors`,
 * which is rarely installed on servers. Labels name the chip so two "Composite" readings
 * (two NVMe drives) stay apart.
 */
export async function readHwmon(root = '/sys/class/hwmon'): Promise<{ temperatures: Sensor[]; fans: Sensor[] }> {
  const temperatures: Sensor[] = [];
  const fans: Sensor[] = [];
  let chips: string[];
  try {
    chips = (await readdir(root)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  } catch {
    return { temperatures, fans };
  }
  for (const chip of chips) {
    const dir = join(root, chip);
    const name = (await read(join(dir, 'name'))) || chip;
    let files: string[];
    try {
      files = await readdir(dir);
    } catch {
      continue;
    }
    const inputs = files.filter((f) => /^(temp|fan)\d+_input$/.test(f)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    for (const input of inputs) {
      const [, kind, n] = /^(temp|fan)(\d+)_input$/.exec(input)!;
      const raw = Number(await read(join(dir, input)));
      if (!Number.isFinite(raw)) continue;
      const label = (await read(join(dir, `${kind}${n}_label`))) || `${kind}${n}`;
      const full = `${name} ${label}`.slice(0, 128);
      if (kind === 'temp') {
        const celsius = raw / 1000;
        // Unconnected sensor inputs read as -273 or 127+ °C; they are not measurements.
        if (celsius > -50 && celsius < 150) temperatures.push({ label: full, value: Math.round(celsius * 10) / 10 });
      } else if (raw >= 0 && raw < 100_000) {
        fans.push({ label: full, value: raw });
      }
    }
  }
  return { temperatures: temperatures.slice(0, 64), fans: fans.slice(0, 64) };
}
