/**
 * Publications (công bố kết quả): a ranking frozen at one moment, hashed, chained to the one it
 * supersedes, announced to the ranking system with `ScoresPublished`, and served as JSON or CSV.
 * A publication never changes once made. Each one is stored with an outbox marker that stays
 * until its event went out, so a sweeper (`announcePending`) announces what a request could not.
 */
import { UnavailableError } from '#domain/errors.ts';
import type { RankingRow } from '#domain/ranking.ts';
import { StaleWriteError } from '#ports/errors.ts';
import type { Page, PageRequest, PublicationRecord, PublicationSummary } from '#ports/records.ts';
import { eventTypes } from '#routes/integration.ts';
import { csvLine, utf8Bom } from './csv.ts';
import type { Deps } from './deps.ts';
import { once } from './idempotency.ts';
import { computeRanking, type RankingQuery } from './scores.ts';
import {
  type Caller,
  canonical,
  inJurisdiction,
  nameBasedId,
  newId,
  notFound,
  sha256Hex,
} from './support.ts';

/** The event's detail-type on the bus and in webhooks. */
export const scoresPublished = eventTypes.scoresPublished;

const publicationNotFound = () =>
  notFound({ vi: 'Không tìm thấy bản công bố.', en: 'Publication not found.' });

// Concurrent publications of one ranking race for its head; the loser re-reads and retries.
const headAttempts = 5;

/** Lowercase hex SHA-256 of the RFC 8785 canonical JSON of the rows: what the ranking system checks. */
export function publicationHash(rows: readonly RankingRow[]): string {
  return sha256Hex(canonical(rows));
}

/** A publication as clients see it: the delivery bookkeeping and the parent's path left out. */
export function publicationView(publication: PublicationRecord) {
  const { parentPath: _path, eventPublished: _sent, ...rest } = publication;
  return { ...rest, createdByName: publication.createdByName ?? null };
}
export type PublicationView = ReturnType<typeof publicationView>;

/** A publication in a list: the same as publicationView, without rows. */
export function publicationSummaryView(publication: PublicationSummary) {
  const { parentPath: _path, eventPublished: _sent, ...rest } = publication;
  return { ...rest, createdByName: publication.createdByName ?? null };
}
export type PublicationSummaryView = ReturnType<typeof publicationSummaryView>;

/** What POST /v1/publications answers, and whether the event went out. */
export interface PublicationOutcome {
  status: number;
  body: PublicationView;
  /**
   * False when `ScoresPublished` could not be sent (the publication is stored all the same). A
   * replay with the same Idempotency-Key tries again, and so does the sweeper (announcePending)
   * a few minutes later; the handler logs it for operators.
   */
  eventDelivered: boolean;
  eventError: unknown;
}

/**
 * POST /v1/publications: freezes the peer group's ranking rows exactly as GET /v1/scores gives
 * them now, hashes them, names the publication it supersedes, and stores it with the move of the
 * ranking's head in one transaction (a concurrent publication makes it re-read the head and try
 * again). Then emits `ScoresPublished` without rows.
 *
 * With an Idempotency-Key, the same key and body within 24 hours answer the same publication
 * (201) and, if its event never went out, send it now. If the event fails the answer is still
 * 201: the publication exists and is immutable, and failing would invite a keyless retry that
 * makes a second publication. Its outbox marker makes the sweeper send the event later.
 */
export async function createPublication(
  deps: Pick<Deps, 'clock' | 'events' | 'idempotency' | 'publications' | 'scores' | 'templates' | 'units'>,
  caller: Caller,
  input: RankingQuery,
  idempotencyKey: string | null,
): Promise<PublicationOutcome> {
  const made: { record: PublicationRecord | null } = { record: null };
  // Only the ID is remembered for replays: a 3,300-row body would not fit one item.
  const outcome = await once<{ publicationId: string }>(
    deps.idempotency,
    `createPublication#${caller.sub}`,
    idempotencyKey,
    input,
    async () => {
      const fixedId =
        idempotencyKey === null
          ? null
          : nameBasedId(`createPublication#${caller.sub}#${idempotencyKey}#${canonical(input)}`);
      const record = await freeze(deps, caller, input, fixedId);
      made.record = record;
      return { status: 201, body: { publicationId: record.publicationId } };
    },
  );
  const stored =
    made.record?.publicationId === outcome.body.publicationId
      ? made.record
      : await deps.publications.getPublication(outcome.body.publicationId);
  if (!stored) throw new Error(`Publication ${outcome.body.publicationId} vanished after being stored`);
  const delivery = await announce(deps, stored);
  return { status: outcome.status, body: publicationView(stored), ...delivery };
}

async function freeze(
  deps: Pick<Deps, 'clock' | 'publications' | 'scores' | 'templates' | 'units'>,
  caller: Caller,
  input: RankingQuery,
  fixedId: string | null,
): Promise<PublicationRecord> {
  const { parent, rows } = await computeRanking(deps, caller, input);
  const hash = publicationHash(rows);
  for (let attempt = 0; attempt < headAttempts; attempt++) {
    const supersedes = await deps.publications.latestPublicationId(
      input.templateId,
      input.period,
      input.parentId,
      input.kind,
    );
    const publication: PublicationRecord = {
      publicationId: fixedId ?? newId(),
      templateId: input.templateId,
      period: input.period,
      parentId: input.parentId,
      kind: input.kind,
      rows,
      rowCount: rows.length,
      hash,
      createdAt: deps.clock.now().toISOString(),
      createdBy: caller.sub,
      createdByName: caller.name,
      supersedes,
      parentPath: parent.path,
      eventPublished: false,
    };
    try {
      await deps.publications.savePublication(publication);
      return publication;
    } catch (error) {
      if (!(error instanceof StaleWriteError)) throw error;
      // An earlier attempt with the same Idempotency-Key stored it before it could answer.
      const earlier = fixedId === null ? null : await deps.publications.getPublication(fixedId);
      if (earlier) return earlier;
    }
  }
  throw new UnavailableError({
    vi: 'Bảng xếp hạng này đang được công bố đồng thời; vui lòng thử lại.',
    en: 'This ranking is being published concurrently; please try again.',
  });
}

/**
 * Sends `ScoresPublished` unless it already went out, then records that it did (which also
 * clears its outbox marker). If the record fails after the send, a replay or the sweeper sends
 * it again: delivery is at least once, and the ranking system recognises repeats by
 * `publicationId`. The event never carries rows, so a summary is enough.
 */
async function announce(
  deps: Pick<Deps, 'events' | 'publications'>,
  publication: PublicationSummary,
): Promise<{ eventDelivered: boolean; eventError: unknown }> {
  if (publication.eventPublished) return { eventDelivered: true, eventError: null };
  try {
    await deps.events.publish({
      type: scoresPublished,
      detail: {
        publicationId: publication.publicationId,
        templateId: publication.templateId,
        period: publication.period,
        parentId: publication.parentId,
        kind: publication.kind,
        hash: publication.hash,
        rowCount: publication.rowCount,
        supersedes: publication.supersedes,
        createdAt: publication.createdAt,
      },
    });
    await deps.publications.markEventPublished(publication);
    return { eventDelivered: true, eventError: null };
  } catch (error) {
    return { eventDelivered: false, eventError: error };
  }
}

/**
 * How old an unannounced publication must be before the sweeper takes it: the request that made
 * it announces it within seconds, and sweeping it meanwhile would only send it twice.
 */
export const announceGraceMs = 60_000;

/** Publications one sweep announces at most (one bounded Query); the next sweep takes the rest. */
export const announceBatchSize = 50;

/** What one sweep did. */
export interface AnnounceReport {
  /** Unannounced publications older than the grace period that this sweep read. */
  found: number;
  announced: number;
  /** Left for the next sweep because a send failed. */
  left: number;
  /** Why the sweep stopped early (the bus or the table failed); null when it did not. */
  error: unknown;
}

/**
 * The outbox sweeper: re-announces, oldest first, each publication whose `ScoresPublished`
 * never went out (the bus failed after it was stored, with no Idempotency-Key replay to retry
 * it, or the process died in between). It stops at the first failure: the bus is most likely
 * down, and every further attempt would fail the same way; the next sweep starts over.
 */
export async function announcePending(
  deps: Pick<Deps, 'clock' | 'events' | 'publications'>,
): Promise<AnnounceReport> {
  const cutoff = new Date(deps.clock.now().getTime() - announceGraceMs).toISOString();
  const pending = await deps.publications.listUnannounced(cutoff, announceBatchSize);
  let announced = 0;
  for (const publication of pending) {
    const delivery = await announce(deps, publication);
    if (!delivery.eventDelivered) {
      return {
        found: pending.length,
        announced,
        left: pending.length - announced,
        error: delivery.eventError,
      };
    }
    announced += 1;
  }
  return { found: pending.length, announced, left: 0, error: null };
}

/**
 * Which publications the caller reads: the ranking client (no unit) all of them; admins and
 * managers those whose parent lies in their jurisdiction. Null: none.
 */
async function readScope(
  deps: Pick<Deps, 'units'>,
  caller: Caller,
): Promise<{ within?: { unitId: string; depth: number } } | null> {
  if (caller.unitId !== null) {
    const unit = await deps.units.getUnit(caller.unitId);
    return unit ? { within: { unitId: unit.unitId, depth: unit.path.length - 1 } } : null;
  }
  return caller.roles.includes('ranking') ? {} : null;
}

/** GET /v1/publications: newest first, without rows; one Query per page. */
export async function listPublications(
  deps: Pick<Deps, 'publications' | 'units'>,
  caller: Caller,
  query: {
    templateId?: string | undefined;
    period?: string | undefined;
    parentId?: string | undefined;
    kind?: string | undefined;
  },
  page: PageRequest,
): Promise<Page<PublicationSummaryView>> {
  const scope = await readScope(deps, caller);
  if (scope === null) return { items: [], nextCursor: null };
  const filter: Parameters<Deps['publications']['listPublications']>[0] = { ...scope };
  if (query.templateId !== undefined) filter.templateId = query.templateId;
  if (query.period !== undefined) filter.period = query.period;
  if (query.parentId !== undefined) filter.parentId = query.parentId;
  if (query.kind !== undefined) filter.kind = query.kind;
  const result = await deps.publications.listPublications(filter, page);
  return { items: result.items.map(publicationSummaryView), nextCursor: result.nextCursor };
}

/** GET /v1/publications/{publicationId}: the frozen publication, rows included. */
export async function getPublication(
  deps: Pick<Deps, 'publications'>,
  caller: Caller,
  publicationId: string,
): Promise<PublicationView> {
  const publication = await deps.publications.getPublication(publicationId);
  const readsAll = caller.unitId === null && caller.roles.includes('ranking');
  if (
    !publication ||
    (!readsAll && (caller.unitId === null || !inJurisdiction(caller, publication.parentPath)))
  ) {
    throw publicationNotFound();
  }
  return publicationView(publication);
}

/**
 * The publication as CSV: UTF-8 BOM, then rank, unitId, code, name, score, bandCode, bandLabel
 * (in the request's language, Vietnamese when there is no English), visitCount and one column
 * per section, named by its code, in the template's order.
 */
export function publicationCsv(publication: Pick<PublicationView, 'rows'>, language: 'vi' | 'en'): string {
  const sections = publication.rows[0]?.sections.map((section) => section.code) ?? [];
  const lines = [
    utf8Bom,
    csvLine(['rank', 'unitId', 'code', 'name', 'score', 'bandCode', 'bandLabel', 'visitCount', ...sections]),
  ];
  for (const row of publication.rows) {
    const percents = new Map(row.sections.map((section) => [section.code, section.percent]));
    lines.push(
      csvLine([
        row.rank,
        row.unitId,
        row.code,
        row.name,
        row.score,
        row.band?.code,
        row.band ? ((language === 'en' ? row.band.label.en : undefined) ?? row.band.label.vi) : null,
        row.visitCount,
        ...sections.map((code) => percents.get(code) ?? null),
      ]),
    );
  }
  return lines.join('');
}
