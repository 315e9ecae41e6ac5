import type { JSX } from 'solid-js';
import { COMPLIANCE_LABEL, COMPLIANCE_TONE, type LicenceCompliance } from './licence-data';

/** "over-deployed (+3)", "unused seats (2)" or "compliant", coloured by what it asks of someone. */
export function ComplianceBadge(props: { compliance: LicenceCompliance }): JSX.Element {
  const extra = () => {
    const c = props.compliance;
    if (c.status === 'over_deployed') return ` (+${c.overDeployed})`;
    if (c.status === 'unused_seats') return ` (${c.unusedSeats})`;
    return '';
  };
  return (
    <span class={`badge ${COMPLIANCE_TONE[props.compliance.status]}`} data-testid="licence-compliance" data-status={props.compliance.status}>
      {COMPLIANCE_LABEL[props.compliance.status]}
      {extra()}
    </span>
  );
}

/** "3 / 5": devices using a seat against the seats bought. */
export function SeatUse(props: { compliance: LicenceCompliance }): JSX.Element {
  return (
    <span class="mono nowrap" data-testid="licence-seat-use">
      {props.compliance.installed} / {props.compliance.seats}
    </span>
  );
}
