/**
 * What the console's list screens share: a filter bar described by its fields (the queue, the
 * findings, the rankings and the exports each list theirs) whose values go to the address when
 * applied, and a table that pages on with the API's cursor ("Xem thêm"), so a long list (100,000
 * findings) is read a page at a time and never whole.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { ApiResult } from '../api/client.ts';
import { localText } from '../i18n/index.ts';
import { cm } from './messages.ts';
import { problemText, settle } from './parts.tsx';
import { currentPeriods } from './periods.ts';
import { templatesList } from './templates.ts';
import { unitOptions } from './units.ts';

export interface FieldOption {
  value: string;
  label: string;
}

/** One control of a filter bar; `name` is its key in the address and in the API's query. */
export type FilterField =
  | { kind: 'select'; name: string; label: string; options: FieldOption[] }
  | {
      kind: 'text';
      name: string;
      label: string;
      placeholder?: string;
      pattern?: string;
      title?: string;
      size?: number;
      required?: boolean;
    }
  | { kind: 'check'; name: string; label: string };

export type FilterValues = Record<string, string>;

/** The checklist select: "any checklist" first unless a checklist must be chosen. */
export function templateField(required = false, name = 'templateId'): FilterField {
  const m = cm.value;
  const options = templatesList.value.map((template) => ({
    value: template.templateId,
    label: localText(template.title),
  }));
  return {
    kind: 'select',
    name,
    label: m.template,
    options: required ? options : [{ value: '', label: m.anyTemplate }, ...options],
  };
}

/** A year or a quarter, as every list of the API takes it; the example is this quarter. */
export function periodField(required = false): FilterField {
  const m = cm.value;
  const { year, quarter } = currentPeriods();
  return {
    kind: 'text',
    name: 'period',
    label: m.period,
    placeholder: quarter,
    pattern: '\\d{4}(-Q[1-4])?',
    title: m.periodHint(year, quarter),
    required,
  };
}

/** A unit and the units under it, indented in tree order; "whole jurisdiction" first. */
export function unitSubtreeField(): FilterField {
  const m = cm.value;
  return {
    kind: 'select',
    name: 'unitId',
    label: m.unitSubtree,
    options: [
      { value: '', label: m.wholeScope },
      ...unitOptions().map(({ unit, depth }) => ({
        value: unit.unitId,
        label: `${'\u00a0\u00a0'.repeat(depth)}${unit.name}`,
      })),
    ],
  };
}

/** The values worth sending: trimmed, the empty ones left out. */
export function filled(values: FilterValues): FilterValues {
  const out: FilterValues = {};
  for (const [name, value] of Object.entries(values)) {
    const trimmed = value.trim();
    if (trimmed !== '') out[name] = trimmed;
  }
  return out;
}

/**
 * A form of filters: its own copy of the values while the user chooses, handed to `onApply` (the
 * screen puts them in the address) on submit. Give it a `key` that changes with the address, so
 * that going back shows the address's values again.
 */
export function FilterBar(props: {
  fields: FilterField[];
  values: FilterValues;
  onApply: (values: FilterValues) => void;
  submitLabel?: string;
  /** Why the submit button is off for now (e.g. the checklists are not loaded yet). */
  disabled?: (values: FilterValues) => boolean;
  children?: ComponentChildren;
}) {
  const m = cm.value;
  const [values, setValues] = useState(props.values);
  const set = (name: string, value: string) => setValues({ ...values, [name]: value });
  return (
    <form
      class="filters"
      aria-label={m.filters}
      onSubmit={(event) => {
        event.preventDefault();
        props.onApply(filled(values));
      }}
    >
      {props.fields.map((field) => {
        const value = values[field.name] ?? '';
        if (field.kind === 'select') {
          return (
            <label key={field.name}>
              {field.label}
              <select
                name={field.name}
                value={value}
                onChange={(e) => set(field.name, e.currentTarget.value)}
              >
                {field.options.map((option) => (
                  <option key={option.value} value={option.value}>
                    {option.label}
                  </option>
                ))}
              </select>
            </label>
          );
        }
        if (field.kind === 'check') {
          return (
            <label key={field.name} class="check">
              <input
                type="checkbox"
                name={field.name}
                checked={value === 'true'}
                onChange={(e) => set(field.name, e.currentTarget.checked ? 'true' : '')}
              />
              {field.label}
            </label>
          );
        }
        return (
          <label key={field.name}>
            {field.label}
            <input
              type="text"
              name={field.name}
              value={value}
              placeholder={field.placeholder}
              pattern={field.pattern}
              title={field.title}
              size={field.size}
              required={field.required}
              onInput={(e) => set(field.name, e.currentTarget.value)}
            />
          </label>
        );
      })}
      {props.children}
      <button type="submit" class="primary" disabled={props.disabled?.(values) === true}>
        {props.submitLabel ?? m.apply}
      </button>
    </form>
  );
}

export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * The rows of a first page and the ones that follow: "Xem thêm" asks `more` for the page after
 * the cursor and appends it; a failed page says why and keeps what is shown. Give it a `key` that
 * changes with the query, so a new query starts from its own first page.
 */
export function CursorRows<T>(props: {
  first: CursorPage<T>;
  more: (cursor: string) => Promise<ApiResult<CursorPage<T>>>;
  empty: string;
  children: (rows: T[]) => ComponentChildren;
}) {
  const m = cm.value;
  const [rows, setRows] = useState(props.first.items);
  const [cursor, setCursor] = useState(props.first.nextCursor);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <>
      {rows.length === 0 ? <p>{props.empty}</p> : props.children(rows)}
      {failure !== null && (
        <p class="error" role="alert">
          {failure}
        </p>
      )}
      {cursor !== null && (
        <button
          type="button"
          class="more-rows"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            const result = await settle(() => props.more(cursor));
            setBusy(false);
            if (!result.ok) {
              setFailure(m.loadFailed(problemText(result.problem)));
              return;
            }
            setFailure(null);
            setRows((shown) => [...shown, ...result.body.items]);
            setCursor(result.body.nextCursor);
          }}
        >
          {m.loadMore}
        </button>
      )}
    </>
  );
}
