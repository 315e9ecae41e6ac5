import { createSignal, onCleanup, Show, type JSX } from 'solid-js';
import { createAction } from '../../lib/action';
import { login } from '../../state/session';
import { FieldError } from '../../components/feedback';
import { AuthCard } from './auth-card';

export function LoginPage(): JSX.Element {
  const [email, setEmail] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [waitSeconds, setWaitSeconds] = createSignal(0);
  let timer: ReturnType<typeof setInterval> | undefined;
  onCleanup(() => clearInterval(timer));

  const action = createAction(() => login(email().trim(), password()));

  const startCountdown = (seconds: number) => {
    setWaitSeconds(seconds);
    clearInterval(timer);
    timer = setInterval(() => {
      setWaitSeconds((s) => Math.max(0, s - 1));
      if (waitSeconds() === 0) clearInterval(timer);
    }, 1000);
  };

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    await action.run();
    const f = action.failure();
    if (f?.status === 429) startCountdown(f.retryAfter ?? 60);
    if (f?.status === 401) setPassword('');
  };

  const message = () => {
    const f = action.failure();
    if (!f || f.issues.length) return null;
    if (f.status === 429) {
      return waitSeconds() > 0 ? `Too many attempts. Try again in ${waitSeconds()} s.` : 'Too many attempts. You can try again now.';
    }
    return f.message;
  };

  return (
    <AuthCard title="Sign in">
      <form class="form" onSubmit={submit} novalidate>
        <Show when={message()}>
          {(text) => (
            <div class="form-error" role="alert" data-testid="login-error">
              {text()}
            </div>
          )}
        </Show>
        <label class="field">
          <span>Email</span>
          <input
            id="email"
            class="input"
            type="email"
            autocomplete="username"
            required
            autofocus
            value={email()}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
          <FieldError failure={action.failure()} path="email" />
        </label>
        <label class="field">
          <span>Password</span>
          <input
            id="password"
            class="input"
            type="password"
            autocomplete="current-password"
            required
            value={password()}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
          <FieldError failure={action.failure()} path="password" />
        </label>
        <button type="submit" class="btn btn-primary btn-block" disabled={action.pending() || waitSeconds() > 0}>
          {action.pending() ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </AuthCard>
  );
}
