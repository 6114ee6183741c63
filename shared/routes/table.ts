/**
 * The route table: the single source that the CDK stack (one function per route, with grants
 * built from `access`), the local server and the OpenAPI document all read. Adding a route is
 * one entry here plus one handler file. This module must stay free of handler imports so that
 * infra/ can read it without pulling in use cases.
 */

export const roles = ['admin', 'manager', 'inspector', 'ranking'] as const;
export type Role = (typeof roles)[number];

/**
 * What a handler touches, action by action, so each function gets exactly these permissions
 * (infra/access.ts turns them into IAM statements; tests/infra checks every policy):
 * - table: `read` = GetItem, BatchGetItem, Query (table and indexes); `put` = PutItem;
 *   `update` = UpdateItem; `delete` = DeleteItem; `check` = ConditionCheckItem. A transaction is
 *   authorised item by item with these.
 * - bucket: `read` = GetObject (also to sign download URLs); `readVersion` = GetObjectVersion
 *   (one exact version: verified evidence); `write` = PutObject (also to sign upload forms, and
 *   multipart parts); `multipart` = AbortMultipartUpload; `delete` = DeleteObject;
 *   `deleteVersion` = DeleteObjectVersion.
 * - events: `put` = PutEvents on the project's bus.
 * - userPool (Cognito's admin APIs on the staff pool): `create` = AdminCreateUser, AdminGetUser,
 *   AdminAddUserToGroup, AdminListGroupsForUser; `role` = AdminAddUserToGroup,
 *   AdminListGroupsForUser, AdminRemoveUserFromGroup; `attributes` = AdminUpdateUserAttributes;
 *   `disable` = AdminDisableUser, AdminUserGlobalSignOut; `enable` = AdminEnableUser;
 *   `resetTotp` = AdminSetUserMFAPreference, AdminUserGlobalSignOut.
 */
export type TableAction = 'read' | 'put' | 'update' | 'delete' | 'check';
export type BucketAction = 'read' | 'readVersion' | 'write' | 'multipart' | 'delete' | 'deleteVersion';
export type UserPoolAction = 'create' | 'role' | 'attributes' | 'disable' | 'enable' | 'resetTotp';

export interface Access {
  table?: ReadonlyArray<TableAction>;
  bucket?: ReadonlyArray<BucketAction>;
  events?: ReadonlyArray<'put'>;
  userPool?: ReadonlyArray<UserPoolAction>;
}

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

export interface RouteDefinition {
  /** Stable name: the function's construct ID and the OpenAPI operationId. */
  name: string;
  method: HttpMethod;
  /** API Gateway style path with `{param}` segments. */
  path: string;
  /** The handler module, relative to the repository root; it exports `handler`. */
  handler: string;
  /** Roles allowed; `public` needs no token. `ranking` tokens are machine clients. */
  roles: readonly Role[] | 'public';
  access: Access;
  summary: string;
  tag: string;
  /** Success answers carry the resource's etag as an `ETag` header too. */
  etag?: boolean;
  /** A creating POST that honours `Idempotency-Key` (a retry finds the first answer). */
  idempotent?: boolean;
}

/** Per-route facts beyond the positional ones: read by the OpenAPI document and the proof suites. */
interface RouteFacts {
  etag?: true;
  idempotent?: true;
}

const etag = { etag: true } as const;
const idempotent = { idempotent: true } as const;

const staff = ['admin', 'manager', 'inspector'] as const;
const reviewers = ['admin', 'manager'] as const;

export const getHealthRoute = r(
  'getHealth',
  'GET',
  '/v1/health',
  'functions/health/get.ts',
  'public',
  {},
  'Liveness',
  'health',
);
export const getOpenApiRoute = r(
  'getOpenApi',
  'GET',
  '/v1/openapi.json',
  'functions/openapi/get.ts',
  'public',
  {},
  'The OpenAPI 3.1 document',
  'health',
);
export const listUnitsRoute = r(
  'listUnits',
  'GET',
  '/v1/units',
  'functions/units/list.ts',
  staff,
  { table: ['read'] },
  'Units in scope',
  'units',
);
export const getUnitRoute = r(
  'getUnit',
  'GET',
  '/v1/units/{unitId}',
  'functions/units/get.ts',
  staff,
  { table: ['read'] },
  'One unit with its path',
  'units',
  etag,
);
export const putUnitRoute = r(
  'putUnit',
  'PUT',
  '/v1/units/{unitId}',
  'functions/units/put.ts',
  ['admin'],
  { table: ['read', 'put'] },
  'Create or replace a unit',
  'units',
  etag,
);
export const listTemplatesRoute = r(
  'listTemplates',
  'GET',
  '/v1/templates',
  'functions/templates/list.ts',
  staff,
  { table: ['read'] },
  'Latest version of each template',
  'templates',
);
export const getTemplateVersionRoute = r(
  'getTemplateVersion',
  'GET',
  '/v1/templates/{templateId}/versions/{version}',
  'functions/templates/get-version.ts',
  staff,
  { table: ['read'] },
  'One template version (or latest)',
  'templates',
);
export const publishTemplateVersionRoute = r(
  'publishTemplateVersion',
  'POST',
  '/v1/templates/{templateId}/versions',
  'functions/templates/publish.ts',
  ['admin'],
  { table: ['read', 'put', 'delete'] },
  'Validate and publish the next version',
  'templates',
  idempotent,
);
export const putVisitRoute = r(
  'putVisit',
  'PUT',
  '/v1/visits/{visitId}',
  'functions/visits/put.ts',
  ['inspector'],
  { table: ['read', 'put'] },
  'Create or update a draft or returned visit',
  'visits',
  etag,
);
export const deleteVisitRoute = r(
  'deleteVisit',
  'DELETE',
  '/v1/visits/{visitId}',
  'functions/visits/delete.ts',
  ['inspector'],
  { table: ['read', 'put', 'delete'], bucket: ['delete'] },
  'Delete a draft visit and its photos',
  'visits',
);
export const getVisitRoute = r(
  'getVisit',
  'GET',
  '/v1/visits/{visitId}',
  'functions/visits/get.ts',
  staff,
  { table: ['read'] },
  'One visit with review and history',
  'visits',
  etag,
);
export const listVisitsRoute = r(
  'listVisits',
  'GET',
  '/v1/visits',
  'functions/visits/list.ts',
  staff,
  { table: ['read'] },
  'Visits in scope, newest first',
  'visits',
);
export const submitVisitRoute = r(
  'submitVisit',
  'POST',
  '/v1/visits/{visitId}/submit',
  'functions/visits/submit.ts',
  ['inspector'],
  { table: ['read', 'put', 'check'] },
  'Check completeness, freeze and score',
  'visits',
  etag,
);
export const reviewVisitRoute = r(
  'reviewVisit',
  'POST',
  '/v1/visits/{visitId}/review',
  'functions/visits/review.ts',
  reviewers,
  // update: the unit scores (one visit added); delete: a chunked approval's repair mark.
  { table: ['read', 'put', 'update', 'delete'] },
  'Approve or return a submitted visit',
  'visits',
  etag,
);
export const revokeVisitRoute = r(
  'revokeVisit',
  'POST',
  '/v1/visits/{visitId}/revoke',
  'functions/visits/revoke.ts',
  ['admin'],
  // update: the unit scores (one visit removed); delete: the repair mark, once every open
  // finding is dismissed.
  { table: ['read', 'put', 'update', 'delete'] },
  'Revoke an approved visit',
  'visits',
  etag,
);
export const createPhotoRoute = r(
  'createPhoto',
  'POST',
  '/v1/visits/{visitId}/photos',
  'functions/photos/create.ts',
  ['inspector'],
  { table: ['read', 'put', 'update', 'check'], bucket: ['write'] },
  'Register a photo and get an upload form',
  'photos',
);
export const getPhotoRoute = r(
  'getPhoto',
  'GET',
  '/v1/visits/{visitId}/photos/{photoId}',
  'functions/photos/get.ts',
  staff,
  { table: ['read'], bucket: ['read', 'readVersion'] },
  'Photo metadata and download URL',
  'photos',
);
export const deletePhotoRoute = r(
  'deletePhoto',
  'DELETE',
  '/v1/visits/{visitId}/photos/{photoId}',
  'functions/photos/delete.ts',
  ['inspector'],
  // put: the deletion of its object, set with the record's (completed by the repair if S3 fails).
  { table: ['read', 'put', 'update', 'delete', 'check'], bucket: ['delete'] },
  'Remove a photo and its object',
  'photos',
);
export const listFindingsRoute = r(
  'listFindings',
  'GET',
  '/v1/findings',
  'functions/findings/list.ts',
  staff,
  { table: ['read'] },
  'Findings in scope',
  'findings',
);
export const getFindingRoute = r(
  'getFinding',
  'GET',
  '/v1/findings/{findingId}',
  'functions/findings/get.ts',
  staff,
  { table: ['read'] },
  'One finding with its history',
  'findings',
  etag,
);
export const patchFindingRoute = r(
  'patchFinding',
  'PATCH',
  '/v1/findings/{findingId}',
  'functions/findings/patch.ts',
  reviewers,
  { table: ['read', 'put', 'delete'] },
  'Move a finding through its lifecycle',
  'findings',
  etag,
);
export const createExportRoute = r(
  'createExport',
  'POST',
  '/v1/exports',
  'functions/exports/create.ts',
  reviewers,
  { table: ['read', 'put', 'delete'], events: ['put'] },
  'Start a findings or ranking export (CSV or XLSX)',
  'exports',
  idempotent,
);
export const getExportRoute = r(
  'getExport',
  'GET',
  '/v1/exports/{exportId}',
  'functions/exports/get.ts',
  reviewers,
  { table: ['read'], bucket: ['read'] },
  'Export status and download URL',
  'exports',
);
// Inspection records (issue 17): built in the background by the buildRecord worker.
export const createRecordRoute = r(
  'createRecord',
  'POST',
  '/v1/visits/{visitId}/record',
  'functions/records/create.ts',
  reviewers,
  // put: the record with its number (one transaction), or its restart after a failed build.
  { table: ['read', 'put'], events: ['put'] },
  'Make the inspection record (biên bản) of an approved visit',
  'records',
);
export const getRecordRoute = r(
  'getRecord',
  'GET',
  '/v1/records/{recordId}',
  'functions/records/get.ts',
  reviewers,
  // readVersion: the signed scan's verified versions.
  { table: ['read'], bucket: ['read', 'readVersion'] },
  'Record status, PDF, DOCX and signed scan download URLs',
  'records',
);
export const createRecordScanRoute = r(
  'createRecordScan',
  'POST',
  '/v1/records/{recordId}/scans',
  'functions/records/scan.ts',
  reviewers,
  { table: ['read', 'put'], bucket: ['write'] },
  'Register a file of the signed record and get an upload form',
  'records',
);
export const getScoresRoute = r(
  'getScores',
  'GET',
  '/v1/scores',
  'functions/scores/list.ts',
  reviewers,
  { table: ['read'] },
  'Ranking rows of a peer group',
  'scores',
);
export const getUnitScoresRoute = r(
  'getUnitScores',
  'GET',
  '/v1/units/{unitId}/scores',
  'functions/scores/unit.ts',
  reviewers,
  { table: ['read'] },
  "One unit's score with its visits",
  'scores',
);
export const createPublicationRoute = r(
  'createPublication',
  'POST',
  '/v1/publications',
  'functions/publications/create.ts',
  ['admin'],
  { table: ['read', 'put', 'update', 'delete'], events: ['put'] },
  'Freeze and publish a ranking',
  'publications',
  idempotent,
);
export const listPublicationsRoute = r(
  'listPublications',
  'GET',
  '/v1/publications',
  'functions/publications/list.ts',
  ['admin', 'manager', 'ranking'],
  { table: ['read'] },
  'Publications, newest first',
  'publications',
);
export const getPublicationRoute = r(
  'getPublication',
  'GET',
  '/v1/publications/{publicationId}',
  'functions/publications/get.ts',
  ['admin', 'manager', 'ranking'],
  { table: ['read'] },
  'One frozen publication (JSON or CSV)',
  'publications',
);
export const createPlanRoute = r(
  'createPlan',
  'POST',
  '/v1/plans',
  'functions/plans/create.ts',
  reviewers,
  // put: the plan, its audit and the assignment entries; delete: releasing an Idempotency-Key.
  { table: ['read', 'put', 'delete'] },
  'Make an inspection plan with its assignments',
  'plans',
  { etag: true, idempotent: true },
);
export const putPlanRoute = r(
  'putPlan',
  'PUT',
  '/v1/plans/{planId}',
  'functions/plans/put.ts',
  reviewers,
  // delete: the entries of people (or assignments) the plan no longer has.
  { table: ['read', 'put', 'delete'] },
  'Replace an inspection plan',
  'plans',
  etag,
);
export const listPlansRoute = r(
  'listPlans',
  'GET',
  '/v1/plans',
  'functions/plans/list.ts',
  reviewers,
  { table: ['read'] },
  'Plans of a subtree, by period',
  'plans',
);
export const getPlanRoute = r(
  'getPlan',
  'GET',
  '/v1/plans/{planId}',
  'functions/plans/get.ts',
  reviewers,
  { table: ['read'] },
  'One plan: assignments with their states, coverage',
  'plans',
  etag,
);
export const listAssignmentsRoute = r(
  'listAssignments',
  'GET',
  '/v1/assignments',
  'functions/plans/assignments.ts',
  staff,
  { table: ['read'] },
  "The caller's assignments, nearest window first",
  'plans',
);
// Staff management (admins, their jurisdiction): the record in the table, the account in the
// user pool (docs/deploy.md, "Staff accounts").
export const listStaffRoute = r(
  'listStaff',
  'GET',
  '/v1/staff',
  'functions/staff/list.ts',
  ['admin'],
  { table: ['read'] },
  'Staff of a subtree, by role',
  'staff',
);
export const createStaffRoute = r(
  'createStaff',
  'POST',
  '/v1/staff',
  'functions/staff/create.ts',
  ['admin'],
  // put: the record, its e-mail's claim and audit; delete: releasing an Idempotency-Key.
  { table: ['read', 'put', 'delete'], userPool: ['create'] },
  'Add a staff member (account, role, unit)',
  'staff',
  { etag: true, idempotent: true },
);
export const getStaffRoute = r(
  'getStaff',
  'GET',
  '/v1/staff/{userId}',
  'functions/staff/get.ts',
  ['admin'],
  { table: ['read'] },
  'One staff member with their history',
  'staff',
  etag,
);
export const patchStaffRoute = r(
  'patchStaff',
  'PATCH',
  '/v1/staff/{userId}',
  'functions/staff/patch.ts',
  ['admin'],
  { table: ['read', 'put'], userPool: ['role', 'attributes'] },
  "Change a staff member's name, role or unit",
  'staff',
  etag,
);
export const disableStaffRoute = r(
  'disableStaff',
  'POST',
  '/v1/staff/{userId}/disable',
  'functions/staff/disable.ts',
  ['admin'],
  { table: ['read', 'put'], userPool: ['disable'] },
  'Disable an account and sign it out',
  'staff',
  etag,
);
export const enableStaffRoute = r(
  'enableStaff',
  'POST',
  '/v1/staff/{userId}/enable',
  'functions/staff/enable.ts',
  ['admin'],
  { table: ['read', 'put'], userPool: ['enable'] },
  'Enable a disabled account',
  'staff',
  etag,
);
export const resetStaffTotpRoute = r(
  'resetStaffTotp',
  'POST',
  '/v1/staff/{userId}/reset-totp',
  'functions/staff/reset-totp.ts',
  ['admin'],
  // put: the audit entry (the record does not change).
  { table: ['read', 'put'], userPool: ['resetTotp'] },
  'Remove the authenticator: the next sign-in registers a new one',
  'staff',
  etag,
);

/** Every route, in the order of the API's documentation. */
export const routes = [
  getHealthRoute,
  getOpenApiRoute,
  listUnitsRoute,
  getUnitRoute,
  putUnitRoute,
  listTemplatesRoute,
  getTemplateVersionRoute,
  publishTemplateVersionRoute,
  putVisitRoute,
  deleteVisitRoute,
  getVisitRoute,
  listVisitsRoute,
  submitVisitRoute,
  reviewVisitRoute,
  revokeVisitRoute,
  createPhotoRoute,
  getPhotoRoute,
  deletePhotoRoute,
  listFindingsRoute,
  getFindingRoute,
  patchFindingRoute,
  createExportRoute,
  getExportRoute,
  createRecordRoute,
  getRecordRoute,
  createRecordScanRoute,
  getScoresRoute,
  getUnitScoresRoute,
  createPublicationRoute,
  listPublicationsRoute,
  getPublicationRoute,
  createPlanRoute,
  putPlanRoute,
  listPlansRoute,
  getPlanRoute,
  listAssignmentsRoute,
  listStaffRoute,
  createStaffRoute,
  getStaffRoute,
  patchStaffRoute,
  disableStaffRoute,
  enableStaffRoute,
  resetStaffTotpRoute,
] as const satisfies readonly RouteDefinition[];

/** One route's entry, as the table has it (its name a literal). */
export type Route = (typeof routes)[number];

export type RouteName = Route['name'];

/**
 * Functions that are not HTTP routes: triggered by S3, the event bus, or a schedule (`schedule`:
 * every 5 minutes in AWS, every minute under `npm start`).
 */
export interface WorkerDefinition {
  name: string;
  handler: string;
  trigger: 'photo-object-created' | 'export-requested' | 'record-requested' | 'schedule';
  access: Access;
  summary: string;
}

export const workers = [
  {
    name: 'verifyPhoto',
    handler: 'functions/photos/verify.ts',
    trigger: 'photo-object-created',
    // update: the visit's evidence item (one attribute per photo, set without reading).
    access: { table: ['read', 'put', 'update'], bucket: ['read', 'readVersion', 'delete', 'deleteVersion'] },
    summary:
      "Checks an uploaded photo (size, SHA-256, image structure) and records its evidence, or a signed record's scan file",
  },
  {
    name: 'runExport',
    handler: 'functions/exports/worker.ts',
    trigger: 'export-requested',
    access: { table: ['read', 'put'], bucket: ['write', 'multipart'] },
    summary: 'Writes a findings or ranking export (CSV or XLSX) to S3 page by page',
  },
  {
    name: 'buildRecord',
    handler: 'functions/records/worker.ts',
    trigger: 'record-requested',
    // read(Version): the verified photos, exactly as verified; write/multipart: the PDF and DOCX.
    access: { table: ['read', 'put'], bucket: ['read', 'readVersion', 'write', 'multipart'] },
    summary: "Draws an inspection record's PDF and DOCX from its visit and photos",
  },
  {
    name: 'announcePublications',
    handler: 'functions/publications/announce.ts',
    trigger: 'schedule',
    // Query of the outbox; the transaction that sets eventPublished and deletes the marker.
    access: { table: ['read', 'update', 'delete'], events: ['put'] },
    summary: 'Sends ScoresPublished for publications whose event never went out (outbox sweeper)',
  },
  {
    name: 'repairVisits',
    handler: 'functions/visits/repair.ts',
    trigger: 'schedule',
    // Queries of the repair marks; the approval's findings and commit transaction, a rollback's
    // finding deletes, dismissals of a revoked visit's findings, clearing the marks; and the
    // photo objects whose records a request deleted without them.
    access: { table: ['read', 'put', 'update', 'delete'], bucket: ['delete'] },
    summary:
      'Rolls forward (or back) approvals left pending, completes revocations and deletes the objects of deleted photos (scheduled repair)',
  },
] as const satisfies readonly WorkerDefinition[];

/** The name of a worker of the table: a misspelt one does not compile. */
export type WorkerName = (typeof workers)[number]['name'];

/** Looks a route up by name (the local server, the OpenAPI document, the tests). */
export function route(name: RouteName): Route {
  const found = routes.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`No route named ${name}`);
  return found;
}

// esbuild drops what a bundle does not use only when it knows the calls are pure: a handler
// imports its own route's constant, and the rest of the table (summaries, paths, every other
// route; about 7 kB minified) stays out of its bundle.
/* @__NO_SIDE_EFFECTS__ */
function r<const Name extends string>(
  name: Name,
  method: HttpMethod,
  path: string,
  handler: string,
  allowed: readonly Role[] | 'public',
  access: Access,
  summary: string,
  tag: string,
  facts: RouteFacts = {},
) {
  return { name, method, path, handler, roles: allowed, access, summary, tag, ...facts } as const;
}
