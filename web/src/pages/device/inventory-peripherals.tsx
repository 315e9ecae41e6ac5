import { Show, type JSX } from 'solid-js';
import type { HardwareInventory } from '../../../../protocol/inventory';
import { FactList } from '../../components/fact-list';
import { MiniTable } from '../../components/mini-table';
import { bytesOrNone, joined, withUnit, yesNo } from './inventory-format';

/** Graphics, displays, network adapters, USB, battery and platform security. */
export function PeripheralSections(props: { hw: HardwareInventory }): JSX.Element {
  const hw = () => props.hw;
  return (
    <>
      <section class="panel" data-testid="inventory-network">
        <div class="panel-head">
          <h2>Network adapters</h2>
        </div>
        <MiniTable
          rows={hw().nics}
          columns={[
            { label: 'Name', mono: true, cell: (n) => n.name },
            { label: 'MAC', mono: true, cell: (n) => n.mac ?? '' },
            { label: 'Type', cell: (n) => joined(n.type, n.virtual ? '(virtual)' : null) },
            { label: 'Speed', num: true, cell: (n) => withUnit(n.speedMbps, 'Mb/s') },
            { label: 'Addresses', mono: true, cell: (n) => [...n.ipv4, ...n.ipv6].join(', ') },
          ]}
        />
      </section>
      <section class="panel" data-testid="inventory-graphics">
        <div class="panel-head">
          <h2>Graphics and displays</h2>
        </div>
        <MiniTable
          rows={hw().gpus}
          empty="No graphics adapter reported."
          columns={[
            { label: 'GPU', cell: (g) => joined(g.vendor, g.model) },
            { label: 'Memory', num: true, cell: (g) => bytesOrNone(g.vramBytes) },
            { label: 'Driver', mono: true, cell: (g) => g.driverVersion ?? '' },
          ]}
        />
        <h3 class="inventory-subhead">Displays</h3>
        <MiniTable
          rows={hw().displays}
          empty="No display reported."
          columns={[
            { label: 'Display', cell: (d) => joined(d.vendor, d.model) },
            { label: 'Resolution', cell: (d) => d.resolution ?? '' },
            { label: 'Serial', mono: true, cell: (d) => d.serial ?? '' },
            { label: 'Main', cell: (d) => yesNo(d.main) },
          ]}
        />
      </section>
      <section class="panel" data-testid="inventory-usb">
        <div class="panel-head">
          <h2>USB devices</h2>
        </div>
        <MiniTable
          rows={hw().usb}
          columns={[
            { label: 'Name', cell: (u) => u.name },
            { label: 'Vendor', cell: (u) => u.vendor ?? '' },
            { label: 'Type', cell: (u) => u.type ?? '' },
            { label: 'Serial', mono: true, cell: (u) => u.serial ?? '' },
          ]}
        />
      </section>
      <section class="panel" data-testid="inventory-security">
        <div class="panel-head">
          <h2>Battery and security</h2>
        </div>
        <div class="inventory-columns">
          <Show when={hw().battery} fallback={<span class="muted small">No battery reported.</span>}>
            {(b) => (
              <FactList
                facts={[
                  ['Battery', joined(b().manufacturer, b().model)],
                  ['Health', b().healthPercent === null ? null : `${b().healthPercent}%`],
                  ['Capacity', b().fullCapacityWh === null ? null : `${b().fullCapacityWh} of ${b().designCapacityWh ?? '?'} Wh`],
                  ['Cycles', b().cycleCount],
                ]}
              />
            )}
          </Show>
          <FactList
            empty="TPM and Secure Boot not reported."
            facts={[
              ['TPM', hw().tpm ? (hw().tpm!.present ? joined('present', hw().tpm!.version, hw().tpm!.manufacturer) : 'absent') : null],
              ['Secure Boot', yesNo(hw().secureBoot, 'enabled', 'disabled')],
            ]}
          />
        </div>
      </section>
    </>
  );
}
