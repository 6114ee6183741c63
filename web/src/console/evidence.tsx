/**
 * Proof of place and time as a reviewer reads it (docs/evidence.md): the flags the API derives on
 * every read, shown in the review queue's rows and on a visit's page, each photo with its own
 * flags and its distance from the unit's office when both are known. Flags inform; the reviewer
 * decides.
 */
import type { EvidenceFlag } from '#domain/evidence.ts';
import { formatNumber } from '../i18n/index.ts';
import type { ConsoleVisit, ConsoleVisitRow } from './api.ts';
import { cm } from './messages.ts';

export type Evidence = ConsoleVisit['evidence'];
export type PhotoEvidence = Evidence['photos'][number];

/** A distance in whole metres, as the console writes it. */
function metres(distance: number): string {
  return formatNumber(Math.round(distance));
}

function FlagBadge(props: { flag: EvidenceFlag; count?: number }) {
  const m = cm.value;
  const label = m.evidenceFlag[props.flag];
  return (
    <li class="badge flag" data-flag={props.flag} title={m.evidenceFlagRule[props.flag]}>
      {props.count === undefined ? label : m.flagPhotos(label, props.count)}
    </li>
  );
}

/** The review queue's cell: each raised flag with how many photos raised it, or that none did. */
export function QueueEvidence(props: { evidence: ConsoleVisitRow['evidence'] }) {
  const m = cm.value;
  const evidence = props.evidence;
  if (evidence === undefined) return <span>{m.none}</span>;
  if (evidence.flags.length === 0) return <span data-flags="none">{m.noFlags}</span>;
  return (
    <ul class="flags" aria-label={m.evidence}>
      {evidence.flags.map((raised) => (
        <FlagBadge key={raised.flag} flag={raised.flag} count={raised.photoIds.length} />
      ))}
    </ul>
  );
}

/** Under one photo: its distance from the office (when known), its time basis, its flags. */
export function PhotoFlags(props: { evidence: PhotoEvidence | undefined }) {
  const m = cm.value;
  const photo = props.evidence;
  if (photo === undefined) return null;
  return (
    <>
      {photo.distanceM !== null && (
        <span data-distance={Math.round(photo.distanceM)}>{m.fromOffice(metres(photo.distanceM))}</span>
      )}
      {photo.timeBasis !== 'declared' && <span>{m.timeBasis[photo.timeBasis]}</span>}
      {photo.offsetMinutes !== 0 && (
        <span>
          {photo.offsetMinutes < 0
            ? m.beforeVisit(formatNumber(-photo.offsetMinutes))
            : m.afterVisit(formatNumber(photo.offsetMinutes))}
        </span>
      )}
      {photo.flags.length > 0 && (
        <ul class="flags" aria-label={m.evidence}>
          {photo.flags.map((flag) => (
            <FlagBadge key={flag} flag={flag} />
          ))}
        </ul>
      )}
    </>
  );
}

/** The visit's page: the radius, the visit's own distance, and each raised flag with its rule. */
export function EvidencePanel(props: { evidence: Evidence }) {
  const m = cm.value;
  const evidence = props.evidence;
  return (
    <section class="panel evidence" aria-labelledby="evidence-title" data-flags={evidence.flags.length}>
      <h2 id="evidence-title">{m.evidence}</h2>
      <dl class="facts">
        <dt>{m.radius}</dt>
        <dd>{`${metres(evidence.radiusM)} m`}</dd>
        <dt>{m.visitFromOffice}</dt>
        <dd data-visit-distance={evidence.visitDistanceM === null ? '' : Math.round(evidence.visitDistanceM)}>
          {evidence.visitDistanceM === null ? m.officeUnknown : `${metres(evidence.visitDistanceM)} m`}
        </dd>
      </dl>
      {evidence.flags.length === 0 ? (
        <p>{m.noFlags}</p>
      ) : (
        <ul class="flag-rules">
          {evidence.flags.map((raised) => (
            <li key={raised.flag} data-flag={raised.flag}>
              <strong>{m.flagPhotos(m.evidenceFlag[raised.flag], raised.photoIds.length)}</strong>
              {`: ${m.evidenceFlagRule[raised.flag]}`}
            </li>
          ))}
        </ul>
      )}
      <p class="hint">{m.evidenceHint}</p>
    </section>
  );
}
