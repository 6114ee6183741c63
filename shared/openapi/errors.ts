/**
 * Which problem codes each operation can answer, and why. The codes every protected route shares
 * (401, 403, 422 for inputs, 413 for bodies, 503, 500) are added by the generator; this table
 * holds what is particular to a route. Keyed by every route name: the generator refuses to build
 * without an entry, so a new route needs a decision here about what it can refuse. The integration test
 * (tests/integration/openapi-responses.test.ts) holds real error answers to these lists.
 */
import type { ErrorCode } from '#domain/errors.ts';
import type { RouteName } from '#routes/table.ts';

/** A code and, in English, when this operation answers it. */
export type ErrorCause = readonly [code: ErrorCode, when: string];

const stale = (what: string): ErrorCause => [
  'precondition_failed',
  `\`If-Match\` names an older etag of the ${what}; \`current\` holds the ${what} as it is now`,
];

export const operationErrors: Readonly<Record<RouteName, readonly ErrorCause[]>> = {
  getHealth: [],
  getOpenApi: [],

  listUnits: [['not_found', '`parentId` names no unit in your jurisdiction']],
  getUnit: [['not_found', 'no such unit in your jurisdiction']],
  putUnit: [
    ['forbidden', 'a root unit (`parentId: null`) other than your own unit'],
    ['not_found', 'the unit exists outside your jurisdiction'],
    ['invalid_state', 'a unit with children or visits cannot change parent'],
    stale('unit'),
    ['precondition_required', 'replacing an existing unit without `If-Match`'],
    ['unknown_reference', '`parentId` names no unit'],
    ['cycle', 'the new parent lies below the unit itself'],
    ['validation_failed', 'the tree would be deeper than allowed'],
  ],

  listTemplates: [],
  getTemplateVersion: [['not_found', 'no such template, or no such version of it']],
  publishTemplateVersion: [
    [
      'conflict',
      'the `Idempotency-Key` was used with another body, or another version was being published at the same moment',
    ],
    ['validation_failed', 'the template breaks a rule: duplicate codes, bands, ranges, over 150 items'],
  ],

  putVisit: [
    [
      'conflict',
      'the visit ID is already used for another unit, template or inspector (including another inspector’s visit)',
    ],
    ['invalid_state', 'the visit is neither `draft` nor `returned`'],
    stale('visit'),
    ['precondition_required', 'updating an existing visit without `If-Match`'],
    ['unknown_reference', 'the unit, the template version or the `assignmentId` does not exist'],
    [
      'validation_failed',
      'answers that do not fit the template (unknown codes, values out of range); an `assignmentId` for another unit or template, not naming you, or cancelled',
    ],
  ],
  deleteVisit: [
    ['not_found', 'no such visit of yours'],
    ['invalid_state', 'only a `draft` visit can be deleted'],
    stale('visit'),
  ],
  getVisit: [['not_found', 'no such visit in your scope']],
  listVisits: [['not_found', '`unitId` names no unit in your jurisdiction']],
  submitVisit: [
    ['not_found', 'no such visit of yours'],
    ['invalid_state', 'the visit is neither `draft` nor `returned`'],
    [
      'photo_pending',
      'the only problems are photos still awaiting verification: retry after `Retry-After` seconds',
    ],
    stale('visit'),
    ['incomplete', 'the visit is not complete: `errors` lists every problem'],
  ],
  reviewVisit: [
    ['own_visit', 'reviewing a visit you created'],
    ['not_found', 'no such visit in your jurisdiction'],
    ['invalid_state', 'the visit is not `submitted`'],
    stale('visit'),
    ['validation_failed', 'returning a visit without a `comment`'],
  ],
  revokeVisit: [
    ['not_found', 'no such visit in your jurisdiction'],
    ['invalid_state', 'the visit is not `approved`'],
    stale('visit'),
  ],

  createPhoto: [
    ['not_found', 'no such visit of yours'],
    ['conflict', 'the photo ID is already used with other metadata'],
    ['invalid_state', 'the visit is neither `draft` nor `returned`'],
    ['unknown_reference', '`itemCode` names no item of the visit’s template'],
    ['validation_failed', 'more than 60 photos on the visit'],
  ],
  getPhoto: [['not_found', 'no such visit in your scope, or no such photo on it']],
  deletePhoto: [
    ['not_found', 'no such visit of yours, or no such photo on it'],
    ['invalid_state', 'the visit is neither `draft` nor `returned`'],
  ],

  listFindings: [['not_found', '`unitId` (or your own unit) names no unit in your jurisdiction']],
  getFinding: [['not_found', 'no such finding in your scope']],
  patchFinding: [
    ['not_found', 'no such finding in your jurisdiction'],
    ['invalid_state', 'the finding lifecycle does not allow this move or change'],
    stale('finding'),
    ['precondition_required', 'no `If-Match` header'],
    ['validation_failed', '`resolved` without `note`, `dismissed` without `reason`, or an empty patch'],
  ],

  createExport: [
    ['forbidden', 'your account names no unit'],
    ['conflict', 'the `Idempotency-Key` was used with another body'],
    [
      'unknown_reference',
      '`filters.unitId` or `filters.parentId` names no unit in scope, or `filters.templateId` no template',
    ],
  ],
  getExport: [['not_found', 'no such export that you started']],
  createRecord: [
    ['not_found', 'no such visit in your jurisdiction'],
    [
      'invalid_state',
      'the visit is not approved (a draft, submitted, returned or revoked visit has no record)',
    ],
  ],
  getRecord: [['not_found', 'no such record of a visit in your jurisdiction']],
  createRecordScan: [
    ['not_found', 'no such record of a visit in your jurisdiction'],
    ['invalid_state', 'the record is not built yet (or failed), or it has 30 scan files already'],
    ['conflict', '`fileId` is already used with another type, size or SHA-256'],
  ],

  getScores: [['not_found', '`parentId` names no unit in your jurisdiction, or the template does not exist']],
  getUnitScores: [['not_found', 'no such unit in your jurisdiction, or the template does not exist']],

  createPublication: [
    ['not_found', '`parentId` names no unit in your jurisdiction, or the template does not exist'],
    ['conflict', 'the `Idempotency-Key` was used with another body'],
  ],
  listPublications: [],
  getPublication: [['not_found', 'no such publication in your scope']],

  createPlan: [
    ['conflict', 'the `Idempotency-Key` was used with another body, or its twin is still running'],
    [
      'unknown_reference',
      'the scope, the template or an assignment’s unit does not exist in your jurisdiction or the scope, or a lead or member is no staff member',
    ],
    [
      'validation_failed',
      'a window outside the period or ending first, a complaint without its reference, someone listed twice, an assignment ID; a lead or member who is not an enabled inspector whose jurisdiction holds the unit',
    ],
  ],
  putPlan: [
    ['not_found', 'no such plan in your jurisdiction'],
    [
      'invalid_state',
      'the change drops or moves an assignment, or changes the template, that visits already name',
    ],
    stale('plan'),
    ['precondition_required', 'replacing a plan without `If-Match`'],
    [
      'unknown_reference',
      'an `assignmentId` the plan does not have, or a unit or template that does not exist',
    ],
    ['validation_failed', 'as for `createPlan`'],
  ],
  listPlans: [['not_found', '`unitId` names no unit in your jurisdiction']],
  getPlan: [['not_found', 'no such plan in your jurisdiction']],
  listAssignments: [],

  listStaff: [['not_found', '`unitId` names no unit in your jurisdiction']],
  createStaff: [
    ['not_found', '`unitId` names no unit in your jurisdiction'],
    [
      'conflict',
      'the e-mail address is another staff member’s account (or a directory account with other details), or the `Idempotency-Key` was used with another body',
    ],
  ],
  getStaff: [['not_found', 'no such staff member in your jurisdiction']],
  patchStaff: [
    ['not_found', 'no such staff member, or `unitId` names no unit, in your jurisdiction'],
    ['invalid_state', 'changing your own role or unit'],
    stale('staff member'),
    ['precondition_required', 'a change without `If-Match`'],
  ],
  disableStaff: [
    ['not_found', 'no such staff member in your jurisdiction'],
    ['invalid_state', 'disabling your own account'],
    stale('staff member'),
  ],
  enableStaff: [['not_found', 'no such staff member in your jurisdiction'], stale('staff member')],
  resetStaffTotp: [['not_found', 'no such staff member in your jurisdiction']],
};
