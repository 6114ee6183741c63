/**
 * The review queue: submitted visits in the manager's scope, oldest first, served by the visits'
 * status entries on the tree indexes (GET /v1/visits?status=submitted&order=oldest), refined by
 * checklist, period and unit subtree; each row shows the visit's evidence flags (docs/evidence.md). Filters live in the address, so a queue can be bookmarked.
 */
import { api, type ConsoleVisitRow } from './api.ts';
import { QueueEvidence } from './evidence.tsx';
import { CursorRows, FilterBar, periodField, templateField, unitSubtreeField } from './filters.tsx';
import { cm } from './messages.ts';
import {
  ageOf,
  ConsoleLink,
  DateTimeText,
  go,
  inspectorOf,
  personName,
  queryOf,
  queryString,
  Show,
  scoreText,
  useResource,
} from './parts.tsx';
import { unitName } from './units.ts';

function QueueTable(props: { rows: ConsoleVisitRow[] }) {
  const m = cm.value;
  return (
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
          <th scope="col">{m.flags}</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((visit) => (
          <tr key={visit.visitId} data-visit={visit.visitId}>
            <th scope="row">
              <ConsoleLink to={`/console/visits/${visit.visitId}`}>{unitName(visit.unitId)}</ConsoleLink>
              {visit.pendingApproval !== null && (
                <span class="badge status-pending">{m.approvalPending}</span>
              )}
            </th>
            <td>{personName(visit.inspectorId, inspectorOf(visit))}</td>
            <td class="num">{scoreText(visit.score)}</td>
            <td>
              <DateTimeText instant={visit.startedAt} />
            </td>
            <td>{visit.submittedAt === null ? m.none : <DateTimeText instant={visit.submittedAt} />}</td>
            <td>{visit.submittedAt === null ? m.none : ageOf(visit.submittedAt)}</td>
            <td data-evidence>
              <QueueEvidence evidence={visit.evidence} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
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
      <FilterBar
        key={key}
        fields={[templateField(), periodField(), unitSubtreeField()]}
        values={filters}
        onApply={(values) => go(`/console${queryString(values)}`)}
      />
      <Show what={page} retry={() => void reload()}>
        {(body) => (
          <CursorRows
            key={key}
            first={body}
            more={(cursor) => api.listVisits({ ...query, cursor })}
            empty={m.queueEmpty}
          >
            {(rows) => <QueueTable rows={rows} />}
          </CursorRows>
        )}
      </Show>
    </>
  );
}
