/**
 * The prose of the OpenAPI document: what API.md says in words, which no schema can carry.
 * Everything structural (paths, parameters, bodies, statuses, roles, codes) comes from the
 * route table, the contracts and the problem table instead.
 */
import type { RouteName } from '#routes/table.ts';

export const apiDescription = `Serverless API for public administration reform (PAR) inspection visits of one-stop
counters (Bộ phận Một cửa) in Vietnam: units, checklist templates, visits with photos, findings,
exports, scores, rankings and their publications to the ranking system.

## Conventions

- JSON bodies in UTF-8; text is stored after Unicode NFC normalisation. Names and titles are at
  most 200 characters, item texts 1,000, notes, comments and reasons 2,000.
- **Authentication**: \`Authorization: Bearer <access token>\` (a Cognito access JWT with \`sub\`,
  \`token_use: access\`, \`cognito:groups\`, \`custom:unitId\`, \`name\`). A staff token without
  \`custom:unitId\` is refused. The ranking system uses an OAuth 2 client-credentials token with
  the scope \`par-inspect/publications.read\`. Each operation lists its roles in \`x-roles\`.
- **Errors** are RFC 9457 problem details (\`application/problem+json\`, schema \`Problem\`):
  missing or invalid token 401, a role never allowed on the route 403, an object missing or
  outside the caller's scope 404. Each operation lists the codes it can answer per status.
  \`detail\` and messages are Vietnamese by default, English when \`Accept-Language\` prefers
  \`en\`. A 5xx never carries a stack trace or an internal message. In AWS, errors API Gateway
  makes itself (401 from the JWT authorizer, 429 throttling, 503/504 timeouts) carry its own
  body \`{ "message": "..." }\`; unmatched routes answer a problem+json 404.
- **Validation**: unknown properties answer 422, and so do server-owned ones (status, score,
  createdBy, etag, timestamps); nothing is silently dropped.
- **People**: \`by\`, \`createdBy\`, \`publishedBy\` and \`inspectorId\` are user IDs (Cognito
  subs). Beside each, \`byName\`, \`createdByName\`, \`publishedByName\` and \`inspectorName\` give
  the display name the person's token carried when the server wrote it: null when it carried
  none, or the item was written before names were kept.
- **Concurrency**: every mutable resource carries \`etag\` (also in the \`ETag\` header). A \`PUT\`
  of an existing resource and a \`PATCH\` need \`If-Match\`: stale 412 \`precondition_failed\`
  with the current resource in \`current\`, missing 428. Actions (\`submit\`, \`review\`,
  \`revoke\`) take an optional \`If-Match\`.
- **Idempotency**: phones address what they create by client-generated UUIDs, so a retry is
  harmless; a repeated \`PUT\` or action with the same input answers 200 with the same body and
  changes nothing. Reusing an ID for a different object answers 409 \`conflict\`. Creating
  \`POST\`s (template versions, exports, publications) honour \`Idempotency-Key\` for 24 hours;
  what a keyed request creates takes its ID from the caller, the key and the body, so a retry
  after a failure finds the first attempt's publication or export instead of making a second.
- **Lists**: \`?limit=\` (a decimal integer from 1 to 100, default 25; \`0x10\`, \`1e1\`,
  \`10.0\`, \`010\` or a padded value answer 422) and an opaque \`?cursor=\`; answers are
  \`{ "items": [...], "nextCursor": "..." | null }\`. A page may hold fewer than \`limit\` items
  while \`nextCursor\` is not null.
- **Limits**: request body 256 KiB (413); templates 150 items; 30 manual findings and 60 photos
  per visit; photos up to 10 MiB of \`image/jpeg\`, \`image/png\`, \`image/webp\` or \`image/heic\`;
  upload and download URLs expire within 300 s.
- **Formats**: times are RFC 3339 with an offset; periods \`YYYY\` or \`YYYY-Qn\`
  (Asia/Ho_Chi_Minh); dates \`YYYY-MM-DD\`. Scores, percents and points have at most 2 decimals.
  A band is \`{ "code", "label": { "vi", "en" } }\` or null.
- **Response headers**: every answer carries \`X-Content-Type-Options: nosniff\` and
  \`Cache-Control: no-store\`, unless a route states its own caching (an immutable publication,
  this document).
- **CORS**: browsers are answered from configured origins (any \`http://localhost:*\` in local
  mode); allowed request headers \`Authorization\`, \`Content-Type\`, \`If-Match\`,
  \`Idempotency-Key\`, \`Accept-Language\`; exposed response headers \`ETag\` and \`Retry-After\`.

## Local mode

\`npm start\` serves these routes on \`http://localhost:3000\` over DynamoDB Local and s3rver,
with the inspector's web app at \`/\` and a small OpenID Connect provider under \`/local/\` that
the app signs in with (docs/local-mode.md). It also adds \`POST /local/tokens\` \`{ role, unitId, sub?, name? }\` -> \`{ token }\`, which signs a
token the local server accepts as API Gateway's authorizer accepts a Cognito one. That route
exists only in local mode and is deliberately not part of this document.`;

export const tagDescriptions: Readonly<Record<string, string>> = {
  health: 'Liveness and this document; no token needed.',
  units: 'Administrative units (province, wards, communes...) as a tree; scope follows it.',
  templates: 'Checklist templates, published as immutable numbered versions.',
  visits: 'Inspection visits: draft, submit, review (approve or return), revoke.',
  photos: 'Photo evidence, uploaded straight to S3 with a presigned form and verified there.',
  findings: 'Findings of approved visits and their remediation lifecycle.',
  exports: 'Findings and ranking exports as CSV or XLSX, built in the background.',
  records:
    'Inspection records (biên bản kiểm tra) of approved visits, numbered per agency and year, as PDF and DOCX built in the background.',
  scores: 'Unit scores and the ranking rows of a peer group.',
  publications: 'Frozen rankings, published to the ranking system.',
  plans:
    'Inspection plans (kế hoạch kiểm tra CCHC): which units are inspected when and by whom, and where each assignment stands.',
  staff:
    'Staff accounts (cán bộ) of an admin’s jurisdiction: the sign-in account (Cognito) with one role and a unit, and its record.',
};

/** What API.md says each route does, beyond its summary. */
export const operationDescriptions: Readonly<Record<RouteName, string>> = {
  getHealth: 'Liveness: `{ "status": "ok" }`. Touches no store.',
  getOpenApi: 'This OpenAPI 3.1 document, generated from the route table and the zod contracts.',
  listUnits:
    "Units in scope: the children of `parentId`, or the root of the caller's scope when it is absent.",
  getUnit: 'One unit, with `path` (unit IDs from the root down to the unit).',
  putUnit:
    'Create (201) or replace (200) a unit. `parentId: null` makes a root. A unit with children or visits cannot change parent. Replacing needs `If-Match`.',
  listTemplates: 'The latest published version of each template.',
  getTemplateVersion: 'One published version; `latest` is allowed as the version.',
  publishTemplateVersion:
    'Validate and publish the next version (201 with `version`). A body equal to the latest version answers 200 with it. Honours `Idempotency-Key`.',
  putVisit:
    'Create (201) or update (200) a `draft` or `returned` visit. Partial answers are fine until submit. Updating needs `If-Match`; a repeated identical PUT answers 200 unchanged. Answers the visit as `GET` does, with its photos and history.',
  deleteVisit: "Delete one's own `draft` visit and its photos (204).",
  getVisit:
    'The visit: status, answers, photos with their status, `score` and `sections` once submitted, the last `review`, `pendingApproval` (`since`, `by`, `byName`) while an approval has begun and not committed, `history` (the audit entries) and `etag`. Every route that returns one visit returns this shape.',
  listVisits:
    'Visits in scope by `startedAt`, newest first (`order=oldest` for oldest first); `unitId` selects its whole subtree. The review queue is `status=submitted&order=oldest`, optionally with `templateId` and `period`: each status (with or without a template) is a list of its own, read on a key built for it. Inspectors see only their own visits. With `pendingApproval=true` (admins only, 403 otherwise; combinable with `unitId` only): approvals that began and have not committed, oldest first, which the scheduled repair completes after a 2-minute lease.',
  submitVisit:
    'Completeness checks, freeze and score. 422 `incomplete` lists every problem; when the only problems are photos still pending verification, 409 `photo_pending` with `Retry-After`.',
  reviewVisit:
    'Approve or return a submitted visit (`comment` required to return). Reviewing one’s own visit answers 403 `own_visit`. An approval is all or nothing; while a large one is pending, a return answers 409 `invalid_state` and the same approve finishes it.',
  revokeVisit:
    'Revoke an approved visit with a reason: it leaves the scores and its open findings are dismissed. If findings are being changed concurrently and cannot all be dismissed, 409 `conflict` (the revocation took effect); the same revoke again, or the scheduled repair, finishes the dismissals.',
  createPhoto:
    'On a `draft` or `returned` visit: register a photo and get a presigned S3 POST form bound to a fresh object key, the content type and the exact size. The same metadata again answers 200: a fresh form for a pending or rejected photo (a rejected one goes back to pending), no form for a verified one.',
  getPhoto:
    'Metadata and `status` (`pending`, `verified`, or `rejected` with `reason`: `size_mismatch`, `checksum_mismatch`, `type_mismatch`, `truncated_image`, `malformed_image`, `trailing_data` or `replaced`). The verifier checks the whole file: every JPEG segment to EOI, PNG chunk and CRC to IEND, WebP RIFF size, HEIC box; nothing but a motion photo video or further JPEGs may follow a JPEG. When verified, a presigned `downloadUrl` that answers `Content-Disposition: attachment; filename="<photoId>.<ext>"` and the declared type.',
  deletePhoto: 'On a `draft` or `returned` visit: remove the photo and its object (204).',
  listFindings:
    "Findings in scope (an inspector sees those of their own visits). `unitId` selects its subtree; `period` is the visit's `startedAt`; `overdue=true` keeps findings past `dueDate` and not `resolved`, `verified` or `dismissed`.",
  getFinding: 'One finding with its history.',
  patchFinding:
    'Move a finding through its lifecycle or change its note, reason or due date (at least one). `resolved` needs `note`, `dismissed` needs `reason`. `If-Match` is required.',
  createExport:
    'Start an export (202 `{ exportId, status: "running" }`), built in the background into S3: `kind: "findings"` with the `GET /v1/findings` filters, or `kind: "ranking"` with a peer group (`templateId`, `period`, `parentId`, `kind`: the rows of `GET /v1/scores`); `format: "csv"` (the default: UTF-8 BOM, formula-injection escaped) or `"xlsx"` (a cover sheet with the filters and the time of export, then one sheet with a frozen and filtered header row, fixed column widths, dates as dates and numbers as numbers; texts are never formulas). Headers are Vietnamese, English with `Accept-Language: en`. A unit outside the caller\'s jurisdiction or an unknown template answers 422 `unknown_reference`. Honours `Idempotency-Key`.',
  getExport:
    "An export's status (`running`, `ready` with a presigned `downloadUrl`, or `failed`); only its creator sees it.",
  createRecord:
    'Make the inspection record (biên bản kiểm tra) of an approved visit (202 `{ recordId, status: "running" }`): its number (`Số: 12/BB-SNV`, per agency and year, no gap and no repeat) is given now, and its PDF and DOCX are built in the background. The same request while the visit is unchanged (the same visit etag) answers the same record: 202 while it builds (a failed build starts again under its number), 200 `status: "ready"` once built. Only an approved visit has a record (409 `invalid_state`). Admins and managers, within their jurisdiction.',
  getRecord:
    "A record's number, status (`running`, `ready` or `failed`) and, when ready, presigned `pdfUrl` and `docxUrl` (each saved as `bien-ban-<n>-BB-<symbol>-<year>`), valid until `expiresAt` (300 s), and the files of its signed scan (a verified one with a link to that exact version); `status` is `signed` once one of them is verified. The reviewers of the visit's subtree see it.",
  createRecordScan:
    'Register one file of the signed record (after signing on paper): `fileId`, `contentType` `application/pdf` (the whole scan) or `image/jpeg` (a photo of a page), `sizeBytes` (at most 20 MiB) and `sha256`; answers a presigned form (POST its fields, then `file`) for a fresh key, as photos do. The verifier checks the upload (size, SHA-256, the whole JPEG, or a PDF from `%PDF-` to `%%EOF`) and settles the file `verified` or `rejected` with a `reason`; the first verified file makes the record `signed`. The same file again renews the form of a pending or rejected file (200) and answers a verified one without a form; other metadata under its ID is 409. Only a built record (409 `invalid_state`), at most 30 files.',
  getScores:
    'The ranking rows of a peer group (all four parameters required): every unit, ranked units by rank, equal scores by name (Vietnamese collation) then `unitId`, then the unscored units. Sections and bands come from the template’s latest version.',
  getUnitScores:
    "One unit's score in a period with the visits behind it; without an approved visit `score` is null and `visits` empty.",
  createPublication:
    'Freeze the ranking rows of a peer group, hash them (lowercase hex SHA-256 of the RFC 8785 canonical JSON of `rows`), name the publication it supersedes, and emit `ScoresPublished` (without rows). Honours `Idempotency-Key`. The event reaches the ranking system at least once: `detail.publicationId` is its deduplication key (docs/events.md).',
  listPublications: 'Publications, newest first, without their rows.',
  createPlan:
    'Make an inspection plan (201): a title, a period (`YYYY` or `YYYY-Qn`), a template, the unit whose subtree it covers, and assignments (a unit of that subtree, a window of local dates within the period, a lead and members, a kind `planned`, `unannounced` or `complaint` with its `complaintRef`). Assignments are numbered `<planId>.1`, `.2`, … Admins, and managers within their jurisdiction. Honours `Idempotency-Key`. Answers the plan as `GET` does.',
  putPlan:
    'Replace a plan (`If-Match` required). Assignments listed with their `assignmentId` keep it; those without one are new (the next numbers, never reused); those left out are removed, unless visits name them (409 `invalid_state`: cancel with `cancelledReason` instead). The template, or an assignment’s unit, cannot change once visits name it. A body equal to what is stored answers 200 unchanged.',
  listPlans:
    "Plans of a subtree (your own unit's when `unitId` is absent) whose period begins in `period`, by period start; without their assignments (`assignmentCount`).",
  getPlan:
    'The plan: each assignment with its derived `state` (`open`; `in_progress` once a visit names it; `done` when one of its visits is approved and not revoked; `missed` when its window ended without that; `cancelled`) and its visits; `coverage` (assignments per state, and the units of the scope with no visit in the period, planned or not); `history`.',
  listAssignments:
    '`mine=true` (required): the assignments you lead or are a member of whose window has not ended, nearest end first, each with its plan’s title, period and template, its state and its visits.',
  listStaff:
    "Staff of a subtree (your own unit's when `unitId` is absent), by role then ID; `role` keeps one role (a key prefix, not a filter).",
  createStaff:
    'Add a staff member: creates the account (Cognito e-mails a temporary password; the first sign-in sets a password and registers an authenticator) in the group of its `role`, with `unitId` (a unit of your jurisdiction) as its scope. The e-mail is trimmed and lowercased and is one account across the pool. The same e-mail with the same name, role and unit answers 200 with the existing record. Honours `Idempotency-Key`.',
  getStaff: 'One staff member of your jurisdiction with the audit history of their account.',
  patchStaff:
    "Change a staff member's `name`, `role` or `unitId` (at least one; `If-Match` required). Not your own role or unit. New claims reach their tokens at the next sign-in or token refresh (an hour at most). A body equal to what is stored answers 200 unchanged.",
  disableStaff:
    'Disable the account: it cannot sign in, and its refresh tokens are revoked (an access token already issued lasts until it expires, an hour at most). Not your own. Already disabled: 200 unchanged. `If-Match` optional.',
  enableStaff: 'Enable a disabled account. Already enabled: 200 unchanged. `If-Match` optional.',
  resetStaffTotp:
    'Remove the account’s authenticator (a lost phone): the next sign-in asks to register a new one; signs the person out everywhere. Audited; the record does not change.',
  getPublication:
    'The frozen publication. `Accept: text/csv` gives CSV (UTF-8 BOM; rank, unitId, code, name, score, band code, band label, visitCount, then one column per section).',
};

/** Descriptions of parameters by name, or by `route.name` where a route means something else. */
export const parameterDescriptions: Readonly<Record<string, string>> = {
  unitId: 'Unit ID.',
  'listVisits.unitId': "Selects the unit's whole subtree.",
  'listVisits.order': 'By `startedAt`: `newest` first (the default) or `oldest` first (the review queue).',
  'listVisits.templateId': 'Only visits of this template (with `status`, on a key of its own).',
  'listFindings.unitId': "Selects the unit's whole subtree (your own unit when absent).",
  parentId: 'The parent unit of the peer group.',
  'listUnits.parentId': "List this unit's children; the root of your scope when absent.",
  kind: 'Unit kind.',
  templateId: 'Template ID.',
  version: 'A version number, or `latest`.',
  visitId: 'Visit ID: a client-generated UUID (stored lowercase).',
  photoId: 'Photo ID: a client-generated UUID (stored lowercase).',
  findingId: '`<visitId>.<itemCode>`, or `<visitId>.m<n>` for a manual finding.',
  exportId: 'Export ID.',
  publicationId: 'Publication ID.',
  planId: 'Plan ID.',
  'listPlans.unitId': "Plans of this unit's subtree (your own unit when absent).",
  'listPlans.period': 'Plans whose period begins in this `YYYY` or `YYYY-Qn`.',
  mine: '`true`: your own assignments (the only list so far).',
  userId: "A staff member's ID: their account's `sub`.",
  'listStaff.unitId': "Staff of this unit's subtree (your own unit when absent).",
  role: 'Only this role.',
  period: '`YYYY` or `YYYY-Qn`, in Asia/Ho_Chi_Minh time.',
  'listFindings.period': "`YYYY` or `YYYY-Qn`, matched against the visit's `startedAt`.",
  status: 'Only this status.',
  severity: 'Only this severity.',
  sectionCode: 'Only findings of this template section.',
  itemCode: 'Only findings of this template item.',
  overdue: '`true` keeps findings past `dueDate` and not `resolved`, `verified` or `dismissed`.',
  inspectorId: "Only this inspector's visits (their `sub`).",
  pendingApproval: '`true` (admins): only visits whose approval began and has not committed.',
  limit:
    'Page size: a decimal integer from 1 to 100, without sign, spaces, leading zeros, decimal point, exponent or hex; anything else answers 422 `validation_failed` naming `limit`.',
  cursor: 'The `nextCursor` of the previous page (opaque).',
};

/** How each success status of a route reads, where the plain reason phrase is not enough. */
export const successDescriptions: Partial<Record<RouteName, Readonly<Record<number, string>>>> = {
  putUnit: { 201: 'Created.', 200: 'Replaced, or unchanged (a repeated identical PUT).' },
  publishTemplateVersion: {
    201: 'Published as the next version.',
    200: 'The body equals the latest version, which is answered as it is (or an `Idempotency-Key` replay).',
  },
  createStaff: {
    201: 'Added: the account is created and its invitation sent.',
    200: 'The same person is already a staff member with these details (or an `Idempotency-Key` replay).',
  },
  putVisit: { 201: 'Created as a draft.', 200: 'Updated, or unchanged (a repeated identical PUT).' },
  createPhoto: {
    201: 'Registered: post the file to `upload.url` with `upload.fields` before `expiresAt`.',
    200: 'The same metadata again: a fresh form for a pending or rejected photo, no form for a verified one.',
  },
  createExport: { 202: 'Started: poll `GET /v1/exports/{exportId}`.' },
  createRecordScan: {
    201: 'Registered: upload the file with the form, then poll `GET /v1/records/{recordId}`.',
    200: 'The same file again: a fresh form while pending or rejected, none once verified.',
  },
  createRecord: {
    202: 'Started (or still building): poll `GET /v1/records/{recordId}`.',
    200: 'This record of the visit as it is now is already built.',
  },
  createPublication: { 201: 'Published; `ScoresPublished` was emitted.' },
  createPlan: { 201: 'Created (or an `Idempotency-Key` replay).' },
  putPlan: { 200: 'Replaced, or unchanged (a repeated identical PUT).' },
  deleteVisit: { 204: 'Deleted, with its photos.' },
  deletePhoto: { 204: 'Removed, with its object.' },
};
