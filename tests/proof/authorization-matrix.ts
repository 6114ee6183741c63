/**
 * The authorization matrix's entries, one per route of the route table (a route without one
 * fails tests/proof/authorization.test.ts). Which roles may call a route comes from the table
 * itself; an entry says, for each allowed role, what a request on an object in scope answers and
 * which out-of-scope objects must answer exactly like a missing one. Refused roles, the ranking
 * client and anonymous callers are derived from the table and need nothing here.
 */
import { randomUUID } from 'node:crypto';
import type { Role, RouteName } from '#routes/table.ts';
import type { Probe } from './support/gateway.ts';
import { matrixTemplate, matrixTemplateId, period, planBody, type World } from './support/world.ts';

export interface RoleCases {
  /** The request on objects in the caller's scope and its status. Sent last: it may change things. */
  inScope: { probe: Probe; status: number };
  /** The request naming objects that do not exist: the answer every foreign probe must give. */
  missing?: Probe;
  /**
   * Requests naming objects outside the caller's scope, each answering exactly as `missing`, or
   * as its own missing twin where the foreign part is another level of the path (a foreign visit
   * must answer as a missing visit, not as a missing photo of a visit in scope).
   */
  foreign?: Record<string, Probe | { probe: Probe; missing: Probe }>;
  /**
   * Requests on out-of-scope objects whose answer the contract fixes otherwise (a client ID
   * reused for another inspector's visit is 409 `conflict`): status and code, object not shown.
   */
  refused?: Record<string, { probe: Probe; status: number; code: string }>;
}

export interface MatrixEntry {
  /**
   * The request that refused roles and bad tokens send: on an object in scope, so a 403 or 401
   * cannot come from a failed lookup.
   */
  probe: Probe;
  /** Cases of each role the route table allows (every one of them must be here). */
  roles: Partial<Record<Role, RoleCases>>;
}

const missingUuid = '00000000-0000-4000-8000-00000000dead';
const missingUnit = 'ZZ9';

function visitBody(unitId: string) {
  return {
    unitId,
    templateId: matrixTemplateId,
    templateVersion: 1,
    startedAt: '2026-06-01T08:00:00+07:00',
    answers: [{ itemCode: 'A1', value: true }],
  };
}

const photoBody = () => ({
  photoId: randomUUID(),
  itemCode: 'A1',
  contentType: 'image/jpeg',
  sizeBytes: 1000,
  sha256: 'a'.repeat(64),
});

const staffBody = (unitId: string) => ({
  email: `${randomUUID()}@snv.nghean.gov.vn`,
  name: 'Cán bộ mới',
  role: 'inspector',
  unitId,
});

/** A route on one staff member (admins only): one of D1's, a missing one, one of D2's. */
function staffMember(
  name: RouteName,
  w: World,
  rest: Omit<Probe, 'params'>,
  status: number,
): Partial<Record<RouteName, MatrixEntry>> {
  const on = (userId: string): Probe => ({ ...rest, params: { userId } });
  return {
    [name]: {
      probe: on(w.staff.inScope),
      roles: {
        admin: {
          inScope: { probe: on(w.staff.inScope), status },
          missing: on(missingUuid),
          foreign: { "another subtree's staff member": on(w.staff.foreign) },
        },
      },
    },
  };
}

const scanBody = () => ({
  fileId: randomUUID(),
  contentType: 'application/pdf',
  sizeBytes: 1000,
  sha256: 'b'.repeat(64),
});

/** The same cases for several roles. */
function each(roles: readonly Role[], cases: (role: Role) => RoleCases): Partial<Record<Role, RoleCases>> {
  return Object.fromEntries(roles.map((role) => [role, cases(role)]));
}

const staff = ['admin', 'manager', 'inspector'] as const;
const reviewers = ['admin', 'manager'] as const;

/** Each route's entry, built from the world (its IDs). */
export function matrix(w: World): Partial<Record<RouteName, MatrixEntry>> {
  const publicRoute: MatrixEntry = { probe: {}, roles: {} };
  const ranking = {
    query: { templateId: matrixTemplateId, period, parentId: w.units.district, kind: 'commune' },
  };
  const foreignRanking = { query: { ...ranking.query, parentId: w.units.foreignDistrict } };
  const missingRanking = { query: { ...ranking.query, parentId: missingUnit } };
  const ancestorRanking = { query: { ...ranking.query, parentId: w.units.ancestor, kind: 'district' } };

  return {
    getHealth: publicRoute,
    getOpenApi: publicRoute,

    listUnits: {
      probe: { query: { parentId: w.units.district } },
      roles: each(staff, () => ({
        inScope: { probe: { query: { parentId: w.units.district } }, status: 200 },
        missing: { query: { parentId: missingUnit } },
        foreign: {
          'another subtree': { query: { parentId: w.units.foreignDistrict } },
          'an ancestor': { query: { parentId: w.units.ancestor } },
        },
      })),
    },
    getUnit: {
      probe: { params: { unitId: w.units.inScope } },
      roles: each(staff, () => ({
        inScope: { probe: { params: { unitId: w.units.inScope } }, status: 200 },
        missing: { params: { unitId: missingUnit } },
        foreign: {
          'another subtree': { params: { unitId: w.units.foreign } },
          'an ancestor': { params: { unitId: w.units.ancestor } },
        },
      })),
    },
    putUnit: {
      probe: {
        params: { unitId: 'C9' },
        body: { name: 'Xã Mới', kind: 'commune', parentId: w.units.district },
      },
      roles: {
        admin: {
          inScope: {
            probe: {
              params: { unitId: 'C9' },
              body: { name: 'Xã Mới', kind: 'commune', parentId: w.units.district },
            },
            status: 201,
          },
          missing: {
            params: { unitId: 'C8' },
            body: { name: 'Xã Khác', kind: 'commune', parentId: missingUnit },
          },
          foreign: {
            'a new unit under another subtree': {
              params: { unitId: 'C8' },
              body: { name: 'Xã Khác', kind: 'commune', parentId: w.units.foreignDistrict },
            },
          },
          refused: {
            'replacing a unit of another subtree': {
              probe: {
                params: { unitId: w.units.foreign },
                body: { name: 'Xã Quỳnh Lâm', kind: 'commune', parentId: w.units.district },
                headers: { 'if-match': '*' },
              },
              status: 404,
              code: 'not_found',
            },
          },
        },
      },
    },

    listTemplates: {
      probe: {},
      roles: each(staff, () => ({ inScope: { probe: {}, status: 200 } })),
    },
    getTemplateVersion: {
      probe: { params: { templateId: matrixTemplateId, version: 'latest' } },
      roles: each(staff, () => ({
        inScope: { probe: { params: { templateId: matrixTemplateId, version: '1' } }, status: 200 },
      })),
    },
    publishTemplateVersion: {
      probe: { params: { templateId: 'matrix-new' }, body: {} },
      roles: {
        admin: {
          inScope: {
            probe: {
              params: { templateId: matrixTemplateId },
              // The same document again: 200 with the latest version, nothing new.
              body: matrixTemplate,
            },
            status: 200,
          },
        },
      },
    },

    putVisit: {
      probe: { params: { visitId: randomUUID() }, body: visitBody(w.units.inScope) },
      roles: {
        inspector: {
          inScope: {
            probe: { params: { visitId: randomUUID() }, body: visitBody(w.units.inScope) },
            status: 201,
          },
          missing: { params: { visitId: randomUUID() }, body: visitBody(missingUnit) },
          foreign: {
            'a unit of another subtree': {
              params: { visitId: randomUUID() },
              body: visitBody(w.units.foreign),
            },
            'an ancestor unit': { params: { visitId: randomUUID() }, body: visitBody(w.units.ancestor) },
          },
          refused: {
            "another inspector's visit ID": {
              probe: { params: { visitId: w.visits.colleaguesDraft }, body: visitBody(w.units.inScope) },
              status: 409,
              code: 'conflict',
            },
            "another subtree's visit ID": {
              probe: { params: { visitId: w.visits.foreign }, body: visitBody(w.units.inScope) },
              status: 409,
              code: 'conflict',
            },
          },
        },
      },
    },
    deleteVisit: {
      probe: { params: { visitId: w.visits.toDelete } },
      roles: {
        inspector: {
          inScope: { probe: { params: { visitId: w.visits.toDelete } }, status: 204 },
          missing: { params: { visitId: missingUuid } },
          foreign: {
            "another inspector's draft": { params: { visitId: w.visits.colleaguesDraft } },
            "another subtree's visit": { params: { visitId: w.visits.foreign } },
          },
        },
      },
    },
    getVisit: {
      probe: { params: { visitId: w.visits.own } },
      roles: {
        ...each(reviewers, () => ({
          inScope: { probe: { params: { visitId: w.visits.colleagues } }, status: 200 },
          missing: { params: { visitId: missingUuid } },
          foreign: { "another subtree's visit": { params: { visitId: w.visits.foreign } } },
        })),
        inspector: {
          inScope: { probe: { params: { visitId: w.visits.own } }, status: 200 },
          missing: { params: { visitId: missingUuid } },
          foreign: {
            "another inspector's visit": { params: { visitId: w.visits.colleagues } },
            "another subtree's visit": { params: { visitId: w.visits.foreign } },
          },
        },
      },
    },
    listVisits: {
      probe: { query: { unitId: w.units.district } },
      roles: each(staff, () => ({
        inScope: { probe: { query: { unitId: w.units.district } }, status: 200 },
        missing: { query: { unitId: missingUnit } },
        foreign: {
          'another subtree': { query: { unitId: w.units.foreignDistrict } },
          "another subtree's unit": { query: { unitId: w.units.foreign } },
          'an ancestor': { query: { unitId: w.units.ancestor } },
        },
      })),
    },
    submitVisit: {
      probe: { params: { visitId: w.visits.toSubmit } },
      roles: {
        inspector: {
          inScope: { probe: { params: { visitId: w.visits.toSubmit } }, status: 200 },
          missing: { params: { visitId: missingUuid } },
          foreign: {
            "another inspector's draft": { params: { visitId: w.visits.colleaguesDraft } },
            "another subtree's visit": { params: { visitId: w.visits.foreignSubmitted } },
          },
        },
      },
    },
    reviewVisit: {
      probe: { params: { visitId: w.visits.forReview.manager }, body: { decision: 'approve' } },
      roles: each(reviewers, (role) => ({
        inScope: {
          probe: {
            params: { visitId: role === 'admin' ? w.visits.forReview.admin : w.visits.forReview.manager },
            body: { decision: 'approve' },
          },
          status: 200,
        },
        missing: { params: { visitId: missingUuid }, body: { decision: 'approve' } },
        foreign: {
          "another subtree's submitted visit": {
            params: { visitId: w.visits.foreignSubmitted },
            body: { decision: 'approve' },
          },
        },
      })),
    },
    revokeVisit: {
      probe: { params: { visitId: w.visits.forRevoke }, body: { reason: 'Sai quy trình' } },
      roles: {
        admin: {
          inScope: {
            probe: { params: { visitId: w.visits.forRevoke }, body: { reason: 'Sai quy trình' } },
            status: 200,
          },
          missing: { params: { visitId: missingUuid }, body: { reason: 'Sai quy trình' } },
          foreign: {
            "another subtree's approved visit": {
              params: { visitId: w.visits.foreign },
              body: { reason: 'Sai quy trình' },
            },
          },
        },
      },
    },

    createPhoto: {
      probe: { params: { visitId: w.visits.withPhoto }, body: photoBody() },
      roles: {
        inspector: {
          inScope: { probe: { params: { visitId: w.visits.withPhoto }, body: photoBody() }, status: 201 },
          missing: { params: { visitId: missingUuid }, body: photoBody() },
          foreign: {
            "another inspector's draft": { params: { visitId: w.visits.colleaguesDraft }, body: photoBody() },
            "another subtree's visit": { params: { visitId: w.visits.foreignSubmitted }, body: photoBody() },
          },
        },
      },
    },
    getPhoto: {
      probe: { params: { visitId: w.visits.own, photoId: w.photos.own } },
      roles: {
        ...each(reviewers, () => ({
          inScope: {
            probe: { params: { visitId: w.visits.colleagues, photoId: w.photos.colleagues } },
            status: 200,
          },
          missing: { params: { visitId: w.visits.colleagues, photoId: missingUuid } },
          foreign: {
            "another subtree's photo": {
              probe: { params: { visitId: w.visits.foreign, photoId: w.photos.foreign } },
              missing: { params: { visitId: missingUuid, photoId: missingUuid } },
            },
            "another subtree's photo under a visit in scope": {
              params: { visitId: w.visits.colleagues, photoId: w.photos.foreign },
            },
          },
        })),
        inspector: {
          inScope: { probe: { params: { visitId: w.visits.own, photoId: w.photos.own } }, status: 200 },
          missing: { params: { visitId: w.visits.own, photoId: missingUuid } },
          foreign: {
            "another inspector's photo": {
              probe: { params: { visitId: w.visits.colleagues, photoId: w.photos.colleagues } },
              missing: { params: { visitId: missingUuid, photoId: missingUuid } },
            },
            "another inspector's photo under one's own visit": {
              params: { visitId: w.visits.own, photoId: w.photos.colleagues },
            },
            "another subtree's photo": {
              probe: { params: { visitId: w.visits.foreign, photoId: w.photos.foreign } },
              missing: { params: { visitId: missingUuid, photoId: missingUuid } },
            },
          },
        },
      },
    },
    deletePhoto: {
      probe: { params: { visitId: w.visits.withPhoto, photoId: w.photos.onDraft } },
      roles: {
        inspector: {
          inScope: {
            probe: { params: { visitId: w.visits.withPhoto, photoId: w.photos.onDraft } },
            status: 204,
          },
          missing: { params: { visitId: w.visits.withPhoto, photoId: missingUuid } },
          foreign: {
            "another inspector's draft's photo": {
              probe: { params: { visitId: w.visits.colleaguesDraft, photoId: w.photos.onColleaguesDraft } },
              missing: { params: { visitId: missingUuid, photoId: missingUuid } },
            },
            "another inspector's photo under one's own draft": {
              params: { visitId: w.visits.withPhoto, photoId: w.photos.onColleaguesDraft },
            },
            "another subtree's photo": {
              probe: { params: { visitId: w.visits.foreign, photoId: w.photos.foreign } },
              missing: { params: { visitId: missingUuid, photoId: missingUuid } },
            },
          },
        },
      },
    },

    listFindings: {
      probe: { query: { unitId: w.units.district } },
      roles: each(staff, () => ({
        inScope: { probe: { query: { unitId: w.units.district } }, status: 200 },
        missing: { query: { unitId: missingUnit } },
        foreign: {
          'another subtree': { query: { unitId: w.units.foreignDistrict } },
          'an ancestor': { query: { unitId: w.units.ancestor } },
        },
      })),
    },
    getFinding: {
      probe: { params: { findingId: w.findings.own.findingId } },
      roles: {
        ...each(reviewers, () => ({
          inScope: { probe: { params: { findingId: w.findings.colleagues.findingId } }, status: 200 },
          missing: { params: { findingId: `${missingUuid}.A3` } },
          foreign: { "another subtree's finding": { params: { findingId: w.findings.foreign.findingId } } },
        })),
        inspector: {
          inScope: { probe: { params: { findingId: w.findings.own.findingId } }, status: 200 },
          missing: { params: { findingId: `${missingUuid}.A3` } },
          foreign: {
            "another inspector's finding": { params: { findingId: w.findings.colleagues.findingId } },
            "another subtree's finding": { params: { findingId: w.findings.foreign.findingId } },
          },
        },
      },
    },
    patchFinding: {
      probe: {
        params: { findingId: w.findings.own.findingId },
        body: { status: 'in_progress' },
        headers: { 'if-match': `"${w.findings.own.etag}"` },
      },
      roles: each(reviewers, (role) => {
        const finding = role === 'admin' ? w.findings.own : w.findings.colleagues;
        return {
          inScope: {
            probe: {
              params: { findingId: finding.findingId },
              body: { status: 'in_progress' },
              headers: { 'if-match': `"${finding.etag}"` },
            },
            status: 200,
          },
          missing: {
            params: { findingId: `${missingUuid}.A3` },
            body: { status: 'in_progress' },
            headers: { 'if-match': `"${w.findings.foreign.etag}"` },
          },
          foreign: {
            "another subtree's finding": {
              params: { findingId: w.findings.foreign.findingId },
              body: { status: 'in_progress' },
              headers: { 'if-match': `"${w.findings.foreign.etag}"` },
            },
          },
        };
      }),
    },

    createExport: {
      probe: { body: { kind: 'findings', filters: { unitId: w.units.district } } },
      roles: each(reviewers, () => ({
        inScope: {
          probe: { body: { kind: 'findings', filters: { unitId: w.units.district } } },
          status: 202,
        },
        missing: { body: { kind: 'findings', filters: { unitId: missingUnit } } },
        foreign: {
          'another subtree': { body: { kind: 'findings', filters: { unitId: w.units.foreignDistrict } } },
          'an ancestor': { body: { kind: 'findings', filters: { unitId: w.units.ancestor } } },
        },
      })),
    },
    getExport: {
      probe: { params: { exportId: w.exports.manager } },
      roles: each(reviewers, (role) => ({
        inScope: {
          probe: { params: { exportId: role === 'admin' ? w.exports.admin : w.exports.manager } },
          status: 200,
        },
        missing: { params: { exportId: missingUuid } },
        foreign: {
          "another reviewer's export": {
            params: { exportId: role === 'admin' ? w.exports.manager : w.exports.admin },
          },
          "another subtree's export": { params: { exportId: w.exports.foreign } },
        },
      })),
    },
    createRecord: {
      probe: { params: { visitId: w.visits.own } },
      roles: each(reviewers, () => ({
        inScope: { probe: { params: { visitId: w.visits.own } }, status: 202 },
        missing: { params: { visitId: missingUuid } },
        foreign: { "another subtree's visit": { params: { visitId: w.visits.foreign } } },
      })),
    },
    getRecord: {
      probe: { params: { recordId: w.records.inScope } },
      roles: each(reviewers, () => ({
        inScope: { probe: { params: { recordId: w.records.inScope } }, status: 200 },
        missing: { params: { recordId: missingUuid } },
        foreign: { "another subtree's record": { params: { recordId: w.records.foreign } } },
      })),
    },
    createRecordScan: {
      probe: { params: { recordId: w.records.inScope }, body: scanBody() },
      roles: each(reviewers, () => ({
        inScope: { probe: { params: { recordId: w.records.inScope }, body: scanBody() }, status: 201 },
        missing: { params: { recordId: missingUuid }, body: scanBody() },
        foreign: {
          "another subtree's record": { params: { recordId: w.records.foreign }, body: scanBody() },
        },
      })),
    },

    getScores: {
      probe: ranking,
      roles: each(reviewers, () => ({
        inScope: { probe: ranking, status: 200 },
        missing: missingRanking,
        foreign: { 'another subtree': foreignRanking, 'an ancestor': ancestorRanking },
      })),
    },
    getUnitScores: {
      probe: { params: { unitId: w.units.inScope }, query: { templateId: matrixTemplateId, period } },
      roles: each(reviewers, () => ({
        inScope: {
          probe: { params: { unitId: w.units.inScope }, query: { templateId: matrixTemplateId, period } },
          status: 200,
        },
        missing: { params: { unitId: missingUnit }, query: { templateId: matrixTemplateId, period } },
        foreign: {
          "another subtree's unit": {
            params: { unitId: w.units.foreign },
            query: { templateId: matrixTemplateId, period },
          },
          'an ancestor': {
            params: { unitId: w.units.ancestor },
            query: { templateId: matrixTemplateId, period },
          },
        },
      })),
    },

    createPublication: {
      probe: { body: ranking.query },
      roles: {
        admin: {
          inScope: { probe: { body: ranking.query }, status: 201 },
          missing: { body: missingRanking.query },
          foreign: {
            'another subtree': { body: foreignRanking.query },
            'an ancestor': { body: ancestorRanking.query },
          },
        },
      },
    },
    listPublications: {
      probe: ranking,
      roles: {
        ...each(reviewers, () => ({
          inScope: { probe: ranking, status: 200 },
          missing: missingRanking,
          foreign: { 'another subtree': foreignRanking, 'an ancestor': ancestorRanking },
        })),
        // The ranking system reads every publication of the province.
        ranking: { inScope: { probe: foreignRanking, status: 200 } },
      },
    },
    getPublication: {
      probe: { params: { publicationId: w.publications.inScope } },
      roles: {
        ...each(reviewers, () => ({
          inScope: { probe: { params: { publicationId: w.publications.inScope } }, status: 200 },
          missing: { params: { publicationId: missingUuid } },
          foreign: { "another subtree's publication": { params: { publicationId: w.publications.foreign } } },
        })),
        ranking: { inScope: { probe: { params: { publicationId: w.publications.foreign } }, status: 200 } },
      },
    },

    createPlan: {
      probe: { body: planBody(w.units.district) },
      roles: each(reviewers, () => ({
        inScope: { probe: { body: planBody(w.units.district) }, status: 201 },
        missing: { body: planBody(missingUnit) },
        foreign: {
          'another subtree': { body: planBody(w.units.foreignDistrict) },
          'an ancestor': { body: planBody(w.units.ancestor) },
        },
      })),
    },
    putPlan: {
      probe: {
        params: { planId: w.plans.inScope },
        body: planBody(w.units.district, 'Kế hoạch mới'),
        headers: { 'if-match': '*' },
      },
      roles: each(reviewers, (role) => ({
        inScope: {
          probe: {
            params: { planId: w.plans.inScope },
            body: planBody(w.units.district, `Kế hoạch sửa bởi ${role}`),
            headers: { 'if-match': '*' },
          },
          status: 200,
        },
        missing: {
          params: { planId: missingUuid },
          body: planBody(w.units.district),
          headers: { 'if-match': '*' },
        },
        foreign: {
          "another subtree's plan": {
            params: { planId: w.plans.foreign },
            body: planBody(w.units.district),
            headers: { 'if-match': '*' },
          },
        },
      })),
    },
    listPlans: {
      probe: { query: { unitId: w.units.district } },
      roles: each(reviewers, () => ({
        inScope: { probe: { query: { unitId: w.units.district } }, status: 200 },
        missing: { query: { unitId: missingUnit } },
        foreign: {
          'another subtree': { query: { unitId: w.units.foreignDistrict } },
          'an ancestor': { query: { unitId: w.units.ancestor } },
        },
      })),
    },
    getPlan: {
      probe: { params: { planId: w.plans.inScope } },
      roles: each(reviewers, () => ({
        inScope: { probe: { params: { planId: w.plans.inScope } }, status: 200 },
        missing: { params: { planId: missingUuid } },
        foreign: { "another subtree's plan": { params: { planId: w.plans.foreign } } },
      })),
    },
    listAssignments: {
      probe: { query: { mine: 'true' } },
      // One's own assignments only: nothing of anyone else's to reach for.
      roles: each(staff, () => ({ inScope: { probe: { query: { mine: 'true' } }, status: 200 } })),
    },

    listStaff: {
      probe: { query: { unitId: w.units.district } },
      roles: {
        admin: {
          inScope: { probe: { query: { unitId: w.units.district, role: 'inspector' } }, status: 200 },
          missing: { query: { unitId: missingUnit } },
          foreign: {
            'another subtree': { query: { unitId: w.units.foreignDistrict } },
            'an ancestor': { query: { unitId: w.units.ancestor } },
          },
        },
      },
    },
    createStaff: {
      probe: { body: staffBody(w.units.inScope) },
      roles: {
        admin: {
          inScope: { probe: { body: staffBody(w.units.inScope) }, status: 201 },
          missing: { body: staffBody(missingUnit) },
          foreign: {
            'a unit of another subtree': { body: staffBody(w.units.foreign) },
            'an ancestor unit': { body: staffBody(w.units.ancestor) },
          },
        },
      },
    },
    ...staffMember('getStaff', w, {}, 200),
    ...staffMember('patchStaff', w, { body: { name: 'Cán bộ đổi tên' }, headers: { 'if-match': '*' } }, 200),
    ...staffMember('disableStaff', w, {}, 200),
    ...staffMember('enableStaff', w, {}, 200),
    ...staffMember('resetStaffTotp', w, {}, 200),
  };
}
