/** Small pieces several screens share. */
import type { JSX } from 'preact';
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
