/**
 * Findings follow-up: the table (GET /v1/findings with the filters it serves: unit subtree,
 * period, status, severity, section, item, overdue; newest visit first, or by due date for
 * overdue ones) with cursor paging, so 100,000 findings are read a page at a time; and a finding's
 * page with its lifecycle (the domain's `nextStatuses`), due date changes and their history.
 */
import { useEffect, useState } from 'preact/hooks';
import { nextStatuses } from '#domain/finding.ts';
import { formatDate, formatDateTime, localText } from '../i18n/index.ts';
import { api, type ConsoleFinding, type ConsoleFindingRow } from './api.ts';
import { ExportPanel } from './Export.tsx';
import { CursorRows, FilterBar, type FilterField, periodField, unitSubtreeField } from './filters.tsx';
import { type ConsoleMessages, cm } from './messages.ts';
import {
  ConsoleLink,
  DateText,
  DateTimeText,
  go,
  HistoryTable,
  inspectorOf,
  type KnownPerson,
  personName,
  problemText,
  queryOf,
  queryString,
  Show,
  settle,
  useResource,
} from './parts.tsx';
import { unitName } from './units.ts';

const statuses = ['open', 'in_progress', 'resolved', 'verified', 'dismissed'] as const;
const severities = ['low', 'medium', 'high', 'critical'] as const;
const filterKeys = ['unitId', 'period', 'status', 'severity', 'sectionCode', 'itemCode', 'overdue'] as const;

/** The filters of the address, as the API takes them (and as an export's filters are built). */
export function findingFilters(path: string): Record<string, string> {
  const query = queryOf(path);
  const out: Record<string, string> = {};
  for (const key of filterKeys) {
    const value = query[key];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

/** The findings list's filter bar: every filter GET /v1/findings serves. */
export function findingFields(): FilterField[] {
  const m = cm.value;
  return [
    unitSubtreeField(),
    periodField(),
    {
      kind: 'select',
      name: 'status',
      label: m.status,
      options: [
        { value: '', label: m.all },
        ...statuses.map((status) => ({ value: status, label: m.findingStatus[status] })),
      ],
    },
    {
      kind: 'select',
      name: 'severity',
      label: m.severityLabel,
      options: [
        { value: '', label: m.all },
        ...severities.map((severity) => ({ value: severity, label: m.severity[severity] })),
      ],
    },
    { kind: 'text', name: 'sectionCode', label: m.section, size: 4 },
    { kind: 'text', name: 'itemCode', label: m.itemCode, size: 4 },
    { kind: 'check', name: 'overdue', label: m.overdueOnly },
  ];
}

function FindingTable(props: { rows: ConsoleFindingRow[] }) {
  const m = cm.value;
  return (
    <table class="grid">
      <thead>
        <tr>
          <th scope="col">{m.finding}</th>
          <th scope="col">{m.unit}</th>
          <th scope="col">{m.item}</th>
          <th scope="col">{m.severityLabel}</th>
          <th scope="col">{m.status}</th>
          <th scope="col">{m.dueDate}</th>
          <th scope="col">{m.startedAt}</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((finding) => (
          <tr
            key={finding.findingId}
            data-finding={finding.findingId}
            class={finding.overdue ? 'overdue' : undefined}
          >
            <th scope="row">
              <ConsoleLink to={`/console/findings/${finding.findingId}`}>
                {localText(finding.title)}
              </ConsoleLink>
            </th>
            <td>{unitName(finding.unitId)}</td>
            <td>{finding.itemCode ?? m.none}</td>
            <td>
              <span class={`badge severity-${finding.severity}`}>{m.severity[finding.severity]}</span>
            </td>
            <td>{m.findingStatus[finding.status]}</td>
            <td data-due={finding.dueDate}>
              <DateText date={finding.dueDate} />
              {finding.overdue && <span class="badge status-failed">{m.overdue}</span>}
            </td>
            <td>
              <DateTimeText instant={finding.periodStartedAt} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function FindingsScreen(props: { path: string }) {
  const m = cm.value;
  const filters = findingFilters(props.path);
  const query = { ...filters, limit: '50' };
  const key = JSON.stringify(query);
  const [page, reload] = useResource(key, () => api.listFindings(query));
  return (
    <>
      <h1>{m.findingsTitle}</h1>
      <p>{m.findingsIntro}</p>
      <FilterBar
        key={key}
        fields={findingFields()}
        values={filters}
        onApply={(values) => go(`/console/findings${queryString(values)}`)}
      />
      <ExportPanel key={key} filters={filters} />
      <Show what={page} retry={() => void reload()}>
        {(body) => (
          <CursorRows
            key={key}
            first={body}
            more={(cursor) => api.listFindings({ ...query, cursor })}
            empty={m.findingsEmpty}
          >
            {(rows) => <FindingTable rows={rows} />}
          </CursorRows>
        )}
      </Show>
    </>
  );
}

type LifecycleField = 'note' | 'reason' | 'dueDate';
const lifecycleFields: readonly LifecycleField[] = ['note', 'reason', 'dueDate'];

/**
 * What the browser checks before a move, as the domain does (applyFindingPatch): resolving needs
 * a note, dismissing a reason. Returns the field missing, or null.
 */
export function missingForMove(
  status: ConsoleFinding['status'],
  note: string,
  reason: string,
): 'note' | 'reason' | null {
  if (status === 'resolved' && note.trim() === '') return 'note';
  if (status === 'dismissed' && reason.trim() === '') return 'reason';
  return null;
}

/**
 * The server's field problems by field (a path such as `note` or `body.note`, its last segment),
 * and the rest, which no field shows.
 */
export function fieldProblems(errors: ReadonlyArray<{ path: string; message: string }>): {
  fields: Partial<Record<LifecycleField, string>>;
  rest: string[];
} {
  const fields: Partial<Record<LifecycleField, string>> = {};
  const rest: string[] = [];
  for (const error of errors) {
    const last = error.path.split('.').pop() ?? '';
    const field = lifecycleFields.find((name) => name === last);
    if (field === undefined) rest.push(error.message);
    else fields[field] = fields[field] === undefined ? error.message : `${fields[field]} ${error.message}`;
  }
  return { fields, rest };
}

function FieldProblem(props: { id: string; text: string | undefined }) {
  return props.text === undefined ? null : (
    <p id={props.id} class="field-problem error">
      {props.text}
    </p>
  );
}

function Lifecycle(props: { finding: ConsoleFinding; onChanged: (finding: ConsoleFinding | null) => void }) {
  const m = cm.value;
  const finding = props.finding;
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [dueDate, setDueDate] = useState(finding.dueDate);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'done' | 'error'; text: string } | null>(null);
  const [problems, setProblems] = useState<Partial<Record<LifecycleField, string>>>({});

  function focusField(field: LifecycleField) {
    // After the render that shows the field's problem, so a screen reader reads it with the field.
    setTimeout(() => document.getElementById(`finding-${field === 'dueDate' ? 'due' : field}`)?.focus(), 0);
  }

  async function patch(body: Parameters<typeof api.patchFinding>[1]) {
    setBusy(true);
    setProblems({});
    const result = await settle(() => api.patchFinding(finding.findingId, body, finding.etag));
    setBusy(false);
    if (result.ok) {
      setMessage({ kind: 'done', text: m.saved });
      props.onChanged(result.body);
    } else if (result.problem.code === 'precondition_failed') {
      setMessage({ kind: 'error', text: m.staleFinding });
      props.onChanged(null);
    } else {
      const { fields, rest } = fieldProblems(result.problem.errors);
      setProblems(fields);
      setMessage({ kind: 'error', text: [problemText(result.problem), ...rest].join(' ') });
      const first = lifecycleFields.find((field) => fields[field] !== undefined);
      if (first !== undefined) focusField(first);
    }
  }

  function move(status: ConsoleFinding['status']) {
    const missing = missingForMove(status, note, reason);
    if (missing !== null) {
      setMessage(null);
      setProblems({ [missing]: missing === 'note' ? m.noteRequired : m.reasonRequired });
      focusField(missing);
      return;
    }
    void patch({
      status,
      ...(note.trim() !== '' ? { note: note.trim() } : {}),
      ...(status === 'dismissed' && reason.trim() !== '' ? { reason: reason.trim() } : {}),
    });
  }

  const moves = nextStatuses[finding.status];
  // Only what still applies: the reason goes with dismissal, the note's "required" with resolving.
  const canDismiss = moves.includes('dismissed');
  const canResolve = moves.includes('resolved');
  return (
    <section class="panel actions" aria-labelledby="lifecycle-title">
      <h2 id="lifecycle-title">{m.lifecycle}</h2>
      {message !== null && (
        <p
          class={message.kind === 'done' ? 'notice' : 'error'}
          role={message.kind === 'done' ? 'status' : 'alert'}
        >
          {message.text}
        </p>
      )}
      {moves.length === 0 ? (
        <p>{m.noMoves}</p>
      ) : (
        <>
          <label for="finding-note">{canResolve ? m.noteField : m.noteFieldPlain}</label>
          <textarea
            id="finding-note"
            rows={2}
            maxLength={2000}
            value={note}
            aria-invalid={problems.note !== undefined}
            aria-describedby={problems.note !== undefined ? 'finding-note-problem' : undefined}
            onInput={(e) => {
              setNote(e.currentTarget.value);
              if (problems.note !== undefined) setProblems({ ...problems, note: undefined });
            }}
          />
          <FieldProblem id="finding-note-problem" text={problems.note} />
          {canDismiss && (
            <>
              <label for="finding-reason">{m.reasonField}</label>
              <textarea
                id="finding-reason"
                rows={2}
                maxLength={2000}
                value={reason}
                aria-invalid={problems.reason !== undefined}
                aria-describedby={problems.reason !== undefined ? 'finding-reason-problem' : undefined}
                onInput={(e) => {
                  setReason(e.currentTarget.value);
                  if (problems.reason !== undefined) setProblems({ ...problems, reason: undefined });
                }}
              />
              <FieldProblem id="finding-reason-problem" text={problems.reason} />
            </>
          )}
          <div>
            {moves.map((status) => (
              <button
                key={status}
                type="button"
                class={status === 'dismissed' ? 'danger' : 'primary'}
                disabled={busy}
                onClick={() => move(status)}
              >
                {m.moveTo(m.findingStatus[status])}
              </button>
            ))}
          </div>
        </>
      )}
      {(finding.status === 'open' || finding.status === 'in_progress') && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void patch({ dueDate });
          }}
        >
          <label for="finding-due">{m.newDueDate}</label>
          <input
            id="finding-due"
            type="date"
            value={dueDate}
            aria-invalid={problems.dueDate !== undefined}
            aria-describedby={problems.dueDate !== undefined ? 'finding-due-problem' : undefined}
            onInput={(e) => setDueDate(e.currentTarget.value)}
          />
          <FieldProblem id="finding-due-problem" text={problems.dueDate} />
          <button type="submit" disabled={busy || dueDate === finding.dueDate}>
            {m.changeDueDate}
          </button>
        </form>
      )}
    </section>
  );
}

function FindingBody(props: {
  finding: ConsoleFinding;
  onChanged: (finding: ConsoleFinding | null) => void;
}) {
  const m = cm.value;
  const finding = props.finding;
  // A finding approved before names were kept has no inspectorName; its visit has it.
  const [known, setKnown] = useState<KnownPerson[]>([]);
  const nameless = finding.inspectorName === null;
  useEffect(() => {
    if (!nameless) return;
    let live = true;
    void settle(() => api.getVisit(finding.visitId)).then((result) => {
      if (live && result.ok) setKnown(inspectorOf(result.body));
    });
    return () => {
      live = false;
    };
  }, [finding.visitId, nameless]);
  return (
    <>
      <h1>{m.findingTitle(unitName(finding.unitId))}</h1>
      <div class="review-top">
        <dl class="facts" data-status={finding.status}>
          <dt>{m.finding}</dt>
          <dd>{localText(finding.title)}</dd>
          <dt>{m.item}</dt>
          <dd>{finding.itemCode ?? m.none}</dd>
          <dt>{m.severityLabel}</dt>
          <dd>{m.severity[finding.severity]}</dd>
          <dt>{m.status}</dt>
          <dd>{m.findingStatus[finding.status]}</dd>
          <dt>{m.dueDate}</dt>
          <dd data-testid="due-date">
            <DateText date={finding.dueDate} />
            {finding.overdue && <span class="badge status-failed">{m.overdue}</span>}
          </dd>
          <dt>{m.inspector}</dt>
          <dd data-testid="finding-inspector">
            {personName(finding.inspectorId, known, finding.inspectorName)}
          </dd>
          <dt>{m.visit}</dt>
          <dd>
            <ConsoleLink to={`/console/visits/${finding.visitId}`}>{m.openVisit}</ConsoleLink>
            {` · ${formatDateTime(finding.periodStartedAt)}`}
          </dd>
          {finding.answer !== null &&
            finding.answer.note !== null &&
            finding.answer.note !== finding.inspectorNote && (
              <>
                <dt>{m.note}</dt>
                <dd>{finding.answer.note}</dd>
              </>
            )}
          {finding.inspectorNote !== null && (
            <>
              <dt>{m.inspectorNote}</dt>
              <dd>{finding.inspectorNote}</dd>
            </>
          )}
          {finding.note !== null && (
            <>
              <dt>{m.progressNote}</dt>
              <dd>{finding.note}</dd>
            </>
          )}
          {finding.reason !== null && (
            <>
              <dt>{m.dismissReason}</dt>
              <dd>{finding.reason}</dd>
            </>
          )}
        </dl>
        <Lifecycle key={finding.etag} finding={finding} onChanged={props.onChanged} />
      </div>
      <HistoryTable
        titleId="finding-history"
        entries={finding.history}
        known={known}
        change={(entry) => historyChange(entry, m)}
      />
    </>
  );
}

/** A finding's change as people read it: statuses by their names, dates and notes as they are. */
function historyChange(
  entry: { action: string; from: string | null; to: string | null },
  m: ConsoleMessages,
) {
  const name = (value: string | null) =>
    value === null
      ? m.none
      : entry.action === 'status' || entry.action === 'dismiss' || entry.action === 'create'
        ? (m.findingStatus[value as keyof typeof m.findingStatus] ?? value)
        : entry.action === 'due_date'
          ? formatDate(value)
          : value;
  return entry.from === entry.to ? name(entry.to) : `${name(entry.from)} → ${name(entry.to)}`;
}

export function FindingScreen(props: { findingId: string }) {
  const [finding, reload, replace] = useResource(props.findingId, () => api.getFinding(props.findingId));
  return (
    <Show what={finding} retry={() => void reload()}>
      {(body) => (
        <FindingBody
          finding={body}
          onChanged={(changed) => {
            if (changed === null) void reload();
            else replace(changed);
          }}
        />
      )}
    </Show>
  );
}
