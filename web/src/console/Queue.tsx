/**
 * The review queue: submitted visits in the manager's scope, oldest first, served by the visits'
 * status entries on the tree indexes (GET /v1/visits?status=submitted&order=oldest), refined by
 * checklist, period and unit subtree. Filters live in the address, so a queue can be bookmarked.
 */
import { useState } from 'preact/hooks';
import { formatDateTime, localText } from '../i18n/index.ts';
import { api, type ConsoleVisitRow } from './api.ts';
import { cm } from './messages.ts';
import {
  ageOf,
  ConsoleLink,
  go,
  problemText,
  queryOf,
  queryString,
  Show,
  scoreText,
  settle,
  useResource,
} from './parts.tsx';
import { templatesList } from './templates.ts';
import { unitName, unitOptions } from './units.ts';

export interface QueueFilters {
  templateId?: string;
  period?: string;
  unitId?: string;
}

/** The checklist, period and subtree selects that several screens share. */
export function ScopeFilters(props: {
  values: QueueFilters;
  onApply: (values: QueueFilters) => void;
  templateRequired?: boolean;
  extra?: preact.ComponentChildren;
}) {
  const m = cm.value;
  const [templateId, setTemplateId] = useState(props.values.templateId ?? '');
  const [period, setPeriod] = useState(props.values.period ?? '');
  const [unitId, setUnitId] = useState(props.values.unitId ?? '');
  const templates = templatesList.value;
  return (
    <form
      class="filters"
      aria-label={m.filters}
      onSubmit={(event) => {
        event.preventDefault();
        props.onApply({
          ...(templateId !== '' ? { templateId } : {}),
          ...(period.trim() !== '' ? { period: period.trim() } : {}),
          ...(unitId !== '' ? { unitId } : {}),
        });
      }}
    >
      <label>
        {m.template}
        <select value={templateId} onChange={(event) => setTemplateId(event.currentTarget.value)}>
          {props.templateRequired !== true && <option value="">{m.anyTemplate}</option>}
          {templates.map((template) => (
            <option key={template.templateId} value={template.templateId}>
              {localText(template.title)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {m.period}
        <input
          type="text"
          value={period}
          placeholder="2026-Q3"
          pattern="\d{4}(-Q[1-4])?"
          title={m.periodHint}
          onInput={(event) => setPeriod(event.currentTarget.value)}
        />
      </label>
      <label>
        {m.unitSubtree}
        <select value={unitId} onChange={(event) => setUnitId(event.currentTarget.value)}>
          <option value="">{m.wholeScope}</option>
          {unitOptions().map(({ unit, depth }) => (
            <option key={unit.unitId} value={unit.unitId}>
              {`${'\u00a0\u00a0'.repeat(depth)}${unit.name}`}
            </option>
          ))}
        </select>
      </label>
      {props.extra}
      <button type="submit" class="primary">
        {m.apply}
      </button>
    </form>
  );
}

function QueueRows(props: {
  first: ConsoleVisitRow[];
  cursor: string | null;
  query: Record<string, string>;
}) {
  const m = cm.value;
  const [rows, setRows] = useState(props.first);
  const [cursor, setCursor] = useState(props.cursor);
  const [more, setMore] = useState<string | null>(null);
  if (rows.length === 0) return <p>{m.queueEmpty}</p>;
  return (
    <>
      <table class="grid">
        <thead>
          <tr>
            <th scope="col">{m.unit}</th>
            <th scope="col">{m.inspector}</th>
            <th scope="col" class="num">
              {m.score}
            </th>
            <th scope="col">{m.startedAt}</th>
            <th scope="col">{m.submittedAt}</th>
            <th scope="col">{m.waiting}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((visit) => (
            <tr key={visit.visitId} data-visit={visit.visitId}>
              <th scope="row">
                <ConsoleLink to={`/console/visits/${visit.visitId}`}>{unitName(visit.unitId)}</ConsoleLink>
                {visit.pendingApproval !== null && (
                  <span class="badge status-pending">{m.approvalPending}</span>
                )}
              </th>
              <td>{visit.inspectorName ?? visit.inspectorId}</td>
              <td class="num">{scoreText(visit.score)}</td>
              <td>{formatDateTime(visit.startedAt)}</td>
              <td>{visit.submittedAt === null ? m.none : formatDateTime(visit.submittedAt)}</td>
              <td>{visit.submittedAt === null ? m.none : ageOf(visit.submittedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {more !== null && (
        <p class="error" role="alert">
          {more}
        </p>
      )}
      {cursor !== null && (
        <button
          type="button"
          onClick={async () => {
            const result = await settle(() => api.listVisits({ ...props.query, cursor }));
            if (!result.ok) {
              setMore(m.loadFailed(problemText(result.problem)));
              return;
            }
            setMore(null);
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

export function QueueScreen(props: { path: string }) {
  const m = cm.value;
  const filters = queryOf(props.path);
  const query = {
    status: 'submitted',
    order: 'oldest',
    limit: '25',
    ...(filters.templateId ? { templateId: filters.templateId } : {}),
    ...(filters.period ? { period: filters.period } : {}),
    ...(filters.unitId ? { unitId: filters.unitId } : {}),
  };
  const key = JSON.stringify(query);
  const [page, reload] = useResource(key, () => api.listVisits(query));
  return (
    <>
      <h1>{m.queueTitle}</h1>
      <p>{m.queueIntro}</p>
      <ScopeFilters values={filters} onApply={(values) => go(`/console${queryString({ ...values })}`)} />
      <Show what={page} retry={() => void reload()}>
        {(body) => <QueueRows key={key} first={body.items} cursor={body.nextCursor} query={query} />}
      </Show>
    </>
  );
}
