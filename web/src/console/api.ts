/**
 * The console's calls, built on the app's one API client (same token, language and parsing of
 * every answer with the route contract's schema). Kept in the console's chunk: the inspector's
 * outbox never needs these routes.
 */

import type * as z from 'zod/mini';
import { exportContracts } from '#routes/contracts/exports.ts';
import { findingContracts } from '#routes/contracts/findings.ts';
import { publicationContracts } from '#routes/contracts/publications.ts';
import { recordContracts } from '#routes/contracts/records.ts';
import { scoreContracts } from '#routes/contracts/scores.ts';
import { templateContracts } from '#routes/contracts/templates.ts';
import { unitContracts } from '#routes/contracts/units.ts';
import { visitContracts } from '#routes/contracts/visits.ts';
import { createApi, pathOf } from '../api/client.ts';
import { freshToken } from '../auth.ts';
import { language } from '../i18n/index.ts';
import { config } from '../state.ts';

type Query = Record<string, string | undefined>;

const client = createApi({
  baseUrl: config.value?.apiBaseUrl ?? window.location.origin,
  token: freshToken,
  language: () => language.value,
});

const get = <T>(path: string, schema: z.ZodMiniType<T>, query?: Query) =>
  client.request({ method: 'GET', path, ...(query !== undefined ? { query } : {}) }, schema);

export type FindingPatch = z.input<typeof findingContracts.patchFinding.body>;
export type FindingFilters = z.input<typeof exportContracts.createExport.body>['filters'];
export type RankingQuery = z.input<typeof scoreContracts.getScores.query>;

export const api = {
  listUnits: (query: Query) => get(pathOf('listUnits'), unitContracts.listUnits.success.body, query),
  getUnit: (unitId: string) => get(pathOf('getUnit', { unitId }), unitContracts.getUnit.success.body),
  listTemplates: () =>
    get(pathOf('listTemplates'), templateContracts.listTemplates.success.body, { limit: '100' }),
  getTemplateVersion: (templateId: string, version: number | 'latest') =>
    get(
      pathOf('getTemplateVersion', { templateId, version: String(version) }),
      templateContracts.getTemplateVersion.success.body,
    ),
  publishTemplateVersion: (templateId: string, body: unknown, idempotencyKey: string) =>
    client.request(
      {
        method: 'POST',
        path: pathOf('publishTemplateVersion', { templateId }),
        body,
        idempotencyKey,
      },
      templateContracts.publishTemplateVersion.success.body,
    ),

  listVisits: (query: Query) => get(pathOf('listVisits'), visitContracts.listVisits.success.body, query),
  getVisit: (visitId: string) => get(pathOf('getVisit', { visitId }), visitContracts.getVisit.success.body),
  getPhoto: (visitId: string, photoId: string) =>
    get(pathOf('getPhoto', { visitId, photoId }), visitContracts.getPhoto.success.body),
  reviewVisit: (visitId: string, body: { decision: 'approve' | 'return'; comment?: string }, etag: string) =>
    client.request(
      { method: 'POST', path: pathOf('reviewVisit', { visitId }), body, ifMatch: etag },
      visitContracts.reviewVisit.success.body,
    ),
  revokeVisit: (visitId: string, reason: string, etag: string) =>
    client.request(
      { method: 'POST', path: pathOf('revokeVisit', { visitId }), body: { reason }, ifMatch: etag },
      visitContracts.revokeVisit.success.body,
    ),

  listFindings: (query: Query) =>
    get(pathOf('listFindings'), findingContracts.listFindings.success.body, query),
  getFinding: (findingId: string) =>
    get(pathOf('getFinding', { findingId }), findingContracts.getFinding.success.body),
  patchFinding: (findingId: string, body: FindingPatch, etag: string) =>
    client.request(
      { method: 'PATCH', path: pathOf('patchFinding', { findingId }), body, ifMatch: etag },
      findingContracts.patchFinding.success.body,
    ),

  getScores: (query: RankingQuery) =>
    get(pathOf('getScores'), scoreContracts.getScores.success.body, { ...query }),
  getUnitScores: (unitId: string, templateId: string, period: string) =>
    get(pathOf('getUnitScores', { unitId }), scoreContracts.getUnitScores.success.body, {
      templateId,
      period,
    }),

  listPublications: (query: Query) =>
    get(pathOf('listPublications'), publicationContracts.listPublications.success.body, query),
  getPublication: (publicationId: string) =>
    get(pathOf('getPublication', { publicationId }), publicationContracts.getPublication.success.body),
  createPublication: (body: RankingQuery, idempotencyKey: string) =>
    client.request(
      { method: 'POST', path: pathOf('createPublication'), body, idempotencyKey },
      publicationContracts.createPublication.success.body,
    ),

  createExport: (body: z.input<typeof exportContracts.createExport.body>, idempotencyKey: string) =>
    client.request(
      { method: 'POST', path: pathOf('createExport'), body, idempotencyKey },
      exportContracts.createExport.success.body,
    ),
  getExport: (exportId: string) =>
    get(pathOf('getExport', { exportId }), exportContracts.getExport.success.body),
  createRecord: (visitId: string) =>
    client.request(
      { method: 'POST', path: pathOf('createRecord', { visitId }) },
      recordContracts.createRecord.success.body,
    ),
  getRecord: (recordId: string) =>
    get(pathOf('getRecord', { recordId }), recordContracts.getRecord.success.body),
};

export type ConsoleVisit = z.output<typeof visitContracts.getVisit.success.body>;
export type ConsoleVisitRow = z.output<typeof visitContracts.listVisits.success.body>['items'][number];
export type ConsolePhoto = z.output<typeof visitContracts.getPhoto.success.body>;
export type ConsoleTemplate = z.output<typeof templateContracts.getTemplateVersion.success.body>;
export type ConsoleUnit = z.output<typeof unitContracts.getUnit.success.body>;
export type ConsoleFinding = z.output<typeof findingContracts.getFinding.success.body>;
export type ConsoleFindingRow = z.output<typeof findingContracts.listFindings.success.body>['items'][number];
export type RankingRow = z.output<typeof scoreContracts.getScores.success.body>['items'][number];
export type UnitScores = z.output<typeof scoreContracts.getUnitScores.success.body>;
export type Publication = z.output<typeof publicationContracts.getPublication.success.body>;
export type PublicationSummary = z.output<
  typeof publicationContracts.listPublications.success.body
>['items'][number];
