import type { JSX } from 'solid-js';
import { SettingsPanel } from '../../components/settings-panel';
import { loadLifecycleSettings, saveLifecycleSettings } from './lifecycle-data';

/** Admins: the age at which devices are due for replacement (a poor health score brings it forward). */
export function LifecycleSettingsPanel(props: { onSaved: () => void }): JSX.Element {
  return (
    <SettingsPanel
      title="Lifecycle settings"
      testId="lifecycle-settings"
      saveTestId="save-lifecycle-settings"
      savedToast="Lifecycle settings saved"
      fields={[{ key: 'replaceAfterYears', label: 'Replace devices after (years)', testId: 'replace-after-years', min: 1, max: 15, step: 1 }]}
      load={loadLifecycleSettings}
      save={saveLifecycleSettings}
      onSaved={props.onSaved}
    />
  );
}
