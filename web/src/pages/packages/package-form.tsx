import { createSignal, For, type JSX } from 'solid-js';
import { createAction } from '../../lib/action';
import { FieldError } from '../../components/feedback';
import { FormFooter } from '../../components/form-footer';
import { createPackage, INSTALLER_LABEL, INSTALLER_PLATFORM, INSTALLERS, PLATFORM_LABEL, type Installer, type PackageDetail } from '../../state/packages';

/** A new catalog entry; the platform follows from the installer, so it is shown, not asked. */
export function PackageForm(props: { onSaved: (p: PackageDetail) => void; onCancel: () => void }): JSX.Element {
  const [name, setName] = createSignal('');
  const [vendor, setVendor] = createSignal('');
  const [description, setDescription] = createSignal('');
  const [installer, setInstaller] = createSignal<Installer>('deb');
  const save = createAction(async () => {
    props.onSaved(await createPackage({ name: name(), vendor: vendor(), description: description(), installer: installer(), platform: INSTALLER_PLATFORM[installer()] }));
  });

  return (
    <section class="panel" data-testid="package-form">
      <div class="panel-head">
        <h2>New package</h2>
      </div>
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          void save.run();
        }}
      >
        <div class="row gap wrap">
          <label class="field grow">
            <span>Name</span>
            <input class="input" data-testid="package-name" maxLength={120} required value={name()} onInput={(e) => setName(e.currentTarget.value)} />
            <FieldError failure={save.failure()} path="name" />
          </label>
          <label class="field grow">
            <span>Vendor</span>
            <input class="input" data-testid="package-vendor" maxLength={120} value={vendor()} onInput={(e) => setVendor(e.currentTarget.value)} />
            <FieldError failure={save.failure()} path="vendor" />
          </label>
        </div>
        <div class="row gap wrap">
          <label class="field">
            <span>Installer</span>
            <select class="input select" data-testid="package-installer" onChange={(e) => setInstaller(e.currentTarget.value as Installer)}>
              <For each={INSTALLERS}>
                {(i) => (
                  <option value={i} selected={i === installer()}>
                    {INSTALLER_LABEL[i]}
                  </option>
                )}
              </For>
            </select>
            <FieldError failure={save.failure()} path="installer" />
          </label>
          <div class="field">
            <span>Platform</span>
            <span class="chip" data-testid="package-platform">
              {PLATFORM_LABEL[INSTALLER_PLATFORM[installer()]]}
            </span>
            <FieldError failure={save.failure()} path="platform" />
          </div>
        </div>
        <label class="field">
          <span>Description</span>
          <textarea class="input" rows={2} maxLength={2000} value={description()} onInput={(e) => setDescription(e.currentTarget.value)} />
        </label>
        <FormFooter failure={save.failure()} fields={['name', 'vendor', 'installer', 'platform']} pending={save.pending()} saveTestId="save-package" saveLabel="Create package" onCancel={props.onCancel} />
      </form>
    </section>
  );
}
