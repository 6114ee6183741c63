/**
 * One visit: the checklist by section, a control for each answer type, photos, deductions,
 * manual findings, the live score and what is missing (always in view), the server's problems on
 * their items, a returned visit's comment, and the two versions after a 412. Loaded on demand:
 * the first screen never pays for it.
 */
import { signal } from '@preact/signals';
import type { JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { itemRatio } from '#domain/scoring.ts';
import { severities, type TemplateItemInSection, templateItems } from '#domain/template.ts';
import { completenessProblems } from '#domain/visit.ts';
import {
  addFinding,
  addPhoto,
  discardVisit,
  editVisit,
  isDiscardable,
  isEditable,
  photoRefs,
  removePhoto,
  requestSubmit,
  resolveConflict,
  retryOp,
  retryPhoto,
} from '../actions.ts';
import type { TemplateOut } from '../api/types.ts';
import { formatDateTime, formatNumber, language, localText, t } from '../i18n/index.ts';
import { liveScore } from '../lib/live-score.ts';
import { type PlacedProblem, placeProblems, problemLabel, targetKey } from '../lib/problems.ts';
import { type DraftAnswer, toVisitBody, type VisitDraft, withAnswer } from '../lib/visit-body.ts';
import { blockedOp, photoSyncState, photos, templateOf, unitName, visitSyncState, visits } from '../state.ts';
import type { StoredPhoto, StoredVisit } from '../store/db.ts';
import { AppLink, ConfirmDialog, SyncBadge } from './parts.tsx';

const photoErrors = signal<Record<string, string>>({});
/** Visits whose submit was refused on the phone: their items show what is missing, live. */
const submitTried = signal<ReadonlySet<string>>(new Set());
const processing = signal<Record<string, boolean>>({});
/** What the open confirmation asks about: removing one photo, or discarding the visit. */
const confirming = signal<
  { kind: 'photo'; photoId: string; itemCode: string } | { kind: 'visit'; visitId: string } | null
>(null);

function fmt(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : formatNumber(value);
}

function ProblemList(props: { problems: PlacedProblem[] }) {
  if (props.problems.length === 0) return null;
  return (
    <ul class="problems">
      {props.problems.map((p) => (
        <li key={`${p.path}:${p.message}`}>{problemLabel(p)}</li>
      ))}
    </ul>
  );
}

function ScoreBox(props: {
  editable: boolean;
  template: TemplateOut;
  draft: VisitDraft;
  missing: PlacedProblem[];
  server: StoredVisit['server'];
  /** What needs the user's attention, linked from the always-visible box to its panel. */
  alerts: Array<{ href: string; text: string }>;
}) {
  const m = t.value;
  const body = toVisitBody(props.draft);
  const live = liveScore(props.template, body);
  const titles = new Map(props.template.sections.map((s) => [s.code, localText(s.title)]));
  return (
    <section class="scorebox" data-testid="score" aria-label={m.score} aria-live="polite">
      <div class="score-line">
        <span>{live.complete ? m.scoreFinal : m.scoreSoFar(live.answered, live.total)}</span>
        <strong class="score-value" data-score={live.score?.score ?? ''}>
          {live.score === null ? m.noScoreYet : fmt(live.score.score)}
        </strong>
        {live.band !== null && <span class="badge">{localText(live.band.label)}</span>}
      </div>
      {props.alerts.map((a) => (
        <p key={a.href} class="error">
          <a href={a.href}>{a.text}</a>
        </p>
      ))}
      <details>
        <summary>
          {props.editable ? `${m.missing(props.missing.length)} · ` : ''}
          {m.sectionPercents}
        </summary>
        {live.score !== null && (
          <p>
            {m.base}: {fmt(live.score.base)} · {m.deductionPoints}: {fmt(live.score.deductionPoints)}
          </p>
        )}
        <table class="sections">
          <caption class="visually-hidden">{m.sectionPercents}</caption>
          <tbody>
            {live.sections.map((s) => (
              <tr key={s.code} data-section={s.code}>
                <th scope="row">{`${s.code}. ${titles.get(s.code) ?? ''}`}</th>
                <td>{s.percent === null ? '–' : `${fmt(s.percent)}%`}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {props.editable && props.missing.length > 0 && (
          <>
            <h2 class="subhead">{m.missingList}</h2>
            <ul class="missing">
              {props.missing.map((p) => (
                <li key={p.path}>
                  {p.target.kind === 'item' ? (
                    <a href={`#item-${p.target.code}`}>{problemLabel(p)}</a>
                  ) : (
                    problemLabel(p)
                  )}
                </li>
              ))}
            </ul>
          </>
        )}
        {props.server?.score !== null && props.server?.score !== undefined && (
          <p>{m.serverScore(fmt(props.server.score))}</p>
        )}
      </details>
    </section>
  );
}

function Thumb(props: { photo: StoredPhoto; n: number; editable: boolean }) {
  const m = t.value;
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const blob = props.photo.thumb ?? props.photo.blob;
    if (blob === null) return;
    const made = URL.createObjectURL(blob);
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [props.photo.thumb, props.photo.blob]);
  const state = photoSyncState(props.photo);
  const reason = props.photo.reason;
  const alt = m.photoOf(props.photo.itemCode, props.n);
  return (
    <li class="photo" data-photo={props.photo.photoId} data-sync-state={state}>
      {url !== null ? <img src={url} alt={alt} width={96} height={96} /> : <span class="noimg">{alt}</span>}
      <span class={`badge sync-${state}`}>{m.syncState[state]}</span>
      {state === 'failed' && (
        <>
          <span class="error">{m.opFailed(reason === null ? '' : (m.photoReason[reason] ?? reason))}</span>
          {props.photo.blob !== null && (
            <button type="button" onClick={() => void retryPhoto(props.photo.photoId)}>
              {m.retryPhoto}
            </button>
          )}
        </>
      )}
      {props.editable && (
        <button
          type="button"
          class="danger"
          aria-label={m.removePhotoOf(props.photo.itemCode, props.n)}
          onClick={() =>
            (confirming.value = {
              kind: 'photo',
              photoId: props.photo.photoId,
              itemCode: props.photo.itemCode,
            })
          }
        >
          {m.removePhoto}
        </button>
      )}
    </li>
  );
}

function PhotoInputs(props: { visitId: string; code: string; editable: boolean }) {
  const m = t.value;
  const key = `${props.visitId}:${props.code}`;
  const onFiles = async (input: HTMLInputElement, source: 'camera' | 'gallery') => {
    const files = [...(input.files ?? [])];
    input.value = '';
    processing.value = { ...processing.value, [key]: true };
    let error: string | null = null;
    for (const file of files) {
      error = (await addPhoto(props.visitId, props.code, file, source)) ?? error;
      if (error !== null) break;
    }
    processing.value = { ...processing.value, [key]: false };
    photoErrors.value = { ...photoErrors.value, [key]: error ?? '' };
  };
  if (!props.editable) return null;
  return (
    <div class="photo-inputs">
      <label class="button">
        {m.takePhoto(props.code)}
        <input
          type="file"
          accept="image/*"
          capture="environment"
          class="visually-hidden"
          onChange={(e) => void onFiles(e.currentTarget, 'camera')}
        />
      </label>
      <label class="button">
        {m.pickPhoto(props.code)}
        <input
          type="file"
          accept="image/*"
          multiple
          class="visually-hidden"
          onChange={(e) => void onFiles(e.currentTarget, 'gallery')}
        />
      </label>
      {processing.value[key] === true && <p role="status">{m.photoProcessing}</p>}
      {(photoErrors.value[key] ?? '') !== '' && (
        <p class="error" role="alert">
          {photoErrors.value[key]}
        </p>
      )}
    </div>
  );
}

function AnswerControl(props: {
  item: TemplateItemInSection;
  answer: DraftAnswer | undefined;
  set: (c: Partial<DraftAnswer>) => void;
}) {
  const m = t.value;
  const { item, answer } = props;
  const code = item.code;
  const na = answer?.notApplicable === true;
  const value = na ? undefined : answer?.value;
  const spec = item.answer;
  switch (spec.type) {
    case 'yes_no':
      return (
        <div class="choices two" role="radiogroup" aria-label={m.valueFor(code)}>
          {[true, false].map((v) => (
            <label key={String(v)} class="choice big">
              <input
                type="radio"
                name={`v-${code}`}
                checked={value === v}
                onChange={() => props.set({ value: v })}
              />
              {v ? m.yes : m.no}
            </label>
          ))}
        </div>
      );
    case 'rating': {
      const options: number[] = [];
      for (let v = spec.min; v <= spec.max && options.length < 21; v += 1) options.push(v);
      return (
        <div class="choices rating" role="radiogroup" aria-label={m.valueFor(code)}>
          {options.map((v) => (
            <label key={v} class="choice">
              <input
                type="radio"
                name={`v-${code}`}
                checked={value === v}
                onChange={() => props.set({ value: v })}
              />
              {String(v)}
            </label>
          ))}
        </div>
      );
    }
    case 'percent':
      return (
        <label class="field">
          {`${m.valueFor(code)} (%)`}
          <input
            type="number"
            inputMode="decimal"
            min={0}
            max={100}
            step={0.01}
            defaultValue={typeof value === 'number' ? String(value) : ''}
            aria-describedby={`hint-${code}`}
            onInput={(e) => {
              const raw = e.currentTarget.value.trim();
              const n = raw === '' ? null : Number(raw);
              props.set({ value: n !== null && Number.isFinite(n) ? n : null });
            }}
          />
          <span class="hint" id={`hint-${code}`}>
            {m.percentHint}
          </span>
        </label>
      );
    case 'count': {
      const n = typeof value === 'number' ? value : null;
      return (
        <div class="stepper">
          <button
            type="button"
            aria-label={m.decrease(code)}
            onClick={() => props.set({ value: Math.max(0, (n ?? 1) - 1) })}
          >
            −
          </button>
          <label class="field">
            {m.valueFor(code)}
            <input
              type="number"
              inputMode="numeric"
              min={0}
              step={1}
              value={n === null ? '' : String(n)}
              onInput={(e) => {
                const raw = e.currentTarget.value.trim();
                const parsed = raw === '' ? null : Number(raw);
                props.set({
                  value: parsed !== null && Number.isInteger(parsed) && parsed >= 0 ? parsed : null,
                });
              }}
            />
          </label>
          <button
            type="button"
            aria-label={m.increase(code)}
            onClick={() => props.set({ value: (n ?? -1) + 1 })}
          >
            +
          </button>
        </div>
      );
    }
  }
}

function photoMarker(item: TemplateItemInSection, failed: boolean): string | null {
  const m = t.value;
  if (item.photo === 'required') return m.photoRequired;
  if (item.photo === 'required_if_failed') return failed ? m.photoNeededNow : m.photoRequiredIfFailed;
  if (item.photo === 'optional') return m.photoOptional;
  return null;
}

/** Whether the answer scores below full marks (r < 1), which is when required_if_failed needs a photo. */
function failedAnswer(item: TemplateItemInSection, answer: DraftAnswer | undefined): boolean {
  if (
    answer === undefined ||
    answer.notApplicable === true ||
    answer.value === undefined ||
    answer.value === null
  ) {
    return false;
  }
  try {
    const r = itemRatio(item, answer);
    return r !== null && r.num < r.den;
  } catch {
    return false; // not a valid value yet: its problem is shown instead
  }
}

function Item(props: {
  visitId: string;
  item: TemplateItemInSection;
  answer: DraftAnswer | undefined;
  problems: PlacedProblem[];
  itemPhotos: StoredPhoto[];
  editable: boolean;
}) {
  const m = t.value;
  const { item, answer, visitId } = props;
  const set = (change: Partial<DraftAnswer>) =>
    void editVisit(visitId, (d) => withAnswer(d, item.code, change));
  const marker = photoMarker(item, failedAnswer(item, answer));
  const needsPhoto = item.photo === 'required' || item.photo === 'required_if_failed';
  return (
    <fieldset
      class={props.problems.length > 0 ? 'item has-problem' : 'item'}
      data-item={item.code}
      id={`item-${item.code}`}
    >
      <legend>
        <span class="code">{item.code}</span> {localText(item.text)}{' '}
        <span class="meta">({m.points(formatNumber(item.maxPoints))})</span>
      </legend>
      {marker !== null && <p class={needsPhoto ? 'marker need' : 'marker'}>{marker}</p>}
      <AnswerControl item={item} answer={answer} set={set} />
      {item.allowNotApplicable && (
        <label class="choice check">
          <input
            type="checkbox"
            checked={answer?.notApplicable === true}
            onChange={(e) => set({ notApplicable: e.currentTarget.checked ? true : undefined })}
          />
          {m.notApplicable}
        </label>
      )}
      <label class="field">
        {m.noteFor(item.code)}
        <textarea
          rows={1}
          defaultValue={answer?.note ?? ''}
          onInput={(e) => set({ note: e.currentTarget.value })}
        />
      </label>
      {item.photo !== 'none' && (
        <>
          {props.itemPhotos.length > 0 && (
            <ul class="photos">
              {props.itemPhotos.map((p, i) => (
                <Thumb key={p.photoId} photo={p} n={i + 1} editable={props.editable} />
              ))}
            </ul>
          )}
          <PhotoInputs visitId={visitId} code={item.code} editable={props.editable} />
        </>
      )}
      <ProblemList problems={props.problems} />
    </fieldset>
  );
}

function Deductions(props: {
  visitId: string;
  template: TemplateOut;
  draft: VisitDraft;
  problems: Map<string, PlacedProblem[]>;
}) {
  const m = t.value;
  const rules = props.template.deductions ?? [];
  if (rules.length === 0) return null;
  const setCount = (code: string, count: number, note?: string) =>
    void editVisit(props.visitId, (d) => {
      const others = d.deductions.filter((x) => x.code !== code);
      const existing = d.deductions.find((x) => x.code === code);
      return { ...d, deductions: [...others, { code, count, note: note ?? existing?.note }] };
    });
  return (
    <section aria-labelledby="deductions-title">
      <h2 id="deductions-title">{m.deductions}</h2>
      {rules.map((rule) => {
        const current = props.draft.deductions.find((x) => x.code === rule.code);
        const count = current?.count ?? 0;
        const max = rule.maxCount ?? 1000;
        return (
          <fieldset key={rule.code} class="item" data-deduction={rule.code}>
            <legend>
              <span class="code">{rule.code}</span> {localText(rule.text)}{' '}
              <span class="meta">
                ({m.deductionPointsEach(formatNumber(rule.points))}
                {rule.maxCount !== undefined ? `, ${m.deductionMax(rule.maxCount)}` : ''})
              </span>
            </legend>
            <div class="stepper">
              <button
                type="button"
                aria-label={m.decrease(rule.code)}
                onClick={() => setCount(rule.code, Math.max(0, count - 1))}
              >
                −
              </button>
              <label class="field">
                {m.deductionCount(rule.code)}
                <input
                  type="number"
                  inputMode="numeric"
                  min={0}
                  max={max}
                  step={1}
                  value={String(count)}
                  onInput={(e) => {
                    const n = Number(e.currentTarget.value);
                    if (Number.isInteger(n) && n >= 0) setCount(rule.code, Math.min(n, max));
                  }}
                />
              </label>
              <button
                type="button"
                aria-label={m.increase(rule.code)}
                onClick={() => setCount(rule.code, Math.min(max, count + 1))}
              >
                +
              </button>
            </div>
            {count > 0 && (
              <label class="field">
                {m.noteFor(rule.code)}
                <textarea
                  rows={1}
                  defaultValue={current?.note ?? ''}
                  onInput={(e) => setCount(rule.code, count, e.currentTarget.value)}
                />
              </label>
            )}
            <ProblemList problems={props.problems.get(`deduction:${rule.code}`) ?? []} />
          </fieldset>
        );
      })}
    </section>
  );
}

function Findings(props: {
  visitId: string;
  template: TemplateOut;
  draft: VisitDraft;
  problems: Map<string, PlacedProblem[]>;
  editable: boolean;
}) {
  const m = t.value;
  const items = templateItems(props.template);
  const update = (index: number, change: Partial<VisitDraft['manualFindings'][number]>) =>
    void editVisit(props.visitId, (d) => ({
      ...d,
      manualFindings: d.manualFindings.map((f, i) => (i === index ? { ...f, ...change } : f)),
    }));
  return (
    <section aria-labelledby="findings-title">
      <h2 id="findings-title">{m.findings}</h2>
      {props.draft.manualFindings.map((finding, i) => (
        <fieldset key={`${i}:${props.draft.manualFindings.length}`} class="item" data-finding={i}>
          <legend>{`${m.findings} ${i + 1}`}</legend>
          <label class="field">
            {m.findingTitle}
            <input
              type="text"
              maxLength={200}
              defaultValue={finding.title}
              onInput={(e) => update(i, { title: e.currentTarget.value })}
            />
          </label>
          <label class="field">
            {m.findingSeverity}
            <select
              value={finding.severity}
              onChange={(e) => {
                const chosen = severities.find((s) => s === e.currentTarget.value);
                if (chosen !== undefined) update(i, { severity: chosen });
              }}
            >
              {severities.map((s) => (
                <option key={s} value={s}>
                  {m.severity[s]}
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            {m.findingItem}
            <select
              value={finding.itemCode ?? ''}
              onChange={(e) => update(i, { itemCode: e.currentTarget.value || undefined })}
            >
              <option value="">{m.findingItemNone}</option>
              {items.map((item) => (
                <option key={item.code} value={item.code}>
                  {item.code}
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            {m.note}
            <textarea
              rows={2}
              defaultValue={finding.note ?? ''}
              onInput={(e) => update(i, { note: e.currentTarget.value })}
            />
          </label>
          <button
            type="button"
            onClick={() =>
              void editVisit(props.visitId, (d) => ({
                ...d,
                manualFindings: d.manualFindings.filter((_, j) => j !== i),
              }))
            }
          >
            {m.removeFinding}
          </button>
          <ProblemList problems={props.problems.get(`finding:${i}`) ?? []} />
        </fieldset>
      ))}
      {props.editable && (
        <button type="button" onClick={() => void addFinding(props.visitId)}>
          {m.addFinding}
        </button>
      )}
    </section>
  );
}

function answerText(
  template: TemplateOut,
  code: string,
  answer: { value?: unknown; notApplicable?: boolean | undefined } | undefined,
): string {
  const m = t.value;
  if (answer === undefined) return m.conflictNone;
  if (answer.notApplicable === true) return m.notApplicable;
  if (typeof answer.value === 'boolean') return answer.value ? m.yes : m.no;
  if (typeof answer.value === 'number') return formatNumber(answer.value);
  void template;
  void code;
  return m.conflictNone;
}

function Conflict(props: { visit: StoredVisit; template: TemplateOut }) {
  const m = t.value;
  const theirs = props.visit.conflict;
  if (theirs === null) return null;
  const mine = toVisitBody(props.visit.draft);
  const codes = templateItems(props.template).map((i) => i.code);
  const rows = codes.flatMap((code) => {
    const a = mine.answers.find((x) => x.itemCode === code);
    const b = theirs.answers.find((x) => x.itemCode === code);
    const left = answerText(props.template, code, a);
    const right = answerText(props.template, code, b);
    const noteA = a?.note ?? '';
    const noteB = b?.note ?? '';
    return left === right && noteA === noteB
      ? []
      : [
          {
            code,
            left: `${left}${noteA ? ` — ${noteA}` : ''}`,
            right: `${right}${noteB ? ` — ${noteB}` : ''}`,
          },
        ];
  });
  return (
    <section class="panel warn" role="alert" aria-labelledby="conflict-title">
      <h2 id="conflict-title">{m.conflictTitle}</h2>
      <p>{m.conflictIntro}</p>
      <table class="conflict">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{m.conflictMine}</th>
            <th scope="col">{m.conflictTheirs}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.code}>
              <th scope="row">{r.code}</th>
              <td>{r.left}</td>
              <td>{r.right}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" class="primary" onClick={() => void resolveConflict(props.visit.visitId, 'mine')}>
        {m.keepMine}
      </button>
      <button type="button" onClick={() => void resolveConflict(props.visit.visitId, 'theirs')}>
        {m.keepTheirs}
      </button>
    </section>
  );
}

export function VisitScreen(props: { visitId: string }): JSX.Element {
  const m = t.value;
  const visit = visits.value.find((v) => v.visitId === props.visitId);
  const template =
    visit === undefined ? undefined : templateOf(visit.draft.templateId, visit.draft.templateVersion);
  // A photo being removed has gone from its item for the user, though the phone keeps it until
  // the server confirms.
  const visitPhotos = photos.value.filter((p) => p.visitId === props.visitId && p.removing !== true);
  const refs = useMemo(() => photoRefs(props.visitId), [visitPhotos]);
  if (visit === undefined || template === undefined) {
    return (
      <>
        <AppLink to={{ name: 'home' }} class="link back">{`← ${m.back}`}</AppLink>
        <p role="status">{m.loading}</p>
      </>
    );
  }
  const editable = isEditable(visit);
  const body = toVisitBody(visit.draft);
  const completeness = completenessProblems(template, body, refs);
  const missing = placeProblems(
    completeness.problems.map((p) => ({ path: p.path, message: p.message[language.value] })),
    body,
  );
  const tried = editable && submitTried.value.has(visit.visitId) && missing.length > 0;
  const byTarget = new Map<string, PlacedProblem[]>();
  // The server's problems, and after a refused submit what the phone sees missing (the same
  // domain checks, so the same messages), each on its item; the latter disappear as they are fixed.
  for (const p of [...visit.problems, ...(tried ? missing : [])]) {
    const key = targetKey(p.target);
    const seen = byTarget.get(key) ?? [];
    if (!seen.some((q) => q.message === p.message)) byTarget.set(key, [...seen, p]);
  }
  const answers = new Map(visit.draft.answers.map((a) => [a.itemCode, a]));
  const blocked = blockedOp(visit.visitId);
  const review = visit.server?.review;
  const state = visitSyncState(visit);
  return (
    <>
      <AppLink to={{ name: 'home' }} class="link back">{`← ${m.back}`}</AppLink>
      <h1>{m.visitTitle(unitName(visit.draft.unitId))}</h1>
      <p class="meta" data-sync-state={state}>
        {localText(template.title)} · {m.startedAt(formatDateTime(visit.draft.startedAt))} ·{' '}
        <span class={`badge status-${visit.status}`}>{m.visitStatus[visit.status]}</span>{' '}
        <SyncBadge state={state} />
      </p>
      {visit.status === 'returned' && review?.comment != null && (
        <section class="panel warn" aria-labelledby="review-title">
          <h2 id="review-title">{m.returnedComment}</h2>
          <blockquote>{review.comment}</blockquote>
          <p class="meta">{m.returnedBy(review.by, formatDateTime(review.at))}</p>
        </section>
      )}
      <Conflict visit={visit} template={template} />
      {blocked?.blocked != null && blocked.blocked.code !== 'precondition_failed' && (
        <div class="panel warn" role="alert" id="blocked">
          <p>{m.opFailed(blocked.blocked.message)}</p>
          <button type="button" onClick={() => blocked.id !== undefined && void retryOp(blocked.id)}>
            {m.retry}
          </button>
        </div>
      )}
      {tried && (
        <section class="panel error-panel" id="missing" tabIndex={-1} aria-labelledby="missing-title">
          <h2 id="missing-title">{m.submitBlocked}</h2>
          <ul>
            {missing.map((p) => (
              <li key={p.path}>
                {p.target.kind === 'item' ? (
                  <a href={`#item-${p.target.code}`}>{problemLabel(p)}</a>
                ) : (
                  problemLabel(p)
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {visit.problems.length > 0 && (
        <section class="panel error-panel" role="alert" aria-labelledby="problems-title">
          <h2 id="problems-title">{m.serverProblems}</h2>
          <ul>
            {visit.problems.map((p) => (
              <li key={`${p.path}:${p.message}`}>
                {p.target.kind === 'item' ? (
                  <a href={`#item-${p.target.code}`}>{problemLabel(p)}</a>
                ) : (
                  problemLabel(p)
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      <ScoreBox
        editable={editable}
        template={template}
        draft={visit.draft}
        missing={missing}
        server={visit.server}
        alerts={[
          ...(visit.conflict !== null ? [{ href: '#conflict-title', text: m.conflictTitle }] : []),
          ...(visit.problems.length > 0 ? [{ href: '#problems-title', text: m.serverProblems }] : []),
          ...(blocked?.blocked != null && blocked.blocked.code !== 'precondition_failed'
            ? [{ href: '#blocked', text: m.opFailed(blocked.blocked.message) }]
            : []),
        ]}
      />
      {!editable && (
        <p class="panel">
          {visit.discarding === true ? m.discardingNote : visit.submitRequested ? m.submitQueued : m.readOnly}
        </p>
      )}
      <fieldset class="form" disabled={!editable}>
        <legend class="visually-hidden">{m.visitTitle(unitName(visit.draft.unitId))}</legend>
        {template.sections.map((section) => (
          <section key={section.code} aria-labelledby={`section-${section.code}`} data-section={section.code}>
            <h2 id={`section-${section.code}`}>{`${section.code}. ${localText(section.title)}`}</h2>
            {templateItems({ sections: [section] }).map((item) => (
              <Item
                key={`${item.code}:${visit.conflict === null ? 'a' : 'b'}`}
                visitId={visit.visitId}
                item={item}
                answer={answers.get(item.code)}
                problems={byTarget.get(`item:${item.code}`) ?? []}
                itemPhotos={visitPhotos.filter((p) => p.itemCode === item.code)}
                editable={editable}
              />
            ))}
          </section>
        ))}
        <Deductions visitId={visit.visitId} template={template} draft={visit.draft} problems={byTarget} />
        <Findings
          visitId={visit.visitId}
          template={template}
          draft={visit.draft}
          problems={byTarget}
          editable={editable}
        />
      </fieldset>
      {editable && (
        <button
          type="button"
          class="primary submit"
          onClick={() =>
            void requestSubmit(visit.visitId, completeness).then((queued) => {
              const next = new Set(submitTried.value);
              if (queued) next.delete(visit.visitId);
              else next.add(visit.visitId);
              submitTried.value = next;
              // The list is drawn at the top of a long checklist: once it is there (after this
              // render), take the inspector and the screen reader to it, or the button seems dead.
              if (!queued)
                setTimeout(() => {
                  const summary = document.getElementById('missing');
                  summary?.scrollIntoView({ block: 'start' });
                  summary?.focus({ preventScroll: true });
                }, 0);
            })
          }
        >
          {m.submit}
        </button>
      )}
      {isDiscardable(visit) && (
        <button
          type="button"
          class="danger discard"
          onClick={() => (confirming.value = { kind: 'visit', visitId: visit.visitId })}
        >
          {m.discardVisit}
        </button>
      )}
      <Confirmation unit={unitName(visit.draft.unitId)} />
    </>
  );
}

/**
 * Where the focus goes once a photo is removed (its button is gone with it, and the dialog would
 * hand the focus back to nothing, the top of a 43-item page): the item's next photo's remove
 * button, or else its camera input. After the render that drops the photo.
 */
function focusAfterRemoval(itemCode: string): void {
  setTimeout(() => {
    const item = document.getElementById(`item-${itemCode}`);
    const next =
      item?.querySelector<HTMLElement>('li button.danger') ??
      item?.querySelector<HTMLElement>('.photo-inputs input');
    next?.focus();
  }, 0);
}

/** The open confirmation, if any: remove one photo, or discard the whole draft. */
function Confirmation(props: { unit: string }) {
  const m = t.value;
  const asked = confirming.value;
  if (asked === null) return null;
  const close = () => {
    confirming.value = null;
  };
  return asked.kind === 'photo' ? (
    <ConfirmDialog
      key={asked.photoId}
      title={m.removePhotoTitle}
      text={m.removePhotoText(asked.itemCode)}
      confirm={m.removePhotoConfirm}
      onConfirm={() => {
        void removePhoto(asked.photoId);
        focusAfterRemoval(asked.itemCode);
      }}
      onClose={close}
    />
  ) : (
    <ConfirmDialog
      key={asked.visitId}
      title={m.discardTitle}
      text={m.discardText(props.unit)}
      confirm={m.discardConfirm}
      onConfirm={() => void discardVisit(asked.visitId)}
      onClose={close}
    />
  );
}
