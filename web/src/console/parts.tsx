/** What the console's screens share: loading a resource, links, query strings, small formats. */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ApiProblem, ApiResult } from '../api/client.ts';
import { currentUser } from '../auth.ts';
import { formatDate, formatDateTime, formatNumber } from '../i18n/index.ts';
import { navigate } from '../state.ts';
import { cm } from './messages.ts';

export type Loaded<T> =
  | { state: 'loading' }
  | { state: 'ok'; body: T; etag: string | null }
  | { state: 'error'; problem: ApiProblem };

/** Describes a problem for the screen: the server's own detail (already in the UI's language). */
export function problemText(problem: ApiProblem): string {
  return problem.detail.length > 0 ? problem.detail : problem.code;
}

/** A failed connection becomes a problem the screen shows, like an HTTP error. */
export async function settle<T>(call: () => Promise<ApiResult<T>>): Promise<ApiResult<T>> {
  try {
    return await call();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      status: 0,
      problem: { status: 0, code: 'network', detail, errors: [] },
      retryAfter: null,
    };
  }
}

/**
 * Loads what `load` answers whenever `key` changes; `reload` loads again (after an action). An
 * answer that arrives after the key moved on is dropped.
 */
export function useResource<T>(
  key: string,
  load: () => Promise<ApiResult<T>>,
): [Loaded<T>, () => Promise<void>, (body: T, etag?: string | null) => void] {
  const [value, setValue] = useState<Loaded<T>>({ state: 'loading' });
  const current = useRef(key);
  current.current = key;
  const loader = useRef(load);
  loader.current = load;
  const run = useCallback(async () => {
    const asked = key;
    const result = await settle(() => loader.current());
    if (current.current !== asked) return;
    setValue(
      result.ok
        ? { state: 'ok', body: result.body, etag: result.etag }
        : { state: 'error', problem: result.problem },
    );
  }, [key]);
  useEffect(() => {
    setValue({ state: 'loading' });
    void run();
  }, [run]);
  const replace = useCallback(
    (body: T, etag: string | null = null) => setValue({ state: 'ok', body, etag }),
    [],
  );
  return [value, run, replace];
}

/** The loading text, the failure with a retry, or the content. */
export function Show<T>(props: {
  what: Loaded<T>;
  retry?: () => void;
  children: (body: T) => ComponentChildren;
}) {
  const m = cm.value;
  const what = props.what;
  if (what.state === 'loading') return <p role="status">…</p>;
  if (what.state === 'error') {
    return (
      <div class="error" role="alert">
        <p>{m.loadFailed(problemText(what.problem))}</p>
        {props.retry !== undefined && (
          <button type="button" onClick={props.retry}>
            {m.retry}
          </button>
        )}
      </div>
    );
  }
  return <>{props.children(what.body)}</>;
}

/** Moves within the console (a new history entry, no reload). */
export function go(path: string, replace = false): void {
  navigate({ name: 'console', path }, replace);
}

export function ConsoleLink(props: {
  to: string;
  children: ComponentChildren;
  class?: string;
  label?: string;
  current?: boolean;
}) {
  return (
    <a
      href={props.to}
      class={props.class}
      aria-label={props.label}
      aria-current={props.current === true ? 'page' : undefined}
      onClick={(event) => {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        go(props.to);
      }}
    >
      {props.children}
    </a>
  );
}

/** `?a=1&b=2` without the empty values. */
export function queryString(values: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values))
    if (value !== undefined && value !== '') params.set(key, value);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** The query of a console path as a plain record. */
export function queryOf(path: string): Record<string, string> {
  const at = path.indexOf('?');
  return at < 0 ? {} : Object.fromEntries(new URLSearchParams(path.slice(at + 1)));
}

/** How long since an instant, in days and hours. */
export function ageOf(instant: string, now = Date.now()): string {
  const hours = Math.max(0, Math.floor((now - Date.parse(instant)) / 3_600_000));
  return cm.value.age(Math.floor(hours / 24), hours % 24);
}

/** A score with its two decimals, or a dash. */
export function scoreText(score: number | null | undefined): string {
  return score === null || score === undefined ? cm.value.none : formatNumber(score);
}

export function percentText(percent: number | null | undefined): string {
  return percent === null || percent === undefined ? cm.value.none : `${formatNumber(percent)} %`;
}

/** A random ID for Idempotency-Key headers: a retried click sends the same one. */
export function newKey(): string {
  return crypto.randomUUID();
}

/** A calendar date shown in the user's language, the ISO date kept for machines. */
export function DateText(props: { date: string }) {
  return <time dateTime={props.date}>{formatDate(props.date)}</time>;
}

/** An instant shown in Viet Nam's time in the user's language, the ISO instant kept. */
export function DateTimeText(props: { instant: string }) {
  return <time dateTime={props.instant}>{formatDateTime(props.instant)}</time>;
}

/** Someone the screen's data names along with their Cognito sub (a visit's inspector). */
export interface KnownPerson {
  sub: string;
  name: string | null;
}

/**
 * The name of the person a Cognito sub is, as far as the console knows: the signed-in user, the
 * name the server recorded beside the sub when it wrote (`byName`, `publishedByName`...), or
 * someone the data on screen names (a visit carries its inspector's name). Managers have no staff
 * directory (GET /v1/staff is admins' only), so someone whose name was never recorded (items
 * written before names were kept, a token without a name) gets a short label from the sub.
 */
export function personName(
  sub: string,
  known: readonly KnownPerson[] = [],
  recorded: string | null = null,
): string {
  const user = currentUser.value;
  if (user !== null && user.sub === sub) return user.name;
  if (recorded) return recorded;
  return known.find((person) => person.sub === sub && person.name !== null)?.name ?? cm.value.someone(sub);
}

/** The person a visit names: its inspector, with the name they signed in with when they made it. */
export function inspectorOf(visit: { inspectorId: string; inspectorName: string | null }): KnownPerson[] {
  return [{ sub: visit.inspectorId, name: visit.inspectorName }];
}

/** One line of a visit's or a finding's history, as the API answers it. */
export interface HistoryEntry {
  at: string;
  by: string;
  byName: string | null;
  action: string;
  from: string | null;
  to: string | null;
  reason?: string | null;
}

/**
 * A history as a table (when, who, action, change, reason), the same on a visit's page and a
 * finding's; `change` says what the entry changed in the screen's own terms, and an empty
 * history says so instead of showing an empty table.
 */
export function HistoryTable<E extends HistoryEntry>(props: {
  titleId: string;
  entries: readonly E[];
  known: readonly KnownPerson[];
  change: (entry: E) => string;
}) {
  const m = cm.value;
  return (
    <section aria-labelledby={props.titleId}>
      <h2 id={props.titleId}>{m.history}</h2>
      {props.entries.length === 0 ? (
        <p data-testid="no-history">{m.noHistory}</p>
      ) : (
        <table class="grid">
          <thead>
            <tr>
              <th scope="col">{m.when}</th>
              <th scope="col">{m.who}</th>
              <th scope="col">{m.action}</th>
              <th scope="col">{m.change}</th>
              <th scope="col">{m.reason}</th>
            </tr>
          </thead>
          <tbody>
            {props.entries.map((entry) => (
              <tr key={`${entry.at}-${entry.action}`}>
                <td>
                  <DateTimeText instant={entry.at} />
                </td>
                <td>{personName(entry.by, props.known, entry.byName)}</td>
                <td>{m.auditAction[entry.action] ?? entry.action}</td>
                <td>{props.change(entry)}</td>
                <td>{entry.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/**
 * A modal confirmation (the browser's `<dialog>` with showModal: the rest of the page inert, the
 * focus on its first button, "Huỷ", Tab kept inside, Escape cancels). The focus goes back to
 * where it was when it is cancelled.
 */
export function ConfirmDialog(props: {
  id: string;
  open: boolean;
  title: string;
  text: string;
  confirm: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const m = cm.value;
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (props.open && !dialog.open) {
      opener.current = document.activeElement;
      dialog.showModal();
    } else if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  const cancel = () => {
    props.onCancel();
    const back = opener.current;
    if (back instanceof HTMLElement && back.isConnected) setTimeout(() => back.focus(), 0);
  };
  return (
    <dialog
      ref={ref}
      id={props.id}
      class="confirm"
      aria-labelledby={`${props.id}-title`}
      aria-describedby={`${props.id}-text`}
      onCancel={(event) => {
        event.preventDefault();
        cancel();
      }}
    >
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      <p id={`${props.id}-text`}>{props.text}</p>
      <div class="dialog-buttons">
        <button type="button" onClick={cancel}>
          {m.cancel}
        </button>
        <button type="button" class="primary" onClick={props.onConfirm}>
          {props.confirm}
        </button>
      </div>
    </dialog>
  );
}
