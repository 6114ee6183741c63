import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { allDeps } from '#adapters/all-parts.ts';
import { createDocumentClient } from '#adapters/clients.ts';
import { Documents } from '#adapters/dynamodb/documents.ts';
import { DynamoVisitStore } from '#adapters/dynamodb/visits.ts';
import { configureDeps, resetDeps } from '#adapters/wiring.ts';
import { verifyPhotoObject } from '#app/photos.ts';
import { freePort } from '#local/emulators.ts';
import {
  addPhoto,
  jpegBytes,
  people,
  referenceAnswers,
  seedProvince,
  sha256,
  startApi,
  submittedVisit,
  uploadWithForm,
  visitBody,
  waitForPhoto,
} from '#tests/support/api.ts';
import { invoke } from '#tests/support/invoke.ts';

let api: Awaited<ReturnType<typeof startApi>>;

beforeAll(async () => {
  api = await startApi('errors');
  await seedProvince();
});
afterAll(async () => {
  await api.close();
});

async function draft(body = visitBody()) {
  const visitId = randomUUID();
  const response = await invoke('putVisit', { params: { visitId }, body, as: people.inspector });
  expect(response.status).toBe(201);
  return { visitId, etag: response.etag ?? '' };
}

function problemCode(response: { body: unknown }) {
  return (response.body as { code: string }).code;
}

describe('error codes of the visit routes', () => {
  it('401 unauthenticated without a token or without custom:unitId', async () => {
    const none = await invoke('getUnit', { params: { unitId: 'NA' } });
    expect(none.status).toBe(401);
    expect(none.headers['content-type']).toBe('application/problem+json');
    const noUnit = await invoke('getUnit', {
      params: { unitId: 'NA' },
      claims: { sub: 'x', token_use: 'access', 'cognito:groups': ['manager'] },
    });
    expect([noUnit.status, problemCode(noUnit)]).toEqual([401, 'unauthenticated']);
  });

  it('403 forbidden for a role the route never allows', async () => {
    const response = await invoke('putUnit', {
      params: { unitId: 'X1' },
      body: { name: 'X', kind: 'ward', parentId: 'NA' },
      as: people.inspector,
    });
    expect([response.status, problemCode(response)]).toEqual([403, 'forbidden']);
  });

  it('403 own_visit when a manager reviews a visit they inspected', async () => {
    const { visitId } = await submittedVisit({ as: people.inspectorManager });
    const response = await invoke('reviewVisit', {
      params: { visitId },
      body: { decision: 'approve' },
      as: people.inspectorManager,
    });
    expect([response.status, problemCode(response)]).toEqual([403, 'own_visit']);
  });

  it('404 not_found for a missing visit and for one outside the caller scope, alike', async () => {
    const { visitId } = await draft(visitBody({ unitId: 'W2' }));
    const missing = await invoke('getVisit', { params: { visitId: randomUUID() }, as: people.manager });
    const otherWard = await invoke('getVisit', { params: { visitId }, as: people.wardManager });
    const otherInspector = await invoke('getVisit', { params: { visitId }, as: people.inspector2 });
    for (const response of [missing, otherWard, otherInspector]) {
      expect([response.status, problemCode(response)]).toEqual([404, 'not_found']);
    }
    expect(otherWard.body).toEqual({
      ...(missing.body as object),
      instance: (otherWard.body as { instance?: string }).instance,
    });
  });

  it('409 conflict when a visit ID is reused for another unit or by another inspector', async () => {
    const { visitId } = await draft();
    const otherUnit = await invoke('putVisit', {
      params: { visitId },
      body: visitBody({ unitId: 'W2' }),
      as: people.inspector,
    });
    const otherInspector = await invoke('putVisit', {
      params: { visitId },
      body: visitBody(),
      as: people.inspector2,
    });
    expect([otherUnit.status, problemCode(otherUnit)]).toEqual([409, 'conflict']);
    expect([otherInspector.status, problemCode(otherInspector)]).toEqual([409, 'conflict']);
  });

  it('409 conflict when a photo ID is reused with other metadata', async () => {
    const { visitId } = await draft();
    const photoId = randomUUID();
    const bytes = jpegBytes();
    const metadata = {
      photoId,
      itemCode: 'B1',
      contentType: 'image/jpeg',
      sizeBytes: bytes.length,
      sha256: sha256(bytes),
    };
    expect(
      (await invoke('createPhoto', { params: { visitId }, body: metadata, as: people.inspector })).status,
    ).toBe(201);
    const again = await invoke('createPhoto', { params: { visitId }, body: metadata, as: people.inspector });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'pending', upload: { fields: expect.any(Object) } });
    const other = await invoke('createPhoto', {
      params: { visitId },
      body: { ...metadata, sizeBytes: 99 },
      as: people.inspector,
    });
    expect([other.status, problemCode(other)]).toEqual([409, 'conflict']);
  });

  it('409 invalid_state for deleting a submitted visit and re-parenting a unit with visits', async () => {
    const { visitId } = await submittedVisit({ unitId: 'W2' });
    const deleted = await invoke('deleteVisit', { params: { visitId }, as: people.inspector });
    expect([deleted.status, problemCode(deleted)]).toEqual([409, 'invalid_state']);
    const unit = await invoke('getUnit', { params: { unitId: 'W2' }, as: people.admin });
    const moved = await invoke('putUnit', {
      params: { unitId: 'W2' },
      body: { name: 'Phường Thành Vinh', kind: 'ward', parentId: 'C1', code: '16681' },
      headers: { 'if-match': `"${unit.etag}"` },
      as: people.admin,
    });
    expect([moved.status, problemCode(moved)]).toEqual([409, 'invalid_state']);
  });

  it('409 photo_pending with Retry-After when only verification is outstanding', async () => {
    const { visitId } = await draft();
    await addPhoto(visitId, 'D1', jpegBytes());
    const bytes = jpegBytes();
    // Registered, never uploaded: still pending.
    await invoke('createPhoto', {
      params: { visitId },
      body: {
        photoId: randomUUID(),
        itemCode: 'B1',
        contentType: 'image/jpeg',
        sizeBytes: bytes.length,
        sha256: sha256(bytes),
      },
      as: people.inspector,
    });
    const response = await invoke('submitVisit', { params: { visitId }, as: people.inspector });
    expect([response.status, problemCode(response)]).toEqual([409, 'photo_pending']);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('412 with the current visit for a stale If-Match, 428 without one; a replay needs neither', async () => {
    const { visitId, etag } = await draft();
    const changed = visitBody({ answers: referenceAnswers({ A1: false }) });
    const missing = await invoke('putVisit', { params: { visitId }, body: changed, as: people.inspector });
    expect([missing.status, problemCode(missing)]).toEqual([428, 'precondition_required']);
    const updated = await invoke('putVisit', {
      params: { visitId },
      body: changed,
      headers: { 'if-match': `"${etag}"` },
      as: people.inspector,
    });
    expect(updated.status).toBe(200);
    const stale = await invoke('putVisit', {
      params: { visitId },
      body: visitBody({ answers: referenceAnswers({ A1: true, A4: false }) }),
      headers: { 'if-match': `"${etag}"` },
      as: people.inspector,
    });
    expect([stale.status, problemCode(stale)]).toEqual([412, 'precondition_failed']);
    expect((stale.body as { current: { etag: string } }).current.etag).toBe(updated.etag);
    const replay = await invoke('putVisit', {
      params: { visitId },
      body: changed,
      headers: { 'if-match': '"stale"' },
      as: people.inspector,
    });
    expect([replay.status, replay.etag]).toEqual([200, updated.etag]);
  });

  it('413 payload_too_large over 256 KiB', async () => {
    const response = await invoke('putVisit', {
      params: { visitId: randomUUID() },
      rawBody: JSON.stringify({ ...visitBody(), padding: 'x'.repeat(270_000) }),
      headers: { 'content-type': 'application/json' },
      as: people.inspector,
    });
    expect([response.status, problemCode(response)]).toEqual([413, 'payload_too_large']);
  });

  it('422 validation_failed lists every problem, in Vietnamese or English; nothing is stored', async () => {
    const visitId = randomUUID();
    const body = {
      ...visitBody({
        answers: [
          { itemCode: 'A2', value: 9 },
          { itemCode: 'ZZ', value: true },
        ],
      }),
      status: 'approved',
    };
    const vi = await invoke('putVisit', { params: { visitId }, body, as: people.inspector });
    expect([vi.status, problemCode(vi)]).toEqual([422, 'validation_failed']);
    expect((vi.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toContain('status');
    const values = await invoke('putVisit', {
      params: { visitId },
      body: visitBody({
        answers: [
          { itemCode: 'A2', value: 9 },
          { itemCode: 'ZZ', value: true },
        ],
      }),
      as: people.inspector,
      headers: { 'accept-language': 'en' },
    });
    const errors = (values.body as { errors: Array<{ path: string; message: string }> }).errors;
    expect(errors.map((e) => e.path).sort()).toEqual(['answers.0.value', 'answers.1.itemCode']);
    // Each message names the item's code first: inspectors find items on the form by code.
    expect(errors.map((e) => e.message).sort()).toEqual([
      'A2: The value must be an integer from 1 to 5.',
      'ZZ: The template has no item with this code.',
    ]);
    expect(await allDeps().visits.getVisit(visitId, true)).toBeNull();
  });

  it('422, not 500, for numbers too large to store', async () => {
    const response = await invoke('putVisit', {
      params: { visitId: randomUUID() },
      body: visitBody({
        location: { lat: 18.67, lng: 105.69, accuracyM: 1e16 },
        answers: [{ itemCode: 'D5', value: 1e16 }],
      }),
      as: people.inspector,
    });
    expect([response.status, problemCode(response)]).toEqual([422, 'validation_failed']);
    const paths = (response.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['location.accuracyM', 'answers.0.value']));
  });

  it('409 invalid_state for changing the kind of a unit with visits', async () => {
    await submittedVisit({ unitId: 'W2' });
    const unit = await invoke('getUnit', { params: { unitId: 'W2' }, as: people.admin });
    const changed = await invoke('putUnit', {
      params: { unitId: 'W2' },
      body: { name: 'Phường Thành Vinh', kind: 'commune', parentId: 'NA', code: '16681' },
      headers: { 'if-match': `"${unit.etag}"` },
      as: people.admin,
    });
    expect([changed.status, problemCode(changed)]).toEqual([409, 'invalid_state']);
  });

  it('422 unknown_reference for a unit or template version that does not exist', async () => {
    const unit = await invoke('putVisit', {
      params: { visitId: randomUUID() },
      body: visitBody({ unitId: 'NOPE' }),
      as: people.inspector,
    });
    const template = await invoke('putVisit', {
      params: { visitId: randomUUID() },
      body: visitBody({ templateVersion: 9 }),
      as: people.inspector,
    });
    expect([unit.status, problemCode(unit)]).toEqual([422, 'unknown_reference']);
    expect([template.status, problemCode(template)]).toEqual([422, 'unknown_reference']);
  });

  it('422 cycle when a unit would sit under its own descendant', async () => {
    const root = await invoke('getUnit', { params: { unitId: 'NA' }, as: people.admin });
    const response = await invoke('putUnit', {
      params: { unitId: 'NA' },
      body: { name: 'Tỉnh Nghệ An', kind: 'province', parentId: 'W1', code: '40' },
      headers: { 'if-match': `"${root.etag}"` },
      as: people.admin,
    });
    expect([response.status, problemCode(response)]).toEqual([422, 'cycle']);
  });

  it('422 incomplete lists every unanswered item and missing photo at once', async () => {
    const { visitId } = await draft(visitBody({ answers: referenceAnswers().slice(0, 40) }));
    const response = await invoke('submitVisit', { params: { visitId }, as: people.inspector });
    expect([response.status, problemCode(response)]).toEqual([422, 'incomplete']);
    const paths = (response.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'items.G4.value',
        'items.G5.value',
        'items.G6.value',
        'items.B1.photos',
        'items.D1.photos',
      ]),
    );
  });

  it('503 unavailable with Retry-After when DynamoDB cannot be reached', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    configureDeps({
      visits: new DynamoVisitStore(new Documents(createDocumentClient({ endpoint: dead }), 'x')),
    });
    try {
      const response = await invoke('getVisit', { params: { visitId: randomUUID() }, as: people.manager });
      expect([response.status, problemCode(response)]).toEqual([503, 'unavailable']);
      expect(response.headers['retry-after']).toBeDefined();
      expect(JSON.stringify(response.body)).not.toMatch(/ECONNREFUSED|stack/);
    } finally {
      resetDeps();
    }
  });
});

describe('failures and retries', () => {
  afterEach(() => resetDeps());

  it('rejects and deletes a photo whose bytes are not the declared type', async () => {
    const { visitId } = await draft();
    const photo = await addPhoto(visitId, 'B1', jpegBytes(), { declaredType: 'image/png' });
    expect(photo).toMatchObject({ status: 'rejected', reason: 'type_mismatch' });
    const record = await allDeps().visits.getPhoto(visitId, photo.photoId, true);
    expect(record?.objectKey).toBeDefined();
    expect(await allDeps().files.inspect(record?.objectKey ?? '')).toBeNull();
    const read = await invoke('getPhoto', {
      params: { visitId, photoId: photo.photoId },
      as: people.inspector,
    });
    expect(read.body).not.toHaveProperty('downloadUrl');
  });

  it('hands out a download URL only for a verified photo', async () => {
    const { visitId } = await draft();
    const photo = await addPhoto(visitId, 'B1', jpegBytes());
    const read = await invoke('getPhoto', {
      params: { visitId, photoId: photo.photoId },
      as: people.manager,
    });
    const url = (read.body as { downloadUrl: string }).downloadUrl;
    expect(url).toContain('X-Amz-Expires=300');
    expect((await fetch(url)).status).toBe(200);
  });

  it('verifies idempotently, and an old form upload never replaces the current one', async () => {
    const { visitId } = await draft();
    const photoId = randomUUID();
    const bytes = jpegBytes();
    const metadata = {
      photoId,
      itemCode: 'D1',
      contentType: 'image/jpeg',
      sizeBytes: bytes.length,
      sha256: sha256(bytes),
    };
    const first = await invoke('createPhoto', { params: { visitId }, body: metadata, as: people.inspector });
    const second = await invoke('createPhoto', { params: { visitId }, body: metadata, as: people.inspector });
    type Form = { upload: { url: string; fields: Record<string, string> } };
    const oldForm = (first.body as Form).upload;
    const newForm = (second.body as Form).upload;
    expect(oldForm.fields.key).not.toBe(newForm.fields.key);

    await uploadWithForm(oldForm, bytes, 'image/jpeg');
    // The verifier deletes the orphaned object once its event arrives.
    const deadline = Date.now() + 10_000;
    while ((await allDeps().files.inspect(oldForm.fields.key ?? '')) !== null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await allDeps().files.inspect(oldForm.fields.key ?? '')).toBeNull();
    expect((await allDeps().visits.getPhoto(visitId, photoId, true))?.status).toBe('pending');

    await uploadWithForm(newForm, bytes, 'image/jpeg');
    expect((await waitForPhoto(visitId, photoId)).status).toBe('verified');
    // The same event again, late: nothing changes.
    expect(await verifyPhotoObject(allDeps(), { key: newForm.fields.key ?? '', versionId: null })).toBe(
      'ignored',
    );
    expect((await allDeps().visits.getPhoto(visitId, photoId, true))?.status).toBe('verified');
    const verifiedAgain = await invoke('createPhoto', {
      params: { visitId },
      body: metadata,
      as: people.inspector,
    });
    expect(verifiedAgain.body).toEqual({ photoId, status: 'verified' });
  });

  it('never lets the same upload form replace verified evidence', async () => {
    const { visitId } = await draft();
    const photoId = randomUUID();
    const bytes = jpegBytes();
    const created = await invoke('createPhoto', {
      params: { visitId },
      body: {
        photoId,
        itemCode: 'B1',
        contentType: 'image/jpeg',
        sizeBytes: bytes.length,
        sha256: sha256(bytes),
      },
      as: people.inspector,
    });
    const form = (created.body as { upload: { url: string; fields: Record<string, string> } }).upload;
    await uploadWithForm(form, bytes, 'image/jpeg');
    expect((await waitForPhoto(visitId, photoId)).status).toBe('verified');

    // The same form again, within its lifetime, with other bytes of the same size. s3rver keeps
    // no versions, so the bytes are replaced in place and the photo stops counting as evidence;
    // in AWS the new version is deleted and downloads keep naming the verified one.
    await uploadWithForm(form, jpegBytes(bytes.length), 'image/jpeg');
    const deadline = Date.now() + 10_000;
    let photo = await allDeps().visits.getPhoto(visitId, photoId, true);
    while (photo?.status === 'verified' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      photo = await allDeps().visits.getPhoto(visitId, photoId, true);
    }
    expect(photo).toMatchObject({ status: 'rejected', reason: 'replaced' });
    expect(await allDeps().files.inspect(form.fields.key ?? '')).toBeNull();
  });

  it('does not submit on a required photo deleted while the submit was checking', async () => {
    const { visitId } = await draft();
    await addPhoto(visitId, 'D1', jpegBytes());
    const b1 = await addPhoto(visitId, 'B1', jpegBytes());
    const real = allDeps().visits;
    let raced = false;
    // The photo disappears between the submit's checks and its commit.
    const racing = Object.create(real) as typeof real;
    racing.saveVisit = async (...args) => {
      if (!raced) {
        raced = true;
        const photo = await real.getPhoto(visitId, b1.photoId, true);
        if (photo)
          await real.removePhoto(photo, {
            deletionId: randomUUID(),
            visitId,
            objectKeys: [photo.objectKey],
            since: new Date().toISOString(),
          });
      }
      return real.saveVisit(...args);
    };
    configureDeps({ visits: racing });
    const response = await invoke('submitVisit', { params: { visitId }, as: people.inspector });
    expect(raced).toBe(true);
    expect([response.status, problemCode(response)]).toEqual([422, 'incomplete']);
    expect((response.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toEqual([
      'items.B1.photos',
    ]);
    expect((await real.getVisit(visitId, true))?.status).toBe('draft');
  });

  it('never lets a late write of an approval findings undo a change made after it committed', async () => {
    const { visitId } = await submittedVisit({ unitId: 'C1', startedAt: '2026-09-09T09:00:00+07:00' });
    await invoke('reviewVisit', { params: { visitId }, body: { decision: 'approve' }, as: people.manager });
    const [derived] = await allDeps().findings.listVisitFindings(visitId);
    if (!derived) throw new Error('the approval wrote findings');
    const patched = await invoke('patchFinding', {
      params: { findingId: derived.findingId },
      body: { status: 'in_progress', note: 'Đang sửa biển tên' },
      headers: { 'if-match': `"${derived.etag}"` },
      as: people.manager,
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    // A second approver's step 2 arriving late writes the derived finding again.
    await allDeps().approvals.putFindings([derived]);
    expect((await allDeps().findings.getFinding(derived.findingId, true))?.status).toBe('in_progress');
  });
});
