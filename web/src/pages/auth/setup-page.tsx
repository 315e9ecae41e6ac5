import { createStore } from 'solid-js/store';
import type { JSX } from 'solid-js';
import { createAction } from '../../lib/action';
import { createFirstTenant } from '../../state/session';
import { FieldError, FormError } from '../../components/feedback';
import { AuthCard } from './auth-card';

const FIELDS = ['tenantName', 'name', 'email', 'password'] as const;
const MIN_PASSWORD = 12;

/** First run: the database has no tenant yet, so the first visitor creates it and its owner. */
export function SetupPage(): JSX.Element {
  const [form, setForm] = createStore({ tenantName: '', name: '', email: '', password: '', confirm: '' });
  const action = createAction(() =>
    createFirstTenant({ tenantName: form.tenantName.trim(), name: form.name.trim(), email: form.email.trim(), password: form.password }),
  );
  const mismatch = () => form.confirm.length > 0 && form.confirm !== form.password;

  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    if (mismatch() || form.password.length < MIN_PASSWORD) return;
    void action.run();
  };

  return (
    <AuthCard title="Set up Tether" subtitle="Create your MSP workspace and its owner account.">
      <form class="form" onSubmit={submit}>
        <FormError failure={action.failure()} fields={[...FIELDS]} />
        <label class="field">
          <span>Company (MSP) name</span>
          <input id="tenantName" class="input" required autofocus value={form.tenantName} onInput={(e) => setForm('tenantName', e.currentTarget.value)} />
          <FieldError failure={action.failure()} path="tenantName" />
        </label>
        <label class="field">
          <span>Your name</span>
          <input id="name" class="input" required autocomplete="name" value={form.name} onInput={(e) => setForm('name', e.currentTarget.value)} />
          <FieldError failure={action.failure()} path="name" />
        </label>
        <label class="field">
          <span>Email</span>
          <input id="email" class="input" type="email" required autocomplete="username" value={form.email} onInput={(e) => setForm('email', e.currentTarget.value)} />
          <FieldError failure={action.failure()} path="email" />
        </label>
        <label class="field">
          <span>Password (at least {MIN_PASSWORD} characters)</span>
          <input
            id="password"
            class="input"
            type="password"
            required
            minLength={MIN_PASSWORD}
            autocomplete="new-password"
            value={form.password}
            onInput={(e) => setForm('password', e.currentTarget.value)}
          />
          <FieldError failure={action.failure()} path="password" />
        </label>
        <label class="field">
          <span>Confirm password</span>
          <input
            id="confirm"
            class="input"
            type="password"
            required
            autocomplete="new-password"
            value={form.confirm}
            onInput={(e) => setForm('confirm', e.currentTarget.value)}
          />
          {mismatch() && <span class="field-error">Passwords do not match</span>}
        </label>
        <button type="submit" class="btn btn-primary btn-block" disabled={action.pending()}>
          {action.pending() ? 'Creating…' : 'Create workspace'}
        </button>
      </form>
    </AuthCard>
  );
}
