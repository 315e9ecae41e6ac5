import { Match, Show, Switch, type JSX } from 'solid-js';
import { now } from '../../lib/clock';
import { FactList } from '../../components/fact-list';
import type { DeviceInventoryView } from './inventory-data';
import { daysUntil, formatDay } from './inventory-format';

type Inventory = NonNullable<DeviceInventoryView['inventory']>;
type Eol = DeviceInventoryView['osEndOfLife'];

/** Plan a replacement two quarters ahead: the same window the server calls "ending soon". */
const SOON_DAYS = 180;

/** Whether the vendor still supports this OS release, from the shipped end-of-life table. */
function EolBadge(props: { eol: Eol }): JSX.Element {
  const left = () => daysUntil(props.eol?.eol ?? null, now());
  return (
    <Show when={props.eol} fallback={<span class="badge badge-info" data-testid="os-eol" data-eol="unknown">end of life unknown</span>}>
      {(e) => (
        <Switch>
          <Match when={e().isEol}>
            <span class="badge badge-bad" data-testid="os-eol" data-eol="past" title={`${e().product} ${e().cycle} (${e().source})`}>
              end of life{e().eol ? ` since ${e().eol}` : ''}
            </span>
          </Match>
          <Match when={e().eol === null}>
            <span class="badge badge-info" data-testid="os-eol" data-eol="none" title={e().source}>
              no end-of-life date announced
            </span>
          </Match>
          {/* Past standard support but not past its end of life: extended support only. */}
          <Match when={left() !== null && left()! < 0}>
            <span class="badge badge-warn" data-testid="os-eol" data-eol="extended" title={e().source}>
              standard support ended {e().eol}
            </span>
          </Match>
          <Match when={left() !== null && left()! <= SOON_DAYS}>
            <span class="badge badge-warn" data-testid="os-eol" data-eol="soon" title={e().source}>
              support ends {e().eol} ({left()} days)
            </span>
          </Match>
          <Match when={true}>
            <span class="badge badge-ok" data-testid="os-eol" data-eol="supported" title={e().source}>
              supported until {e().eol}
            </span>
          </Match>
        </Switch>
      )}
    </Show>
  );
}

/** The operating system as the inventory reports it. Agent text: text nodes only. */
export function OsCard(props: { inventory: Inventory; eol: Eol }): JSX.Element {
  const os = () => props.inventory.os;
  return (
    <section class="panel" data-testid="inventory-os">
      <div class="panel-head">
        <h2>Operating system</h2>
        <EolBadge eol={props.eol} />
      </div>
      <FactList
        facts={[
          ['Name', os().name],
          ['Version', os().version],
          ['Build', os().build],
          ['Kernel', os().kernel],
          ['Architecture', os().arch],
          ['Platform', os().platform],
          ['Installed', formatDay(os().installedAt)],
          ['Release', props.eol ? `${props.eol.product} ${props.eol.cycle}` : null],
        ]}
      />
    </section>
  );
}
