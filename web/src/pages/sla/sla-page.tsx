import { createResource, type JSX } from 'solid-js';
import { settled } from '../../lib/resource';
import { loadClients } from '../../state/directory';
import { CalendarsPanel } from './calendars-panel';
import { SlaPoliciesPanel } from './sla-policies-panel';
import { loadCalendars, loadSlaPolicies } from './sla-data';
import '../../styles/desk.css';
import '../../styles/sla.css';

/**
 * Service levels: business calendars and the SLA policies that use them. Changes apply to
 * tickets opened or re-prioritised afterwards; due times already given stay.
 */
export default function SlaPage(): JSX.Element {
  const [calendars, { refetch: refetchCalendars }] = createResource(loadCalendars);
  const [policies, { refetch: refetchPolicies }] = createResource(loadSlaPolicies);
  const [clients] = createResource(loadClients);

  return (
    <div class="page">
      <div class="page-head">
        <h1>SLA</h1>
        <span class="muted">Changes apply to tickets opened or re-prioritised from now on.</span>
      </div>
      <SlaPoliciesPanel
        policies={settled(policies)}
        error={policies.error}
        calendars={settled(calendars) ?? []}
        clients={settled(clients) ?? []}
        onChanged={() => void refetchPolicies()}
      />
      <CalendarsPanel calendars={settled(calendars)} error={calendars.error} onChanged={() => void refetchCalendars()} />
    </div>
  );
}
