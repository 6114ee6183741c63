/** Small pieces several screens share. */
import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n/index.ts';
import { navigate, pathOf, type Route, type SyncState } from '../state.ts';

/** A link that moves within the app without reloading it (works offline). */
export function AppLink(props: {
  to: Route;
  children: JSX.Element | string | (JSX.Element | string)[];
  class?: string;
}) {
  const href = pathOf(props.to);
  return (
    <a
      href={href}
      class={props.class}
      onClick={(event) => {
        event.preventDefault();
        navigate(props.to);
      }}
    >
      {props.children}
    </a>
  );
}

export function SyncBadge(props: { state: SyncState }) {
  return <span class={`badge sync-${props.state}`}>{t.value.syncState[props.state]}</span>;
}

/**
 * Asks before something that cannot be undone (removing evidence, discarding a visit): a modal
 * dialog whose focus starts on the safe choice, so a stray tap or Enter keeps everything; Escape
 * and the safe button close it. `onConfirm` runs only from the danger button.
 */
export function ConfirmDialog(props: {
  title: string;
  text: string;
  confirm: string;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog !== null && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      class="confirm"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-text"
      onClose={props.onClose}
    >
      <h2 id="confirm-title">{props.title}</h2>
      <p id="confirm-text">{props.text}</p>
      <div class="confirm-actions">
        {/* biome-ignore lint/a11y/noAutofocus: the safe choice takes the focus in a confirmation */}
        <button type="button" autoFocus onClick={() => ref.current?.close()}>
          {t.value.keep}
        </button>
        <button
          type="button"
          class="danger"
          onClick={() => {
            props.onConfirm();
            ref.current?.close();
          }}
        >
          {props.confirm}
        </button>
      </div>
    </dialog>
  );
}
