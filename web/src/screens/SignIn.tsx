import { signal } from '@preact/signals';
import { signIn } from '../auth.ts';
import { t } from '../i18n/index.ts';
import { online } from '../state.ts';

const failure = signal<string | null>(null);
const busy = signal(false);

export function SignInScreen() {
  const m = t.value;
  const start = async () => {
    busy.value = true;
    failure.value = null;
    try {
      await signIn();
    } catch (error) {
      failure.value = m.signInFailed(error instanceof Error ? error.message : String(error));
      busy.value = false;
    }
  };
  return (
    <section aria-labelledby="signin-title">
      <h1 id="signin-title">{m.signInTitle}</h1>
      <p>{m.signInIntro}</p>
      {!online.value && <p class="warn">{m.signInNeedsNetwork}</p>}
      <button
        type="button"
        class="primary"
        disabled={busy.value || !online.value}
        onClick={() => void start()}
      >
        {busy.value ? m.signingIn : m.signIn}
      </button>
      {failure.value !== null && (
        <p class="error" role="alert">
          {failure.value}
        </p>
      )}
    </section>
  );
}
