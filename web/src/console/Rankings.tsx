/**
 * Rankings: a peer group (checklist, period, parent, kind) as GET /v1/scores gives it: a table
 * with rank, unit, score, band, visit count and each section's percent, a bar chart of the
 * scores with the band thresholds and a heat map of section percents, drawn from the same rows;
 * an admin publishes it (with a confirmation) and sees the publication's hash. A unit's page
 * shows its score over the periods of the year.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { unitKinds } from '#domain/unit.ts';
import { currentUser, isAdmin } from '../auth.ts';
import { formatNumber, localText } from '../i18n/index.ts';
import { api, type RankingRow, type UnitScores } from './api.ts';
import { FilterBar, type FilterField, periodField, templateField } from './filters.tsx';
import { cm } from './messages.ts';
import {
  ConsoleLink,
  DateTimeText,
  go,
  newKey,
  percentText,
  problemText,
  queryOf,
  queryString,
  Show,
  scoreText,
  settle,
  useResource,
} from './parts.tsx';
import { currentYear } from './periods.ts';
import { templatesList } from './templates.ts';
import { childrenOf, unitIndex, unitName, unitRoots } from './units.ts';

/** The peer group's fields: checklist, period, parent (a unit with units under it) and kind. */
export function rankingFields(): FilterField[] {
  const m = cm.value;
  const parents = [...unitIndex.value.values()].filter((unit) => childrenOf(unit.unitId).length > 0);
  return [
    templateField(true),
    periodField(true),
    {
      kind: 'select',
      name: 'parentId',
      label: m.parent,
      options: parents.map((unit) => ({ value: unit.unitId, label: unit.name })),
    },
    {
      kind: 'select',
      name: 'kind',
      label: m.kind,
      options: unitKinds.map((kind) => ({ value: kind, label: m.unitKind[kind] })),
    },
  ];
}

type ChartModule = typeof import('./charts.ts');

function Charts(props: { rows: RankingRow[]; templateId: string }) {
  const m = cm.value;
  const chartBox = useRef<HTMLDivElement>(null);
  const heat = useRef<HTMLCanvasElement>(null);
  const [charts, setCharts] = useState<ChartModule | null>(null);
  useEffect(() => {
    void import('./charts.ts').then(setCharts);
  }, []);
  const template = templatesList.value.find((t) => t.templateId === props.templateId);
  const sectionCodes =
    props.rows[0]?.sections.map((s) => s.code) ?? template?.sections.map((s) => s.code) ?? [];
  useEffect(() => {
    const box = chartBox.current;
    if (charts === null || box === null) return;
    const width = Math.max(box.clientWidth, 320);
    // The band's name in the user's language (the checklist's own label), not its code.
    const thresholds = (template?.bands ?? []).map((band) => ({
      minScore: band.minScore,
      label: m.bandThreshold(localText(band.label), formatNumber(band.minScore)),
    }));
    const remove = charts.drawScoreChart(box, props.rows, thresholds, width);
    if (heat.current !== null) charts.drawHeatMap(heat.current, props.rows, sectionCodes, width);
    box.dataset.drawn = 'true';
    // The next frame: the table, the chart and the heat map are on the screen. bench/console-render.ts
    // measures from the answer's arrival (Resource Timing) to this mark.
    requestAnimationFrame(() => setTimeout(() => performance.mark('ranking-drawn'), 0));
    return () => {
      remove();
      delete box.dataset.drawn;
    };
  }, [charts, props.rows, template, m]);
  const scored = props.rows.filter((row) => row.score !== null).length;
  return (
    <div class="charts">
      <figure>
        <figcaption>{m.chartTitle}</figcaption>
        <div
          ref={chartBox}
          class="score-chart"
          role="img"
          aria-label={m.chartAlt(scored)}
          data-testid="score-chart"
        />
      </figure>
      <figure>
        <figcaption>{m.heatTitle}</figcaption>
        <canvas
          ref={heat}
          class="heat-map"
          role="img"
          aria-label={m.heatAlt(props.rows.length, sectionCodes.length)}
          data-testid="heat-map"
        />
      </figure>
    </div>
  );
}

function Publish(props: { query: Record<string, string> }) {
  const m = cm.value;
  const [confirming, setConfirming] = useState(false);
  const [key] = useState(newKey);
  const [outcome, setOutcome] = useState<{ kind: 'done' | 'error'; text: string; id?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const query = props.query;
  if (query.templateId === undefined || query.period === undefined) return null;
  if (query.parentId === undefined || query.kind === undefined) return null;
  const body = {
    templateId: query.templateId,
    period: query.period,
    parentId: query.parentId,
    kind: query.kind,
  };
  return (
    <section class="panel actions" aria-labelledby="publish-title">
      <h2 id="publish-title">{m.publish}</h2>
      {outcome !== null && (
        <p
          class={outcome.kind === 'done' ? 'notice' : 'error'}
          role={outcome.kind === 'done' ? 'status' : 'alert'}
        >
          <span data-testid={outcome.kind === 'done' ? 'published-hash' : undefined}>{outcome.text}</span>
          {outcome.id !== undefined && (
            <>
              {' '}
              <ConsoleLink to={`/console/publications/${outcome.id}`}>{m.openPublication}</ConsoleLink>
            </>
          )}
        </p>
      )}
      {!confirming ? (
        <button type="button" onClick={() => setConfirming(true)}>
          {m.publish}
        </button>
      ) : (
        <div role="alertdialog" aria-labelledby="publish-confirm">
          <p id="publish-confirm">{m.publishConfirm}</p>
          <button
            type="button"
            class="primary"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              // The key keeps a double click (or a retry after a lost answer) one publication.
              const result = await settle(() =>
                api.createPublication(body as Parameters<typeof api.createPublication>[0], key),
              );
              setBusy(false);
              setConfirming(false);
              setOutcome(
                result.ok
                  ? { kind: 'done', text: m.published(result.body.hash), id: result.body.publicationId }
                  : { kind: 'error', text: problemText(result.problem) },
              );
            }}
          >
            {m.publishNow}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            {m.cancel}
          </button>
        </div>
      )}
    </section>
  );
}

/** Rows of a ranking table shown at once: the chart and heat map carry the whole group. */
export const tableStep = 200;
/**
 * The rows shown at first: the table starts below the charts, about the height of the screen
 * down, so these fill it and more; laying out and painting 200 rows was a third of a 3,300-unit
 * ranking's time to screen (bench/console-render.ts --profile).
 */
export const tableFirst = 50;

/**
 * The ranking table, the first {@link tableFirst} rows and {@link tableStep} more on each
 * request: a country-wide peer group (3,300 units) would otherwise lay out 40,000 cells before
 * anything shows.
 */
export function RankingTable(props: { rows: RankingRow[]; query: Record<string, string> }) {
  const m = cm.value;
  const [shown, setShown] = useState(tableFirst);
  const rest = props.rows.length - shown;
  const codes = props.rows[0]?.sections.map((s) => s.code) ?? [];
  const unitQuery = queryString({ templateId: props.query.templateId, period: props.query.period });
  return (
    <table class="grid ranking" data-testid="ranking">
      <thead>
        <tr>
          <th scope="col" class="num">
            {m.rank}
          </th>
          <th scope="col">{m.unit}</th>
          <th scope="col" class="num">
            {m.score}
          </th>
          <th scope="col">{m.band}</th>
          <th scope="col" class="num">
            {m.visitCount}
          </th>
          {codes.map((code) => (
            <th key={code} scope="col" class="num">
              {code}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.slice(0, shown).map((row) => (
          <tr key={row.unitId} data-unit={row.unitId} data-band={row.band?.code ?? ''}>
            <td class="num">{row.rank ?? m.none}</td>
            <th scope="row">
              <ConsoleLink to={`/console/units/${row.unitId}/scores${unitQuery}`}>{row.name}</ConsoleLink>
            </th>
            <td class="num">{scoreText(row.score)}</td>
            <td>{row.band === null ? m.none : localText(row.band.label)}</td>
            <td class="num">{row.visitCount}</td>
            {row.sections.map((section) => (
              <td key={section.code} class="num">
                {percentText(section.percent)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
      {rest > 0 && (
        <caption class="more">
          {m.rowsShown(shown, props.rows.length)}{' '}
          <button type="button" onClick={() => setShown(shown + tableStep)}>
            {m.showMoreRows(Math.min(rest, tableStep))}
          </button>
          <button type="button" onClick={() => setShown(props.rows.length)}>
            {m.showAllRows}
          </button>
        </caption>
      )}
    </table>
  );
}

export function RankingsScreen(props: { path: string }) {
  const m = cm.value;
  const asked = queryOf(props.path);
  const defaults = {
    templateId: templatesList.value[0]?.templateId ?? '',
    period: currentYear(),
    parentId: unitRoots.value[0] ?? '',
    kind: 'ward',
  };
  const values = { ...defaults, ...asked };
  // The defaults are a peer group already (this year, the first root, its wards): shown at once,
  // not after a click on a form that looks filled in.
  const complete = ['templateId', 'period', 'parentId', 'kind'].every(
    (key) => (values[key as keyof typeof values] ?? '') !== '',
  );
  const key = JSON.stringify(values);
  const [ranking, reload] = useResource(key, () =>
    complete
      ? api.getScores({
          templateId: values.templateId,
          period: values.period,
          parentId: values.parentId,
          kind: values.kind as (typeof unitKinds)[number],
        })
      : Promise.resolve({
          ok: true as const,
          status: 200,
          body: { items: [], nextCursor: null },
          etag: null,
        }),
  );
  return (
    <>
      <h1>{m.rankingsTitle}</h1>
      <p>{m.rankingsIntro}</p>
      <FilterBar
        key={`${key}${templatesList.value.length}${unitRoots.value.length}`}
        fields={rankingFields()}
        values={values}
        onApply={(chosen) => go(`/console/rankings${queryString(chosen)}`)}
        submitLabel={m.show}
        // Until the checklists and units are known there is no peer group to ask for.
        disabled={(chosen) => (chosen.templateId ?? '') === '' || (chosen.parentId ?? '') === ''}
      />
      {complete && (
        <Show what={ranking} retry={() => void reload()}>
          {(body) =>
            body.items.length === 0 ? (
              <p>{m.rankingEmpty}</p>
            ) : (
              <>
                {isAdmin(currentUser.value) && <Publish query={values} />}
                <Charts rows={body.items} templateId={values.templateId} />
                <RankingTable rows={body.items} query={values} />
              </>
            )
          }
        </Show>
      )}
    </>
  );
}

/** The year's periods: the year, then its quarters. */
function periodsOf(period: string): string[] {
  const year = period.slice(0, 4);
  return [year, `${year}-Q1`, `${year}-Q2`, `${year}-Q3`, `${year}-Q4`];
}

export function UnitScoresScreen(props: { unitId: string; path: string }) {
  const m = cm.value;
  const query = queryOf(props.path);
  const templateId = query.templateId ?? templatesList.value[0]?.templateId ?? '';
  const period = query.period ?? currentYear();
  const periods = periodsOf(period);
  const key = `${props.unitId}|${templateId}|${period}`;
  const [scores, reload] = useResource(key, async () => {
    // Until the checklists are known there is no checklist to ask for (not five 422s): the key
    // changes when they arrive, and this asks again.
    if (templateId === '') return new Promise<never>(() => {});
    const results = await Promise.all(
      periods.map((p) => settle(() => api.getUnitScores(props.unitId, templateId, p))),
    );
    const failed = results.find((result) => !result.ok);
    if (failed !== undefined && !failed.ok) return failed;
    const body = results.flatMap((result) => (result.ok ? [result.body] : []));
    return { ok: true as const, status: 200, body, etag: null };
  });
  return (
    <>
      <h1>{m.unitScoresTitle(unitName(props.unitId))}</h1>
      <Show what={scores} retry={() => void reload()}>
        {(body: UnitScores[]) => (
          <>
            <table class="grid" data-testid="unit-scores">
              <thead>
                <tr>
                  <th scope="col">{m.period}</th>
                  <th scope="col" class="num">
                    {m.score}
                  </th>
                  <th scope="col">{m.band}</th>
                  <th scope="col" class="num">
                    {m.visitCount}
                  </th>
                  {(body[0]?.sections ?? []).map((section) => (
                    <th key={section.code} scope="col" class="num">
                      {section.code}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {body.map((row) => (
                  <tr key={row.period} data-period={row.period}>
                    <th scope="row">{row.period}</th>
                    <td class="num">{scoreText(row.score)}</td>
                    <td>{row.band === null ? m.none : localText(row.band.label)}</td>
                    <td class="num">{row.visits.length}</td>
                    {row.sections.map((section) => (
                      <td key={section.code} class="num">
                        {percentText(section.percent)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
            <h2>{m.visitsBehind}</h2>
            <ul>
              {(body[0]?.visits ?? []).map((visit) => (
                <li key={visit.visitId}>
                  <ConsoleLink to={`/console/visits/${visit.visitId}`}>
                    <DateTimeText instant={visit.startedAt} />
                  </ConsoleLink>
                  {` · ${scoreText(visit.score)}`}
                </li>
              ))}
            </ul>
          </>
        )}
      </Show>
    </>
  );
}
