/**
 * The exports page: what POST /v1/exports takes (findings with the findings list's filters, or a
 * ranking's peer group, each as CSV or XLSX) chosen in the address, the export started with an
 * Idempotency-Key, its progress followed, and the exports this desk started listed with their
 * status and a download (a fresh presigned link at each click). The API keeps no list of exports,
 * so the list is this browser tab's (web/src/console/exports.ts).
 */
import { useEffect, useState } from 'preact/hooks';
import { localText } from '../i18n/index.ts';
import { exportFilters } from './Export.tsx';
import {
  downloadNow,
  type ExportRequest,
  recentExports,
  resumeWatching,
  type StartedExport,
  startExport,
} from './exports.ts';
import { findingFields } from './Findings.tsx';
import { FilterBar, type FilterField } from './filters.tsx';
import { cm } from './messages.ts';
import { ConsoleLink, DateTimeText, go, newKey, problemText, queryOf, queryString } from './parts.tsx';
import { currentYear } from './periods.ts';
import { rankingFields } from './Rankings.tsx';
import { templatesList, templatesLoaded } from './templates.ts';
import { unitName, unitRoots, unitsState } from './units.ts';

type Kind = ExportRequest['kind'];
const kinds: readonly Kind[] = ['findings', 'ranking'];
const formats = ['csv', 'xlsx'] as const;
/** The address's keys that are not filters: what to export and as what. */
const own = ['export', 'format'];

function formatField(): FilterField {
  const m = cm.value;
  return {
    kind: 'select',
    name: 'format',
    label: m.exportFormat,
    options: formats.map((format) => ({ value: format, label: m.formatName[format] })),
  };
}

/** The export body for the values of the filter bar. */
function requestOf(kind: Kind, values: Record<string, string>): ExportRequest {
  const format = values.format === 'xlsx' ? 'xlsx' : 'csv';
  const filters = Object.fromEntries(Object.entries(values).filter(([name]) => !own.includes(name)));
  if (kind === 'findings') return { kind, format, filters: exportFilters(filters) };
  return {
    kind,
    format,
    filters: {
      templateId: filters.templateId ?? '',
      period: filters.period ?? '',
      parentId: filters.parentId ?? '',
      kind: (filters.kind ?? 'ward') as Extract<ExportRequest, { kind: 'ranking' }>['filters']['kind'],
    },
  };
}

/** What an export was asked for, in words. */
function summaryOf(entry: StartedExport): string {
  const m = cm.value;
  const filters = entry.filters as Record<string, unknown>;
  if (entry.kind === 'ranking') {
    const template = templatesList.value.find((t) => t.templateId === filters.templateId);
    const kind = m.unitKind[filters.kind as keyof typeof m.unitKind] ?? String(filters.kind);
    return [
      template === undefined ? String(filters.templateId) : localText(template.title),
      String(filters.period),
      `${unitName(String(filters.parentId))} · ${kind}`,
    ].join(' · ');
  }
  const parts = Object.entries(filters).map(([name, value]) => {
    if (name === 'unitId') return unitName(String(value));
    if (name === 'overdue') return m.overdue;
    if (name === 'status') return m.findingStatus[value as keyof typeof m.findingStatus] ?? String(value);
    if (name === 'severity') return m.severity[value as keyof typeof m.severity] ?? String(value);
    return `${name}: ${String(value)}`;
  });
  return parts.length === 0 ? m.noFilters : parts.join(' · ');
}

function DownloadButton(props: { entry: StartedExport }) {
  const m = cm.value;
  const [busy, setBusy] = useState(false);
  const [gone, setGone] = useState(false);
  return (
    <>
      <button
        type="button"
        disabled={busy}
        aria-label={m.downloadOf(props.entry.exportId.slice(0, 8))}
        onClick={async () => {
          setBusy(true);
          const given = await downloadNow(props.entry);
          setBusy(false);
          setGone(!given);
        }}
      >
        {m.download}
      </button>
      {gone && (
        <span class="error" role="alert">
          {m.linkGone}
        </span>
      )}
    </>
  );
}

function RecentExports() {
  const m = cm.value;
  const list = recentExports.value;
  return (
    <section aria-labelledby="recent-title">
      <h2 id="recent-title">{m.recentExports}</h2>
      <p class="hint">{m.recentHint}</p>
      {list.length === 0 ? (
        <p>{m.recentEmpty}</p>
      ) : (
        <table class="grid exports">
          <thead>
            <tr>
              <th scope="col">{m.startedAt}</th>
              <th scope="col">{m.exportWhat}</th>
              <th scope="col">{m.exportFormat}</th>
              <th scope="col">{m.filters}</th>
              <th scope="col">{m.status}</th>
              <th scope="col" class="num">
                {m.rows}
              </th>
              <th scope="col">{m.download}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((entry) => (
              <tr key={entry.exportId} data-export={entry.exportId} data-status={entry.status}>
                <td>
                  <DateTimeText instant={entry.startedAt} />
                </td>
                <td>{m.exportKind[entry.kind]}</td>
                <td>{entry.format.toUpperCase()}</td>
                <td>{summaryOf(entry)}</td>
                <td>
                  <span class={`badge export-${entry.status}`}>{m.exportStatus[entry.status]}</span>
                </td>
                <td class="num">{entry.rows ?? m.none}</td>
                <td>{entry.status === 'ready' ? <DownloadButton entry={entry} /> : m.none}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function ExportsScreen(props: { path: string }) {
  const m = cm.value;
  const asked = queryOf(props.path);
  const kind: Kind = asked.export === 'ranking' ? 'ranking' : 'findings';
  const defaults: Record<string, string> =
    kind === 'ranking'
      ? {
          templateId: templatesList.value[0]?.templateId ?? '',
          period: currentYear(),
          parentId: unitRoots.value[0] ?? '',
          kind: 'ward',
        }
      : {};
  const values = { format: 'csv', ...defaults, ...asked };
  const [key, setKey] = useState(newKey);
  const [notice, setNotice] = useState<{ kind: 'done' | 'error'; text: string } | null>(null);
  useEffect(() => resumeWatching(), []);
  const fields = [...(kind === 'findings' ? findingFields() : rankingFields()), formatField()];
  return (
    <>
      <h1>{m.exportsTitle}</h1>
      <p>{m.exportsIntro}</p>
      <nav aria-label={m.exportWhat}>
        <ul class="tabs">
          {kinds.map((each) => (
            <li key={each}>
              <ConsoleLink to={`/console/exports${queryString({ export: each })}`} current={each === kind}>
                {m.exportKind[each]}
              </ConsoleLink>
            </li>
          ))}
        </ul>
      </nav>
      {/* The fields' options come from the units and checklists: the form waits for them, so that
          their arrival never remounts it over what the user chose. */}
      {unitsState.value === 'idle' || unitsState.value === 'loading' || !templatesLoaded.value ? (
        <p role="status">…</p>
      ) : (
        <FilterBar
          key={props.path}
          fields={fields}
          values={values}
          submitLabel={m.startExportNow}
          disabled={(chosen) =>
            kind === 'ranking' && ((chosen.templateId ?? '') === '' || (chosen.parentId ?? '') === '')
          }
          onApply={async (chosen) => {
            // The choice goes to the address (a bookmark starts the same export again).
            go(`/console/exports${queryString({ export: kind, ...chosen })}`, true);
            const started = await startExport(requestOf(kind, chosen), key);
            setKey(newKey());
            setNotice(
              started.ok
                ? { kind: 'done', text: m.exportStarted }
                : { kind: 'error', text: problemText(started.problem) },
            );
          }}
        />
      )}
      {notice !== null && (
        <p
          class={notice.kind === 'done' ? 'notice' : 'error'}
          role={notice.kind === 'done' ? 'status' : 'alert'}
        >
          {notice.text}
        </p>
      )}
      <RecentExports />
    </>
  );
}
