/**
 * Findings follow-up: the table (GET /v1/findings with the filters it serves: unit subtree,
 * period, status, severity, section, item, overdue; newest visit first, or by due date for
 * overdue ones) with cursor paging, so 100,000 findings are read a page at a time; and a finding's
 * page with its lifecycle (the domain's `nextStatuses`), due date changes and their history.
 */
import { useState } from 'preact/hooks';
import { nextStatuses } from '#domain/finding.ts';
import { formatDateTime, localText } from '../i18n/index.ts';
import { api, type ConsoleFinding, type ConsoleFindingRow } from './api.ts';
import { ExportPanel } from './Export.tsx';
import { cm } from './messages.ts';
import { ConsoleLink, go, problemText, queryOf, queryString, Show, settle, useResource } from './parts.tsx';
import { unitName, unitOptions } from './units.ts';

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

function FindingFilters(props: {
  values: Record<string, string>;
  onApply: (values: Record<string, string>) => void;
}) {
  const m = cm.value;
  const [values, setValues] = useState(props.values);
  const set = (key: string, value: string) => setValues({ ...values, [key]: value });
  return (
    <form
      class="filters"
      aria-label={m.filters}
      onSubmit={(event) => {
        event.preventDefault();
        props.onApply(values);
      }}
    >
      <label>
        {m.unitSubtree}
        <select value={values.unitId ?? ''} onChange={(e) => set('unitId', e.currentTarget.value)}>
          <option value="">{m.wholeScope}</option>
          {unitOptions().map(({ unit, depth }) => (
            <option key={unit.unitId} value={unit.unitId}>
              {`${'\u00a0\u00a0'.repeat(depth)}${unit.name}`}
            </option>
          ))}
        </select>
      </label>
      <label>
        {m.period}
        <input
          type="text"
          value={values.period ?? ''}
          placeholder="2026-Q3"
          pattern="\d{4}(-Q[1-4])?"
          title={m.periodHint}
          onInput={(e) => set('period', e.currentTarget.value.trim())}
        />
      </label>
      <label>
        {m.status}
        <select value={values.status ?? ''} onChange={(e) => set('status', e.currentTarget.value)}>
          <option value="">{m.all}</option>
          {statuses.map((status) => (
            <option key={status} value={status}>
              {m.findingStatus[status]}
            </option>
          ))}
        </select>
      </label>
      <label>
        {m.severityLabel}
        <select value={values.severity ?? ''} onChange={(e) => set('severity', e.currentTarget.value)}>
          <option value="">{m.all}</option>
          {severities.map((severity) => (
            <option key={severity} value={severity}>
              {m.severity[severity]}
            </option>
          ))}
        </select>
      </label>
      <label>
        {m.section}
        <input
          type="text"
          size={4}
          value={values.sectionCode ?? ''}
          onInput={(e) => set('sectionCode', e.currentTarget.value.trim())}
        />
      </label>
      <label>
        {m.itemCode}
        <input
          type="text"
          size={4}
          value={values.itemCode ?? ''}
          onInput={(e) => set('itemCode', e.currentTarget.value.trim())}
        />
      </label>
      <label class="check">
        <input
          type="checkbox"
          checked={values.overdue === 'true'}
          onChange={(e) => set('overdue', e.currentTarget.checked ? 'true' : '')}
        />
        {m.overdueOnly}
      </label>
      <button type="submit" class="primary">
        {m.apply}
      </button>
    </form>
  );
}

function FindingRows(props: {
  first: ConsoleFindingRow[];
  cursor: string | null;
  query: Record<string, string>;
}) {
  const m = cm.value;
  const [rows, setRows] = useState(props.first);
  const [cursor, setCursor] = useState(props.cursor);
  const [failure, setFailure] = useState<string | null>(null);
  return (
    <>
      {rows.length === 0 ? (
        <p>{m.findingsEmpty}</p>
      ) : (
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
            {rows.map((finding) => (
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
                  {finding.dueDate}
                  {finding.overdue && <span class="badge status-failed">{m.overdue}</span>}
                </td>
                <td>{formatDateTime(finding.periodStartedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {failure !== null && (
        <p class="error" role="alert">
          {failure}
        </p>
      )}
      {cursor !== null && (
        <button
          type="button"
          onClick={async () => {
            const result = await settle(() => api.listFindings({ ...props.query, cursor }));
            if (!result.ok) {
              setFailure(m.loadFailed(problemText(result.problem)));
              return;
            }
            setFailure(null);
            setRows([...rows, ...result.body.items]);
            setCursor(result.body.nextCursor);
          }}
        >
          {m.loadMore}
        </button>
      )}
    </>
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
      <FindingFilters
        key={key}
        values={filters}
        onApply={(values) => go(`/console/findings${queryString(values)}`)}
      />
      <ExportPanel key={key} filters={filters} />
      <Show what={page} retry={() => void reload()}>
        {(body) => <FindingRows key={key} first={body.items} cursor={body.nextCursor} query={query} />}
      </Show>
    </>
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

  async function patch(body: Parameters<typeof api.patchFinding>[1]) {
    setBusy(true);
    const result = await settle(() => api.patchFinding(finding.findingId, body, finding.etag));
    setBusy(false);
    if (result.ok) {
      setMessage({ kind: 'done', text: m.saved });
      props.onChanged(result.body);
    } else if (result.problem.code === 'precondition_failed') {
      setMessage({ kind: 'error', text: m.staleFinding });
      props.onChanged(null);
    } else setMessage({ kind: 'error', text: problemText(result.problem) });
  }

  const moves = nextStatuses[finding.status];
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
          <label for="finding-note">{m.noteField}</label>
          <textarea
            id="finding-note"
            rows={2}
            maxLength={2000}
            value={note}
            onInput={(e) => setNote(e.currentTarget.value)}
          />
          <label for="finding-reason">{m.reasonField}</label>
          <textarea
            id="finding-reason"
            rows={2}
            maxLength={2000}
            value={reason}
            onInput={(e) => setReason(e.currentTarget.value)}
          />
          <div>
            {moves.map((status) => (
              <button
                key={status}
                type="button"
                class={status === 'dismissed' ? 'danger' : 'primary'}
                disabled={busy}
                onClick={() =>
                  void patch({
                    status,
                    ...(note.trim() !== '' ? { note: note.trim() } : {}),
                    ...(status === 'dismissed' && reason.trim() !== '' ? { reason: reason.trim() } : {}),
                  })
                }
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
            onInput={(e) => setDueDate(e.currentTarget.value)}
          />
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
            {finding.dueDate}
            {finding.overdue && <span class="badge status-failed">{m.overdue}</span>}
          </dd>
          <dt>{m.visit}</dt>
          <dd>
            <ConsoleLink to={`/console/visits/${finding.visitId}`}>{m.openVisit}</ConsoleLink>
            {` · ${formatDateTime(finding.periodStartedAt)}`}
          </dd>
          {finding.answer !== null && finding.answer.note !== null && (
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
      <section aria-labelledby="finding-history">
        <h2 id="finding-history">{m.history}</h2>
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
            {finding.history.map((entry) => (
              <tr key={`${entry.at}-${entry.action}`}>
                <td>{formatDateTime(entry.at)}</td>
                <td>{entry.by}</td>
                <td>{entry.action}</td>
                <td>{`${entry.from ?? m.none} → ${entry.to ?? m.none}`}</td>
                <td>{entry.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
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
