import type { JSX } from 'solid-js';
import { SettingsPanel } from '../../components/settings-panel';
import { loadAutomationSettings, saveAutomationSettings } from '../../state/jobs';

/** Admins: how many devices a job may name before a second person must approve it, and how long history is kept. */
export function AutomationSettingsPanel(): JSX.Element {
  return (
    <SettingsPanel
      title="Automation settings"
      testId="automation-settings"
      saveTestId="save-automation"
      savedToast="Automation settings saved"
      fields={[
        { key: 'approvalThreshold', label: 'Approval needed above (devices)', testId: 'approval-threshold', min: 1 },
        { key: 'historyRetentionDays', label: 'Keep command history (days)', testId: 'history-retention', min: 7, max: 3650 },
      ]}
      load={loadAutomationSettings}
      save={saveAutomationSettings}
    />
  );
}
