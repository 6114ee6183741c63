/**
 * Brings the server's side onto the phone: the units in the inspector's scope, the latest
 * version of each template (and any version one of their visits uses), and their visits. A
 * visit with unsent changes keeps the phone's draft and etag, so that the next PUT meets the
 * server's newer copy as a 412 and the user chooses; one without is replaced by the server's.
 */
import type { Api } from '../api/client.ts';
import type { UnitOut, VisitOut } from '../api/types.ts';
import { draftFromServer } from '../lib/visit-body.ts';
import { type AppDb, outboxOf, queueOp, type StoredPhoto, type StoredVisit } from '../store/db.ts';

export type PullOutcome = 'done' | 'offline' | 'unauthenticated' | 'failed';

const maxPages = 20;

async function allUnits(api: Api): Promise<UnitOut[] | number> {
  const found = new Map<string, UnitOut>();
  // Roots of the caller's scope first, then their children level by level (a province has
  // two levels since 2025, three with historical districts).
  let parents: Array<string | undefined> = [undefined];
  for (let depth = 0; depth < 4 && parents.length > 0; depth += 1) {
    const next: string[] = [];
    for (const parentId of parents) {
      let cursor: string | undefined;
      for (let page = 0; page < maxPages; page += 1) {
        const result = await api.listUnits({
          ...(parentId !== undefined ? { parentId } : {}),
          ...(cursor !== undefined ? { cursor } : {}),
        });
        if (!result.ok) return result.status;
        for (const unit of result.body.items) {
          if (!found.has(unit.unitId)) {
            found.set(unit.unitId, unit);
            next.push(unit.unitId);
          }
        }
        if (result.body.nextCursor === null) break;
        cursor = result.body.nextCursor;
      }
    }
    parents = next;
  }
  return [...found.values()];
}

async function allVisits(api: Api): Promise<VisitOut[] | number> {
  const visits: VisitOut[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const result = await api.listVisits(cursor !== undefined ? { cursor } : {});
    if (!result.ok) return result.status;
    visits.push(...result.body.items);
    if (result.body.nextCursor === null) break;
    cursor = result.body.nextCursor;
  }
  return visits;
}

function outcomeOf(status: number): PullOutcome {
  return status === 401 ? 'unauthenticated' : 'failed';
}

/** Refreshes units, templates and visits of `sub`. Throws NetworkError when offline. */
export async function pullFromServer(database: AppDb, api: Api, sub: string): Promise<PullOutcome> {
  const units = await allUnits(api);
  if (typeof units === 'number') return outcomeOf(units);
  const templates = await api.listTemplates();
  if (!templates.ok) return outcomeOf(templates.status);
  const visits = await allVisits(api);
  if (typeof visits === 'number') return outcomeOf(visits);

  const neededVersions = new Set(visits.map((v) => `${v.templateId}\u0000${v.templateVersion}`));
  for (const template of templates.body.items)
    neededVersions.delete(`${template.templateId}\u0000${template.version}`);
  const extraTemplates = [];
  for (const key of neededVersions) {
    const [templateId = '', version = '0'] = key.split('\u0000');
    if ((await database.get('templates', [templateId, Number(version)])) !== undefined) continue;
    const result = await api.getTemplateVersion(templateId, Number(version));
    if (result.ok) extraTemplates.push(result.body);
  }

  const queue = await outboxOf(database, sub);
  const pending = new Set(
    queue
      .filter((op) => op.kind === 'putVisit' || op.kind === 'submit' || op.kind === 'deleteVisit')
      .map((op) => op.visitId),
  );

  const tx = database.transaction(['units', 'templates', 'visits'], 'readwrite');
  const unitStore = tx.objectStore('units');
  for (const key of await unitStore.index('bySub').getAllKeys(sub)) await unitStore.delete(key);
  for (const unit of units) await unitStore.put({ sub, unitId: unit.unitId, unit });
  const templateStore = tx.objectStore('templates');
  for (const template of [...templates.body.items, ...extraTemplates]) {
    await templateStore.put({ templateId: template.templateId, version: template.version, template });
  }
  const visitStore = tx.objectStore('visits');
  for (const server of visits) {
    const local = await visitStore.get([sub, server.visitId]);
    if (local !== undefined && (pending.has(server.visitId) || local.conflict !== null)) {
      // Unsent work on the phone wins the draft; the server's status and review are shown.
      await visitStore.put({ ...local, server, status: server.status });
      continue;
    }
    const stored: StoredVisit = {
      sub,
      visitId: server.visitId,
      draft: draftFromServer(server),
      status: server.status,
      etag: server.etag,
      server,
      attempted: [],
      // Problems belong to an editable visit; once submitted or approved they are history.
      problems: server.status === 'draft' || server.status === 'returned' ? (local?.problems ?? []) : [],
      conflict: null,
      submitRequested: false,
      localUpdatedAt: local?.localUpdatedAt ?? server.updatedAt,
    };
    await visitStore.put(stored);
  }
  await tx.done;
  await pullPhotos(database, api, sub, visits);
  return 'done';
}

/**
 * The photos of editable visits this phone has none of (made on another device): without
 * them the phone's completeness check would think a verified photo is missing. Stored without
 * their files, with the server's status.
 */
async function pullPhotos(database: AppDb, api: Api, sub: string, visits: VisitOut[]): Promise<void> {
  for (const visit of visits) {
    if (visit.status !== 'draft' && visit.status !== 'returned') continue;
    const local = await database.getAllFromIndex('photos', 'byVisit', [sub, visit.visitId]);
    if (local.length > 0) continue;
    const detail = await api.getVisit(visit.visitId);
    if (!detail.ok || detail.body.photos.length === 0) continue;
    const tx = database.transaction(['photos', 'outbox'], 'readwrite');
    for (const photo of detail.body.photos) {
      const stored: StoredPhoto = {
        sub,
        photoId: photo.photoId,
        visitId: visit.visitId,
        itemCode: photo.itemCode,
        blob: null,
        thumb: null,
        contentType: photo.contentType,
        sizeBytes: photo.sizeBytes,
        sha256: photo.sha256,
        width: 0,
        height: 0,
        capturedAt: photo.capturedAt ?? photo.createdAt,
        location: photo.location,
        state: photo.status === 'verified' ? 'verified' : photo.status === 'rejected' ? 'failed' : 'sent',
        reason: photo.reason,
        rejections: 0,
        createdAt: photo.createdAt,
      };
      await tx.objectStore('photos').put(stored);
      if (photo.status === 'pending') {
        // Watch it until verified, as for photos taken here.
        await queueOp(tx.objectStore('outbox'), sub, {
          sub,
          kind: 'checkPhoto',
          visitId: visit.visitId,
          photoId: photo.photoId,
          attempts: 0,
          notBefore: 0,
          blocked: null,
          createdAt: Date.now(),
        });
      }
    }
    await tx.done;
  }
}
