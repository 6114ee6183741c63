/**
 * A visit as a manager reviews it: answers by section with the points each earned of those
 * possible (the domain's `scoreVisit`, the same code that scored it at submit), section
 * percents, base, deductions, score and band; photos inline through presigned links with when
 * and where each was taken, its distance from the office and its evidence flags; notes; the
 * inspector's findings; history. Approve, or return with a comment, with If-Match; revoke (admin)
 * with a reason.
 */
import { signal } from '@preact/signals';
import { useEffect, useState } from 'preact/hooks';
import { bandFor, scoreVisit, type VisitScore } from '#domain/scoring.ts';
import { currentUser, isAdmin } from '../auth.ts';
import { formatDateTime, formatNumber, localText } from '../i18n/index.ts';
import { api, type ConsoleTemplate, type ConsoleVisit } from './api.ts';
import { EvidencePanel, type PhotoEvidence, PhotoFlags } from './evidence.tsx';
import { cm } from './messages.ts';
import {
  ConfirmDialog,
  DateTimeText,
  HistoryTable,
  inspectorOf,
  percentText,
  personName,
  problemText,
  Show,
  scoreText,
  settle,
  useResource,
} from './parts.tsx';
import { RecordPanel } from './Record.tsx';
import { templatesList, templateVersion } from './templates.ts';
import { unitName } from './units.ts';

type Answer = ConsoleVisit['answers'][number];
type TemplateItem = ConsoleTemplate['sections'][number]['items'][number];

function answerText(item: TemplateItem, answer: Answer | undefined): string {
  const m = cm.value;
  if (answer === undefined) return m.unanswered;
  if (answer.notApplicable === true) return m.notApplicable;
  const value = answer.value;
  if (value === undefined || value === null) return m.unanswered;
  switch (item.answer.type) {
    case 'yes_no':
      return value === true ? m.yes : m.no;
    case 'rating':
      return `${String(value)} / ${item.answer.max}`;
    case 'percent':
      return `${formatNumber(Number(value))} %`;
    case 'count':
      return String(value);
  }
}

function positionText(location: { lat: number; lng: number; accuracyM: number } | undefined): string {
  const m = cm.value;
  if (location === undefined) return m.noPlace;
  return m.position(
    location.lat.toFixed(5),
    location.lng.toFixed(5),
    formatNumber(Math.round(location.accuracyM)),
  );
}

/** The photos of one item: each verified one through a presigned download link. */
function ItemPhotos(props: { visit: ConsoleVisit; itemCode: string }) {
  const m = cm.value;
  const mine = props.visit.photos.filter((photo) => photo.itemCode === props.itemCode);
  const evidence = new Map<string, PhotoEvidence>(
    props.visit.evidence.photos.map((photo) => [photo.photoId, photo]),
  );
  const [urls, setUrls] = useState<Record<string, string>>({});
  useEffect(() => {
    let live = true;
    for (const photo of mine) {
      if (photo.status !== 'verified' || urls[photo.photoId] !== undefined) continue;
      void settle(() => api.getPhoto(props.visit.visitId, photo.photoId)).then((result) => {
        const url = result.ok ? result.body.downloadUrl : undefined;
        if (live && url !== undefined) setUrls((seen) => ({ ...seen, [photo.photoId]: url }));
      });
    }
    return () => {
      live = false;
    };
  }, [props.visit.etag, props.itemCode]);
  if (mine.length === 0) return null;
  return (
    <ul class="photo-strip">
      {mine.map((photo, index) => {
        const url = urls[photo.photoId];
        const alt = m.photoAlt(props.itemCode, index + 1);
        return (
          <li key={photo.photoId} data-photo={photo.photoId} data-status={photo.status}>
            <figure>
              {url !== undefined ? (
                <a href={url} target="_blank" rel="noopener noreferrer" aria-label={`${alt}: ${m.photoOpen}`}>
                  <img src={url} alt={alt} width={160} height={120} decoding="async" />
                </a>
              ) : (
                <span class="photo-placeholder">{m.photoStatus[photo.status]}</span>
              )}
              <figcaption>
                <span>
                  {photo.capturedAt !== undefined
                    ? m.photoTaken(formatDateTime(photo.capturedAt))
                    : m.photoNoTime}
                </span>
                <span>{positionText(photo.location)}</span>
                <PhotoFlags evidence={evidence.get(photo.photoId)} />
              </figcaption>
            </figure>
          </li>
        );
      })}
    </ul>
  );
}

function Sections(props: { visit: ConsoleVisit; template: ConsoleTemplate; score: VisitScore | null }) {
  const m = cm.value;
  const answers = new Map(props.visit.answers.map((answer) => [answer.itemCode, answer]));
  const points = new Map((props.score?.items ?? []).map((item) => [item.itemCode, item]));
  const percents = new Map(
    (props.visit.sections ?? props.score?.sections ?? []).map((s) => [s.code, s.percent]),
  );
  return (
    <section aria-labelledby="sections-title">
      <h2 id="sections-title">{m.sections}</h2>
      {props.template.sections.map((section) => (
        <section
          key={section.code}
          class="review-section"
          data-section={section.code}
          aria-labelledby={`section-${section.code}`}
        >
          <h3 id={`section-${section.code}`}>
            {`${section.code}. ${localText(section.title)}`}
            <span class="section-percent" data-percent={percents.get(section.code) ?? ''}>
              {` · ${m.sectionPercent}: ${percentText(percents.get(section.code))}`}
            </span>
          </h3>
          <table class="grid answers">
            <thead>
              <tr>
                <th scope="col">{m.item}</th>
                <th scope="col">{m.answer}</th>
                <th scope="col" class="num">
                  {m.points}
                </th>
                <th scope="col">{m.note}</th>
              </tr>
            </thead>
            <tbody>
              {section.items.map((item) => {
                const answer = answers.get(item.code);
                const scored = points.get(item.code);
                return (
                  <tr
                    key={item.code}
                    data-item={item.code}
                    class={scored?.failed === true ? 'failed' : undefined}
                  >
                    <th scope="row">
                      <span class="code">{item.code}</span> {localText(item.text)}
                    </th>
                    <td>
                      {answerText(item, answer)}
                      {scored?.failed === true && <span class="badge status-failed">{m.failed}</span>}
                    </td>
                    <td class="num">
                      {scored === undefined
                        ? m.none
                        : `${formatNumber(scored.points)} / ${formatNumber(scored.maxPoints)}`}
                    </td>
                    <td>
                      {answer?.note ?? ''}
                      <ItemPhotos visit={props.visit} itemCode={item.code} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      ))}
    </section>
  );
}

function Summary(props: { visit: ConsoleVisit; template: ConsoleTemplate | null; score: VisitScore | null }) {
  const m = cm.value;
  const visit = props.visit;
  const latest = templatesList.value.find((t) => t.templateId === visit.templateId) ?? props.template;
  const band = visit.score !== null && latest !== null ? bandFor(visit.score, latest.bands) : null;
  const rules = new Map((props.template?.deductions ?? []).map((rule) => [rule.code, rule]));
  const deductions = visit.deductions ?? [];
  return (
    <section class="panel summary" aria-labelledby="summary-title">
      <h2 id="summary-title">{m.summary}</h2>
      <dl class="facts">
        <dt>{m.base}</dt>
        <dd data-testid="base">{scoreText(visit.base ?? props.score?.base)}</dd>
        <dt>{m.deductions}</dt>
        <dd>
          {deductions.length === 0
            ? m.noDeductions
            : deductions.map((d) => {
                const rule = rules.get(d.code);
                return (
                  <span key={d.code} class="line">
                    {m.deductionLine(d.code, d.count, rule === undefined ? '?' : formatNumber(rule.points))}
                    {rule !== undefined ? ` (${localText(rule.text)})` : ''}
                  </span>
                );
              })}
        </dd>
        <dt>{m.score}</dt>
        <dd data-testid="score" class="big">
          {scoreText(visit.score)}
        </dd>
        <dt>{m.band}</dt>
        <dd data-testid="band" data-band={band?.code ?? ''}>
          {band === null ? m.noBand : `${localText(band.label)} (${band.code})`}
        </dd>
      </dl>
    </section>
  );
}

function History(props: { visit: ConsoleVisit }) {
  const m = cm.value;
  const statusName = (status: string | null) =>
    status === null ? m.none : (m.visitStatus[status as keyof typeof m.visitStatus] ?? status);
  return (
    <HistoryTable
      titleId="history-title"
      entries={props.visit.history}
      known={inspectorOf(props.visit)}
      // An edit of a draft leaves its status as it was: no "Nháp → Nháp".
      change={(entry) =>
        entry.from === entry.to ? '' : `${statusName(entry.from)} → ${statusName(entry.to)}`
      }
    />
  );
}

/**
 * The answer to the last action, kept outside the panel: the panel is remounted for the visit's
 * new etag, and a 412 reloads the visit, yet the message must stay on the screen.
 */
const outcome = signal<{ visitId: string; kind: 'done' | 'error'; text: string } | null>(null);

/** Approve / return (a submitted visit), revoke (an approved one, admins). */
function Actions(props: { visit: ConsoleVisit; onChanged: (visit: ConsoleVisit | null) => void }) {
  const m = cm.value;
  const visit = props.visit;
  const [comment, setComment] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const setOutcome = (value: { kind: 'done' | 'error'; text: string }) => {
    outcome.value = { visitId: visit.visitId, ...value };
  };
  const shown = outcome.value?.visitId === visit.visitId ? outcome.value : null;

  async function act(run: () => ReturnType<typeof api.reviewVisit>, done: string) {
    setBusy(true);
    const result = await settle(run);
    setBusy(false);
    if (result.ok) {
      setOutcome({ kind: 'done', text: done });
      props.onChanged(result.body);
      return;
    }
    const problem = result.problem;
    if (problem.code === 'own_visit') setOutcome({ kind: 'error', text: m.ownVisit });
    else if (problem.code === 'precondition_failed') {
      setOutcome({ kind: 'error', text: m.staleVisit });
      props.onChanged(null);
    } else setOutcome({ kind: 'error', text: problemText(problem) });
  }

  const notice =
    shown === null ? null : (
      <p class={shown.kind === 'done' ? 'notice' : 'error'} role={shown.kind === 'done' ? 'status' : 'alert'}>
        {shown.text}
      </p>
    );

  if (visit.status === 'submitted') {
    return (
      <section class="panel actions" aria-labelledby="review-title">
        <h2 id="review-title">{m.review}</h2>
        {visit.pendingApproval !== null && (
          <p class="warn">
            {m.pendingApproval(
              personName(visit.pendingApproval.by, inspectorOf(visit), visit.pendingApproval.byName),
              formatDateTime(visit.pendingApproval.since),
            )}
          </p>
        )}
        {notice}
        <p class="hint">{m.approveHint}</p>
        <button
          type="button"
          class="primary"
          disabled={busy}
          aria-haspopup="dialog"
          onClick={() => setConfirming(true)}
        >
          {busy ? m.working : m.approve}
        </button>
        <ConfirmDialog
          id="approve-dialog"
          open={confirming}
          title={m.approveConfirmTitle}
          text={m.approveConfirmText(unitName(visit.unitId))}
          confirm={m.approveConfirm}
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void act(() => api.reviewVisit(visit.visitId, { decision: 'approve' }, visit.etag), m.approved);
          }}
        />
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (comment.trim() === '') {
              setOutcome({ kind: 'error', text: m.commentNeeded });
              return;
            }
            void act(
              () =>
                api.reviewVisit(visit.visitId, { decision: 'return', comment: comment.trim() }, visit.etag),
              m.returned,
            );
          }}
        >
          <label for="return-comment">{m.returnComment}</label>
          <textarea
            id="return-comment"
            rows={3}
            maxLength={2000}
            value={comment}
            onInput={(e) => setComment(e.currentTarget.value)}
          />
          <button type="submit" disabled={busy || visit.pendingApproval !== null}>
            {m.returnVisit}
          </button>
        </form>
      </section>
    );
  }
  if (visit.status === 'approved' && isAdmin(currentUser.value)) {
    return (
      <section class="panel actions" aria-labelledby="revoke-title">
        <h2 id="revoke-title">{m.revoke}</h2>
        {notice}
        <p class="hint">{m.revokeHint}</p>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (reason.trim() === '') {
              setOutcome({ kind: 'error', text: m.reasonNeeded });
              return;
            }
            void act(() => api.revokeVisit(visit.visitId, reason.trim(), visit.etag), m.revoked);
          }}
        >
          <label for="revoke-reason">{m.revokeReason}</label>
          <textarea
            id="revoke-reason"
            rows={3}
            maxLength={2000}
            value={reason}
            onInput={(e) => setReason(e.currentTarget.value)}
          />
          <button type="submit" class="danger" disabled={busy}>
            {m.revoke}
          </button>
        </form>
      </section>
    );
  }
  return notice;
}

function VisitBody(props: { visit: ConsoleVisit; onChanged: (visit: ConsoleVisit | null) => void }) {
  const m = cm.value;
  const visit = props.visit;
  const [template, setTemplate] = useState<ConsoleTemplate | null>(null);
  useEffect(() => {
    void templateVersion(visit.templateId, visit.templateVersion).then(setTemplate);
  }, [visit.templateId, visit.templateVersion]);
  let score: VisitScore | null = null;
  if (template !== null) {
    try {
      score = scoreVisit(template, visit.answers, visit.deductions ?? []);
    } catch {
      // A draft or returned visit may be incomplete: its points are not final, so none are shown.
      score = null;
    }
  }
  return (
    <>
      <h1>{m.visitTitle(unitName(visit.unitId))}</h1>
      <dl class="facts meta" data-status={visit.status}>
        <dt>{m.status}</dt>
        <dd>
          <span class={`badge status-${visit.status}`}>{m.visitStatus[visit.status]}</span>
        </dd>
        <dt>{m.inspector}</dt>
        <dd>{personName(visit.inspectorId, inspectorOf(visit))}</dd>
        <dt>{m.template}</dt>
        <dd>
          {template === null
            ? visit.templateId
            : m.templateVersion(localText(template.title), visit.templateVersion)}
        </dd>
        <dt>{m.startedAt}</dt>
        <dd>
          <DateTimeText instant={visit.startedAt} />
        </dd>
        {visit.endedAt !== undefined && (
          <>
            <dt>{m.endedAt}</dt>
            <dd>
              <DateTimeText instant={visit.endedAt} />
            </dd>
          </>
        )}
        <dt>{m.submittedAt}</dt>
        <dd>{visit.submittedAt === null ? m.none : <DateTimeText instant={visit.submittedAt} />}</dd>
        <dt>{m.place}</dt>
        <dd>{positionText(visit.location)}</dd>
      </dl>
      {visit.review !== null && (
        <section class="panel" aria-labelledby="last-review">
          <h2 id="last-review">{m.lastReview}</h2>
          <p>
            <strong>{m.reviewDecision[visit.review.decision]}</strong>
            {` · ${m.reviewBy(personName(visit.review.by, inspectorOf(visit), visit.review.byName), formatDateTime(visit.review.at))}`}
          </p>
          {visit.review.comment !== null && <blockquote>{visit.review.comment}</blockquote>}
        </section>
      )}
      {visit.revocation !== null && (
        <section class="panel warn" aria-labelledby="revocation">
          <h2 id="revocation">{m.revocation}</h2>
          <p>{`${m.reviewBy(personName(visit.revocation.by, inspectorOf(visit), visit.revocation.byName), formatDateTime(visit.revocation.at))}: ${visit.revocation.reason}`}</p>
        </section>
      )}
      <div class="review-top">
        <Summary visit={visit} template={template} score={score} />
        <Actions key={visit.etag} visit={visit} onChanged={props.onChanged} />
        {visit.status === 'approved' && <RecordPanel key={visit.etag} visitId={visit.visitId} />}
      </div>
      <EvidencePanel evidence={visit.evidence} />
      {template !== null && <Sections visit={visit} template={template} score={score} />}
      {(visit.manualFindings ?? []).length > 0 && (
        <section aria-labelledby="manual-title">
          <h2 id="manual-title">{m.manualFindings}</h2>
          <ul>
            {(visit.manualFindings ?? []).map((finding, index) => (
              <li key={`${index}-${finding.title}`}>
                <strong>{finding.title}</strong>
                {` · ${m.severity[finding.severity]}`}
                {finding.itemCode !== undefined ? ` · ${finding.itemCode}` : ''}
                {finding.note !== undefined ? ` · ${finding.note}` : ''}
              </li>
            ))}
          </ul>
        </section>
      )}
      <History visit={visit} />
    </>
  );
}

export function VisitReviewScreen(props: { visitId: string }) {
  const [visit, reload, replace] = useResource(props.visitId, () => api.getVisit(props.visitId));
  return (
    <Show what={visit} retry={() => void reload()}>
      {(body) => (
        <VisitBody
          visit={body}
          onChanged={(changed) => {
            if (changed === null) void reload();
            else replace(changed);
          }}
        />
      )}
    </Show>
  );
}
