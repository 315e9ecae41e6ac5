import { Route, Router, type RouteSectionProps } from '@solidjs/router';
import { lazy, Match, onMount, Switch, type JSX } from 'solid-js';
import { bootstrapNeeded, loadSession, me, sessionError } from './state/session';
import { ToastHost } from './components/toast-host';
import { Loading } from './components/feedback';
import { SignedIn } from './pages/portal/portal-gate';
import { LoginPage } from './pages/auth/login-page';
import { SetupPage } from './pages/auth/setup-page';
import { DevicesPage } from './pages/devices/devices-page';
import { OverviewPage } from './pages/overview/overview-page';

const DevicePage = lazy(() => import('./pages/device/device-page'));
const ClientsPage = lazy(() => import('./pages/clients/clients-page'));
const GroupsPage = lazy(() => import('./pages/groups/groups-page'));
const EnrollmentPage = lazy(() => import('./pages/enrollment/enrollment-page'));
const AccessPage = lazy(() => import('./pages/access/access-page'));
const AuditPage = lazy(() => import('./pages/audit/audit-page'));
const AlertsPage = lazy(() => import('./pages/alerts/alerts-page'));
const CheckSetsPage = lazy(() => import('./pages/check-sets/check-sets-page'));
const MaintenancePage = lazy(() => import('./pages/maintenance/maintenance-page'));
const EscalationPage = lazy(() => import('./pages/escalation/escalation-page'));
const TicketsPage = lazy(() => import('./pages/tickets/tickets-page'));
const TicketPage = lazy(() => import('./pages/tickets/ticket-page'));
const TicketRulesPage = lazy(() => import('./pages/ticket-rules/ticket-rules-page'));
const SlaPage = lazy(() => import('./pages/sla/sla-page'));
const IntegrationsPage = lazy(() => import('./pages/integrations/integrations-page'));
const ScriptsPage = lazy(() => import('./pages/scripts/scripts-page'));
const ScriptPage = lazy(() => import('./pages/scripts/script-page'));
const JobsPage = lazy(() => import('./pages/jobs/jobs-page'));
const NewJobPage = lazy(() => import('./pages/jobs/new-job-page'));
const JobPage = lazy(() => import('./pages/jobs/job-page'));
const PackagesPage = lazy(() => import('./pages/packages/packages-page'));
const PackagePage = lazy(() => import('./pages/packages/package-page'));
const DeploymentsPage = lazy(() => import('./pages/deployments/deployments-page'));
const NewDeploymentPage = lazy(() => import('./pages/deployments/new-deployment-page'));
const DeploymentPage = lazy(() => import('./pages/deployments/deployment-page'));
const HistoryPage = lazy(() => import('./pages/history/history-page'));
const FleetSearchPage = lazy(() => import('./pages/assets/fleet-search-page'));
const FleetSoftwarePage = lazy(() => import('./pages/assets/fleet-software-page'));
const FleetChangesPage = lazy(() => import('./pages/assets/fleet-changes-page'));
const LicencesPage = lazy(() => import('./pages/licences/licences-page'));
const WarrantiesPage = lazy(() => import('./pages/warranties/warranties-page'));
const LifecyclePage = lazy(() => import('./pages/lifecycle/lifecycle-page'));
const PatchesPage = lazy(() => import('./pages/patches/patches-page'));
const PatchPoliciesPage = lazy(() => import('./pages/patches/policies-page'));
const PatchSchedulesPage = lazy(() => import('./pages/patches/schedules-page'));
const PatchCompliancePage = lazy(() => import('./pages/patches/compliance-page'));
const PortalTicketsPage = lazy(() => import('./pages/portal/portal-tickets-page'));
const PortalNewTicketPage = lazy(() => import('./pages/portal/portal-new-ticket-page'));
const PortalTicketPage = lazy(() => import('./pages/portal/portal-ticket-page'));
const PortalDevicesPage = lazy(() => import('./pages/portal/portal-devices-page'));
const PortalNotFound = lazy(() => import('./pages/portal/portal-not-found'));

/**
 * Signed-out visitors see the login (or first-run) form at whatever URL they opened,
 * so signing in lands them where they meant to go.
 */
function Gate(props: RouteSectionProps): JSX.Element {
  onMount(() => void loadSession());
  return (
    <>
      <Switch fallback={<Loading label="Connecting…" />}>
        <Match when={sessionError()}>
          {(message) => (
            <div class="center-page">
              <div class="card narrow">
                <h1>Tether is unreachable</h1>
                <p class="muted">{message()}</p>
                <button class="btn btn-primary" type="button" onClick={() => void loadSession()}>
                  Retry
                </button>
              </div>
            </div>
          )}
        </Match>
        <Match when={me() === null && bootstrapNeeded()}>
          <SetupPage />
        </Match>
        <Match when={me() === null}>
          <LoginPage />
        </Match>
        <Match when={me()}>
          <SignedIn>{props.children}</SignedIn>
        </Match>
      </Switch>
      <ToastHost />
    </>
  );
}

export function App(): JSX.Element {
  return (
    <Router root={Gate}>
      <Route path="/" component={OverviewPage} />
      <Route path="/alerts/:id?" component={AlertsPage} />
      <Route path="/tickets" component={TicketsPage} />
      <Route path="/tickets/:id" component={TicketPage} />
      <Route path="/ticket-rules" component={TicketRulesPage} />
      <Route path="/sla" component={SlaPage} />
      <Route path="/integrations" component={IntegrationsPage} />
      <Route path="/devices" component={DevicesPage} />
      <Route path="/devices/:id/:tab?" component={DevicePage} />
      <Route path="/scripts" component={ScriptsPage} />
      <Route path="/scripts/:id" component={ScriptPage} />
      <Route path="/jobs" component={JobsPage} />
      <Route path="/jobs/new" component={NewJobPage} />
      <Route path="/jobs/:id" component={JobPage} />
      <Route path="/packages" component={PackagesPage} />
      <Route path="/packages/:id" component={PackagePage} />
      <Route path="/deployments" component={DeploymentsPage} />
      <Route path="/deployments/new" component={NewDeploymentPage} />
      <Route path="/deployments/:id" component={DeploymentPage} />
      <Route path="/history/:id?" component={HistoryPage} />
      <Route path="/assets/search" component={FleetSearchPage} />
      <Route path="/assets/software" component={FleetSoftwarePage} />
      <Route path="/assets/changes" component={FleetChangesPage} />
      <Route path="/licences/:id?" component={LicencesPage} />
      <Route path="/warranties" component={WarrantiesPage} />
      <Route path="/reports/lifecycle" component={LifecyclePage} />
      <Route path="/patches" component={PatchesPage} />
      <Route path="/patches/policies" component={PatchPoliciesPage} />
      <Route path="/patches/schedules" component={PatchSchedulesPage} />
      <Route path="/patches/compliance" component={PatchCompliancePage} />
      <Route path="/check-sets/:id?" component={CheckSetsPage} />
      <Route path="/maintenance" component={MaintenancePage} />
      <Route path="/escalation" component={EscalationPage} />
      <Route path="/clients" component={ClientsPage} />
      <Route path="/groups/:id?" component={GroupsPage} />
      <Route path="/enrollment" component={EnrollmentPage} />
      <Route path="/access" component={AccessPage} />
      <Route path="/audit" component={AuditPage} />
      <Route path="/portal" component={PortalTicketsPage} />
      <Route path="/portal/new" component={PortalNewTicketPage} />
      <Route path="/portal/tickets/:id" component={PortalTicketPage} />
      <Route path="/portal/devices" component={PortalDevicesPage} />
      <Route path="/portal/*" component={PortalNotFound} />
      <Route path="*" component={NotFound} />
    </Router>
  );
}

function NotFound(): JSX.Element {
  return (
    <div class="page">
      <h1>Not found</h1>
      <p class="muted">
        Nothing lives at this address. <a href="/devices">Back to devices</a>
      </p>
    </div>
  );
}
