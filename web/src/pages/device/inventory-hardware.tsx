import { type JSX } from 'solid-js';
import type { HardwareInventory } from '../../../../protocol/inventory';
import { FactList } from '../../components/fact-list';
import { MiniTable } from '../../components/mini-table';
import { percent } from '../../lib/format';
import { bytesOrNone, joined, withUnit } from './inventory-format';

/** A drive's own verdict; anything but an "ok"-like word is worth a look. */
function SmartBadge(props: { smart: string | null }): JSX.Element {
  const ok = () => /^(ok|passed|verified|good|healthy)$/i.test(props.smart ?? '');
  return props.smart ? <span class={`badge badge-${ok() ? 'ok' : 'bad'}`} data-testid="disk-smart">{props.smart}</span> : <span class="muted">—</span>;
}

/** System, firmware, board, CPU, memory and storage as compact sections. */
export function HardwareSections(props: { hw: HardwareInventory }): JSX.Element {
  const hw = () => props.hw;
  return (
    <>
      <section class="panel" data-testid="inventory-system">
        <div class="panel-head">
          <h2>System</h2>
        </div>
        <div class="inventory-columns">
          <FactList
            facts={[
              ['Manufacturer', hw().system.manufacturer],
              ['Model', hw().system.model],
              ['Serial', hw().system.serial],
              ['SKU', hw().system.sku],
              ['Chassis', hw().system.chassis],
              ['UUID', hw().system.uuid],
            ]}
          />
          <FactList
            facts={[
              ['BIOS', joined(hw().bios.vendor, hw().bios.version)],
              ['BIOS date', hw().bios.releaseDate],
              ['Board', joined(hw().baseboard.manufacturer, hw().baseboard.model, hw().baseboard.version)],
              ['Board serial', hw().baseboard.serial],
            ]}
          />
          <FactList
            facts={[
              ['CPU', joined(hw().cpu.manufacturer, hw().cpu.model)],
              ['Cores / threads', hw().cpu.cores === null ? null : `${hw().cpu.cores} / ${hw().cpu.threads ?? '?'}`],
              ['Speed', withUnit(hw().cpu.speedMHz, 'MHz')],
              ['Sockets', hw().cpu.sockets],
              ['Memory', bytesOrNone(hw().memory.totalBytes)],
            ]}
          />
        </div>
      </section>
      <section class="panel" data-testid="inventory-memory">
        <div class="panel-head">
          <h2>Memory modules</h2>
        </div>
        <MiniTable
          rows={hw().memory.modules}
          columns={[
            { label: 'Slot', cell: (m) => m.slot ?? '' },
            { label: 'Size', num: true, cell: (m) => bytesOrNone(m.sizeBytes) },
            { label: 'Type', cell: (m) => m.type ?? '' },
            { label: 'Speed', num: true, cell: (m) => withUnit(m.speedMHz, 'MHz') },
            { label: 'Manufacturer', cell: (m) => m.manufacturer ?? '' },
            { label: 'Part number', mono: true, cell: (m) => m.partNumber ?? '' },
          ]}
        />
      </section>
      <section class="panel" data-testid="inventory-disks">
        <div class="panel-head">
          <h2>Disks</h2>
        </div>
        <MiniTable
          rows={hw().disks}
          rowTestId="disk-row"
          columns={[
            { label: 'Device', mono: true, cell: (d) => d.device ?? '' },
            { label: 'Model', cell: (d) => d.model ?? '' },
            { label: 'Type', cell: (d) => joined(d.type, d.interface) },
            { label: 'Size', num: true, cell: (d) => bytesOrNone(d.sizeBytes) },
            { label: 'Serial', mono: true, cell: (d) => d.serial ?? '' },
            { label: 'SMART', cell: (d) => <SmartBadge smart={d.smart} /> },
          ]}
        />
        <h3 class="inventory-subhead">Volumes</h3>
        <MiniTable
          rows={hw().volumes}
          columns={[
            { label: 'Mount', mono: true, cell: (v) => v.mount },
            { label: 'Label', cell: (v) => v.label ?? '' },
            { label: 'FS', cell: (v) => v.fs ?? '' },
            { label: 'Size', num: true, cell: (v) => bytesOrNone(v.sizeBytes) },
            { label: 'Used', num: true, cell: (v) => (v.usedBytes !== null && v.sizeBytes ? `${bytesOrNone(v.usedBytes)} (${percent(v.usedBytes, v.sizeBytes).toFixed(0)}%)` : bytesOrNone(v.usedBytes)) },
          ]}
        />
      </section>
    </>
  );
}
