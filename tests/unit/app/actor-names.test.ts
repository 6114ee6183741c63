import { describe, expect, it } from 'vitest';
import type { Deps } from '#app/deps.ts';
import { findingView } from '#app/findings.ts';
import { publicationSummaryView, publicationView } from '#app/publications.ts';
import { reviewVisit } from '#app/review.ts';
import { audit, type Caller } from '#app/support.ts';
import { publishTemplate, templateView } from '#app/templates.ts';
import { historyView, visitView } from '#app/visits.ts';
import type {
  AuditEntry,
  FindingRecord,
  PublicationRecord,
  TemplateRecord,
  VisitRecord,
} from '#ports/records.ts';
import { smallTemplate } from '../domain/fixtures.ts';

// The actor's display name is taken from the principal (the token's `name` claim) when the
// server writes, beside the sub; null when the token has none. Items stored before names were
// kept have no field at all, and every view answers null for them.

const manager = (name: string | null): Caller => ({
  sub: 'c0ffee00-1a2b-4c3d-8e9f-000000000002',
  name,
  roles: ['manager'],
  unitId: 'tinh',
});

const submittedVisit: VisitRecord = {
  visitId: '5b1c2d3e-4f50-4a6b-8c7d-8e9fa0b1c2d3',
  unitId: 'xa-1',
  unitPath: ['tinh', 'huyen-1', 'xa-1'],
  templateId: 'cchc',
  templateVersion: 1,
  startedAt: '2026-05-12T03:00:00.000Z',
  answers: [],
  inspectorId: 'c0ffee00-1a2b-4c3d-8e9f-000000000001',
  inspectorName: 'Nguyễn Văn Kiểm',
  status: 'submitted',
  score: 80,
  base: 100,
  sections: [],
  submittedAt: '2026-05-12T04:00:00.000Z',
  review: null,
  pendingApproval: null,
  revocation: null,
  createdAt: '2026-05-12T03:05:00.000Z',
  updatedAt: '2026-05-12T04:00:00.000Z',
  etag: 'e1',
};

function visitsHolding(visit: VisitRecord) {
  const saved: { visit: VisitRecord; audit: AuditEntry[] }[] = [];
  const visits = {
    async getVisit() {
      return visit;
    },
    async saveVisit(next: VisitRecord, _etag: string | null, entries: AuditEntry[]) {
      saved.push({ visit: next, audit: entries });
    },
  } as unknown as Deps['visits'];
  return { visits, saved };
}

const clock = { now: () => new Date('2026-05-13T01:00:00.000Z') } as Deps['clock'];

describe('actor names written beside the sub', () => {
  it('audit entries carry the caller’s name, or null when the token had none', () => {
    const subject = { type: 'visit', id: submittedVisit.visitId } as const;
    const named = audit(subject, 'return', manager('Trần Thị Quản'), '2026-05-13T01:00:00.000Z');
    expect(named).toMatchObject({ actor: manager(null).sub, actorName: 'Trần Thị Quản' });
    expect(historyView(named)).toMatchObject({ by: manager(null).sub, byName: 'Trần Thị Quản' });
    const anonymous = audit(subject, 'return', manager(null), '2026-05-13T01:00:00.000Z');
    expect(anonymous.actorName).toBeNull();
    expect(historyView(anonymous).byName).toBeNull();
  });

  it('a return stores the reviewer’s name in the review and its audit entry', async () => {
    for (const name of ['Trần Thị Quản', null]) {
      const { visits, saved } = visitsHolding(submittedVisit);
      const deps = { visits, clock } as unknown as Parameters<typeof reviewVisit>[0];
      const returned = await reviewVisit(
        deps,
        manager(name),
        submittedVisit.visitId,
        { decision: 'return', comment: 'Thiếu ảnh.' },
        null,
      );
      expect(returned.review).toMatchObject({ decision: 'return', by: manager(null).sub, byName: name });
      expect(saved).toHaveLength(1);
      expect(saved[0]?.visit.review?.byName).toBe(name);
      expect(saved[0]?.audit.map((entry) => [entry.action, entry.actor, entry.actorName])).toEqual([
        ['return', manager(null).sub, name],
      ]);
      expect(visitView(returned).review?.byName).toBe(name);
    }
  });

  it('a published template version records its publisher’s name', async () => {
    for (const name of ['Lê Văn Quản Trị', null]) {
      const published: TemplateRecord[] = [];
      const deps = {
        clock,
        idempotency: {} as Deps['idempotency'],
        templates: {
          async getLatestTemplate() {
            return null;
          },
          async publishTemplate(template: TemplateRecord, entry: AuditEntry) {
            published.push(template);
            expect(entry.actorName).toBe(name);
          },
        },
      } as unknown as Parameters<typeof publishTemplate>[0];
      const admin = { ...manager(name), roles: ['admin'] } as Caller;
      const outcome = await publishTemplate(deps, admin, 'cchc', smallTemplate, null);
      expect(outcome.body).toMatchObject({ publishedBy: admin.sub, publishedByName: name });
      expect(published.map((t) => t.publishedByName)).toEqual([name]);
    }
  });
});

describe('items stored before names were kept', () => {
  it('answer null names, not absent ones', () => {
    const oldReview = {
      decision: 'approve' as const,
      comment: null,
      by: 'sub-m',
      at: '2026-05-13T01:00:00.000Z',
    };
    const view = visitView({
      ...submittedVisit,
      status: 'submitted',
      pendingApproval: oldReview,
      revocation: { reason: 'Sai số liệu.', by: 'sub-a', at: '2026-05-14T01:00:00.000Z' },
      review: oldReview,
    });
    expect(view.review).toEqual({ ...oldReview, byName: null });
    expect(view.revocation).toEqual({
      reason: 'Sai số liệu.',
      by: 'sub-a',
      byName: null,
      at: '2026-05-14T01:00:00.000Z',
    });
    expect(view.pendingApproval).toEqual({ since: oldReview.at, by: 'sub-m', byName: null });

    const entry: AuditEntry = {
      entryId: 'x',
      subject: { type: 'finding', id: 'f' },
      action: 'status',
      actor: 'sub-m',
      at: oldReview.at,
      from: 'open',
      to: 'resolved',
      reason: null,
    };
    expect(historyView(entry)).toEqual({
      action: 'status',
      by: 'sub-m',
      byName: null,
      at: oldReview.at,
      from: 'open',
      to: 'resolved',
      reason: null,
    });

    const template = {
      ...smallTemplate,
      templateId: 'cchc',
      version: 1,
      publishedAt: oldReview.at,
      publishedBy: 'sub-a',
    };
    expect(templateView(template).publishedByName).toBeNull();

    const publication = {
      publicationId: 'p',
      createdBy: 'sub-a',
      parentPath: ['tinh'],
      eventPublished: true,
      rows: [],
    } as unknown as PublicationRecord;
    expect(publicationView(publication).createdByName).toBeNull();
    expect(publicationSummaryView(publication).createdByName).toBeNull();

    const finding = {
      findingId: 'f',
      inspectorId: 'sub-i',
      dueDate: null,
      status: 'open',
    } as unknown as FindingRecord;
    expect(findingView(finding, new Date()).inspectorName).toBeNull();
    expect(findingView({ ...finding, inspectorName: 'Nguyễn Văn Kiểm' }, new Date()).inspectorName).toBe(
      'Nguyễn Văn Kiểm',
    );
  });
});
