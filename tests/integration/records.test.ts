/**
 * Inspection records through their routes (issue 17): POST on an approved visit, the worker run
 * by the local bus in the background (as local mode runs it), GET polled until ready, both files
 * downloaded through their presigned links and read back (the PDF with poppler's pdftotext and
 * pdfimages, the DOCX with jszip).
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureDeps } from '#adapters/wiring.ts';
import { BackgroundTasks, localEventPublisher } from '#local/events.ts';
import { consoleLog } from '#local/log.ts';
import type { EventPublisher } from '#ports/events.ts';
import {
  addPhoto,
  jpegBytes,
  people,
  seedProvince,
  sha256,
  startApi,
  submittedVisit,
  uploadWithForm,
  visitBody,
  waitForPhoto,
} from '#tests/support/api.ts';
import { pictureJpeg } from '#tests/support/images.ts';
import { invoke } from '#tests/support/invoke.ts';
import { recordingPublisher } from '#tests/support/peer-group.ts';

let api: Awaited<ReturnType<typeof startApi>>;
const tasks = new BackgroundTasks(consoleLog({ quiet: true }));
const dir = mkdtempSync(join(tmpdir(), 'records-'));
let bus: EventPublisher;

beforeAll(async () => {
  api = await startApi('records');
  // The local bus: RecordRequested runs the record worker's handler in the background.
  bus = await localEventPublisher({ tasks, log: consoleLog({ quiet: true }), deliveries: null });
  configureDeps({ events: bus });
  await seedProvince();
  // W2's office, which the photos' distances and `far` flags are measured from.
  const unit = await invoke('getUnit', { params: { unitId: 'W2' }, as: people.admin });
  const put = await invoke('putUnit', {
    params: { unitId: 'W2' },
    body: { name: 'Phường Thành Vinh', kind: 'ward', parentId: 'NA', code: '16681', office },
    headers: { 'if-match': `"${unit.etag}"` },
    as: people.admin,
  });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
});
afterAll(async () => {
  await tasks.settle(10_000);
  await api.close();
});

const office = { lat: 18.6733, lng: 105.692 };
const north = (metres: number) => ({ lat: office.lat + metres / 111_195.08, lng: office.lng });

const team = [
  { name: 'Nguyễn Văn Hưởng', position: 'Phó Giám đốc Sở Nội vụ', role: 'lead' },
  { name: 'Trần Thị Thuỳ Dương', position: 'Chuyên viên', role: 'member' },
];
const unitRepresentatives = [{ name: 'Lê Quốc Việt', position: 'Chủ tịch UBND phường' }];
const requests = ['Bố trí công chức trực thường xuyên tại Bộ phận Một cửa'];
const comment = 'Đơn vị cần chấn chỉnh ngay việc niêm yết thủ tục.';

/** An approved visit of W2 with its team, representatives, two photos, requests and a comment. */
async function approvedVisit(): Promise<string> {
  const { visitId } = await submittedVisit({ unitId: 'W2', extra: { team, unitRepresentatives } });
  const approved = await invoke('reviewVisit', {
    params: { visitId },
    body: { decision: 'approve', comment, requests },
    as: people.manager,
  });
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  return visitId;
}

interface RecordBody {
  recordId: string;
  visitId: string;
  number: number;
  numberText: string;
  status: string;
  pdfUrl?: string;
  docxUrl?: string;
  expiresAt?: string;
}

async function ready(recordId: string, timeoutMs = 30_000): Promise<RecordBody> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const read = await invoke('getRecord', { params: { recordId }, as: people.manager });
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    const body = read.body as RecordBody;
    if (body.status !== 'running' || Date.now() > deadline) return body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function download(
  url: string,
): Promise<{ bytes: Buffer; type: string | null; disposition: string | null }> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return {
    bytes: Buffer.from(await response.arrayBuffer()),
    type: response.headers.get('content-type'),
    disposition: response.headers.get('content-disposition'),
  };
}

describe('the inspection record of a visit', () => {
  let visitId: string;
  let recordId: string;

  it('starts (202), builds in the background, and gives the PDF and the DOCX', async () => {
    visitId = await approvedVisit();
    const started = await invoke('createRecord', { params: { visitId }, as: people.manager });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect(started.body).toMatchObject({ status: 'running' });
    recordId = (started.body as { recordId: string }).recordId;

    const record = await ready(recordId);
    expect(record).toMatchObject({
      recordId,
      visitId,
      number: 1,
      numberText: 'Số: 1/BB-SNV',
      status: 'ready',
    });
    expect(Date.parse(record.expiresAt ?? '') - Date.now()).toBeLessThanOrEqual(300_000);

    const pdf = await download(record.pdfUrl ?? '');
    expect(pdf.type).toBe('application/pdf');
    expect(pdf.disposition).toContain('bien-ban-1-BB-SNV-');
    expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pdfPath = join(dir, 'record.pdf');
    writeFileSync(pdfPath, pdf.bytes);
    const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    for (const expected of [
      'BIÊN BẢN KIỂM TRA',
      'Số: 1/BB-SNV',
      'SỞ NỘI VỤ',
      'UBND TỈNH NGHỆ AN',
      'Phường Thành Vinh',
      ...team.map((member) => member.name),
      unitRepresentatives[0]?.name ?? '',
      requests[0] ?? '',
      comment,
      'PHỤ LỤC: ẢNH MINH CHỨNG',
    ]) {
      expect(text.normalize('NFC').replace(/\s+/g, ' '), expected).toContain(expected);
    }
    // The two verified photos of the visit are embedded.
    const images = execFileSync('pdfimages', ['-list', pdfPath], { encoding: 'utf8' })
      .split('\n')
      .slice(2)
      .filter((line) => line.trim().length > 0);
    expect(images).toHaveLength(2);

    const docx = await download(record.docxUrl ?? '');
    expect(docx.type).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(docx.disposition).toContain('.docx');
    const xml = await (await JSZip.loadAsync(docx.bytes)).file('word/document.xml')?.async('string');
    for (const expected of ['BIÊN BẢN KIỂM TRA', 'Số: 1/BB-SNV', team[0]?.name ?? '', requests[0] ?? '']) {
      expect(xml, expected).toContain(expected);
    }
  });

  it('answers the same record to the same request while the visit is unchanged', async () => {
    const again = await invoke('createRecord', { params: { visitId }, as: people.admin });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body).toEqual({ recordId, status: 'ready' });
    const read = await invoke('getRecord', { params: { recordId }, as: people.manager });
    expect(read.body).toMatchObject({ number: 1 });
  });

  it('numbers the next visit’s record 2, and two requests at once make one record', async () => {
    const next = await approvedVisit();
    const [a, b] = await Promise.all([
      invoke('createRecord', { params: { visitId: next }, as: people.manager }),
      invoke('createRecord', { params: { visitId: next }, as: people.manager }),
    ]);
    expect([a.status, b.status]).toEqual([202, 202]);
    expect((a.body as RecordBody).recordId).toBe((b.body as RecordBody).recordId);
    const record = await ready((a.body as RecordBody).recordId);
    expect(record).toMatchObject({ number: 2, status: 'ready' });
  });

  it('answers 503 when the bus refuses the event, and the same request then starts it under its number', async () => {
    const next = await approvedVisit();
    const down = recordingPublisher();
    down.state.failing = true;
    configureDeps({ events: down });
    let refused: Awaited<ReturnType<typeof invoke>>;
    try {
      refused = await invoke('createRecord', { params: { visitId: next }, as: people.manager });
    } finally {
      configureDeps({ events: bus });
    }
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    const started = await invoke('createRecord', { params: { visitId: next }, as: people.manager });
    expect(started.status).toBe(202);
    const record = await ready((started.body as RecordBody).recordId);
    expect(record.status).toBe('ready');
    // The number given when it was first asked for (the third record of the agency this year).
    expect(record.number).toBe(3);
  });

  it('refuses a visit that is not approved (409), and a revoked one', async () => {
    const { visitId: submitted } = await submittedVisit({ unitId: 'W2' });
    const refused = await invoke('createRecord', { params: { visitId: submitted }, as: people.manager });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'invalid_state' });
    expect((refused.body as { title: string; detail: string }).detail).toContain('phê duyệt');

    const revoked = await approvedVisit();
    const revoke = await invoke('revokeVisit', {
      params: { visitId: revoked },
      body: { reason: 'Sai đơn vị' },
      as: people.admin,
    });
    expect(revoke.status, JSON.stringify(revoke.body)).toBe(200);
    const again = await invoke('createRecord', {
      params: { visitId: revoked },
      as: people.manager,
      headers: { 'accept-language': 'en' },
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      code: 'invalid_state',
      detail: 'Only an approved visit has a record.',
    });
  });

  it('answers out of scope as missing (404): the visit for POST, the record for GET', async () => {
    // The ward manager's jurisdiction is W1; the records above are of W2.
    const post = await invoke('createRecord', { params: { visitId }, as: people.wardManager });
    const missingVisit = await invoke('createRecord', {
      params: { visitId: '00000000-0000-4000-8000-00000000dead' },
      as: people.wardManager,
    });
    expect(post.status).toBe(404);
    expect(post.body).toEqual(missingVisit.body);
    const get = await invoke('getRecord', { params: { recordId }, as: people.wardManager });
    const missing = await invoke('getRecord', {
      params: { recordId: '00000000-0000-4000-8000-00000000dead' },
      as: people.wardManager,
    });
    expect(get.status).toBe(404);
    expect(get.body).toEqual(missing.body);
    // Inspectors make no records.
    const inspector = await invoke('createRecord', { params: { visitId }, as: people.inspector });
    expect(inspector.status).toBe(403);
  });

  it('shows each photo’s distance from the office and its evidence flags in the appendix', async () => {
    const visitId = randomUUID();
    const put = await invoke('putVisit', {
      params: { visitId },
      body: visitBody({ unitId: 'W2', team, unitRepresentatives }),
      as: people.inspector,
    });
    expect(put.status, JSON.stringify(put.body)).toBe(201);
    // Taken during the visit: 40 m from the office, and 1.2 km away (far, radius 500 m).
    const during = '2026-05-12T09:00:00+07:00';
    await locatedPhoto(visitId, 'B1', { ...north(40), accuracyM: 10 }, during);
    await locatedPhoto(visitId, 'D1', { ...north(1200), accuracyM: 10 }, during);
    // Declaring neither place nor time: no location, and received long after the visit.
    expect((await addPhoto(visitId, 'D1', jpegBytes())).status).toBe('verified');
    expect((await invoke('submitVisit', { params: { visitId }, as: people.inspector })).status).toBe(200);
    const approved = await invoke('reviewVisit', {
      params: { visitId },
      body: { decision: 'approve' },
      as: people.manager,
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);

    const started = await invoke('createRecord', { params: { visitId }, as: people.manager });
    expect(started.status).toBe(202);
    const record = await ready((started.body as RecordBody).recordId);
    expect(record.status).toBe('ready');
    const pdfPath = join(dir, 'evidence.pdf');
    writeFileSync(pdfPath, (await download(record.pdfUrl ?? '')).bytes);
    const text = execFileSync('pdftotext', [pdfPath, '-'], { encoding: 'utf8' })
      .normalize('NFC')
      .replace(/\s+/g, ' ');
    const appendix = text.slice(text.indexOf('PHỤ LỤC: ẢNH MINH CHỨNG'));
    expect(appendix).toContain('cách trụ sở 40 m (bán kính 500 m)');
    expect(appendix).toContain('cách trụ sở 1.200 m (bán kính 500 m)');
    expect(appendix).toContain('Lưu ý: chụp xa trụ sở đơn vị (ngoài bán kính cho phép)');
    expect(appendix).toContain('Lưu ý: chụp ngoài thời gian kiểm tra (quá 2 giờ); không có vị trí chụp');
    // Exactly one photo is far, and the near one carries no note.
    expect(appendix.split('chụp xa trụ sở').length - 1).toBe(1);
    expect(appendix.split('Lưu ý:').length - 1).toBe(2);
  });

  it('takes the signed scan through a presigned form and the verifier, and then reads as signed', async () => {
    const before = (await invoke('getRecord', { params: { recordId }, as: people.manager })).body;
    expect(before).toMatchObject({ status: 'ready', signedAt: null, scans: [] });

    // A PDF (the record itself stands in for its scan) and a photo of a page.
    const pdf = (await download((before as RecordBody).pdfUrl ?? '')).bytes;
    const page = pictureJpeg(3, 85, 640, 900);
    const pdfId = await uploadScan(recordId, pdf, 'application/pdf');
    const pageId = await uploadScan(recordId, page, 'image/jpeg');
    // Declared a PDF, uploaded a web page of the same size and hash: rejected and deleted.
    const html = Buffer.from('<html><body>not a scan</body></html>');
    const htmlId = await uploadScan(recordId, html, 'application/pdf');

    const signed = await scansSettled(recordId, 3);
    expect(signed.status).toBe('signed');
    expect(Date.parse(signed.signedAt ?? '')).toBeGreaterThan(0);
    const byId = new Map(signed.scans.map((file) => [file.fileId, file]));
    expect(byId.get(pdfId)).toMatchObject({
      status: 'verified',
      reason: null,
      contentType: 'application/pdf',
    });
    expect(byId.get(pageId)).toMatchObject({ status: 'verified', contentType: 'image/jpeg' });
    expect(byId.get(htmlId)).toMatchObject({ status: 'rejected', reason: 'type_mismatch' });
    expect(byId.get(htmlId)).not.toHaveProperty('downloadUrl');
    const scanned = await download(byId.get(pdfId)?.downloadUrl ?? '');
    expect(scanned.bytes.equals(pdf)).toBe(true);
    expect(scanned.type).toBe('application/pdf');
    expect(scanned.disposition).toContain('bien-ban-1-BB-SNV-');
    expect((await download(byId.get(pageId)?.downloadUrl ?? '')).bytes.equals(page)).toBe(true);
    // The record's own documents stay downloadable, and the same POST answers it as signed.
    expect((await download(signed.pdfUrl ?? '')).bytes.equals(pdf)).toBe(true);
    const again = await invoke('createRecord', { params: { visitId }, as: people.manager });
    expect(again.body).toEqual({ recordId, status: 'signed' });

    // A verified file again: no form. Other metadata under its ID: 409.
    const repeat = await registerScan(recordId, pdf, 'application/pdf', pdfId);
    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual({ fileId: pdfId, status: 'verified' });
    const other = await registerScan(recordId, page, 'image/jpeg', pdfId);
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ code: 'conflict' });
  });

  it('refuses a scan of a record still being built (409) and of another jurisdiction (404)', async () => {
    const pending = await approvedVisit();
    // No bus for a moment: the record stays running, as while its worker draws it.
    configureDeps({ events: recordingPublisher() });
    try {
      const started = await invoke('createRecord', { params: { visitId: pending }, as: people.manager });
      expect(started.status).toBe(202);
      const early = await registerScan(
        (started.body as RecordBody).recordId,
        Buffer.from('%PDF-1.4\n%%EOF\n'),
        'application/pdf',
      );
      expect(early.status).toBe(409);
      expect(early.body).toMatchObject({ code: 'invalid_state' });
    } finally {
      configureDeps({ events: bus });
    }
    const foreign = await registerScan(
      recordId,
      Buffer.from('%PDF-1.4\n%%EOF\n'),
      'application/pdf',
      undefined,
      people.wardManager,
    );
    const missing = await registerScan(
      '00000000-0000-4000-8000-00000000dead',
      Buffer.from('%PDF-1.4\n%%EOF\n'),
      'application/pdf',
      undefined,
      people.wardManager,
    );
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(missing.body);
  });
});

async function registerScan(
  recordId: string,
  bytes: Buffer,
  contentType: string,
  fileId: string = randomUUID(),
  as = people.manager,
) {
  return invoke('createRecordScan', {
    params: { recordId },
    body: { fileId, contentType, sizeBytes: bytes.length, sha256: sha256(bytes) },
    as,
  });
}

/** Registers a scan file and posts it with its form, as the console's browser would. */
async function uploadScan(recordId: string, bytes: Buffer, contentType: string): Promise<string> {
  const registered = await registerScan(recordId, bytes, contentType);
  expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  const body = registered.body as { fileId: string; upload: { url: string; fields: Record<string, string> } };
  await uploadWithForm(body.upload, bytes, contentType);
  return body.fileId;
}

interface SignedBody extends RecordBody {
  signedAt: string | null;
  scans: Array<{
    fileId: string;
    status: string;
    reason: string | null;
    contentType: string;
    downloadUrl?: string;
  }>;
}

/** The record once `count` scan files are settled by the verifier. */
async function scansSettled(recordId: string, count: number, timeoutMs = 15_000): Promise<SignedBody> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const body = (await invoke('getRecord', { params: { recordId }, as: people.manager })).body as SignedBody;
    const settled = body.scans.filter((file) => file.status !== 'pending').length;
    if (settled >= count || Date.now() > deadline) return body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A photo declaring where and when it was taken, uploaded and verified. */
async function locatedPhoto(
  visitId: string,
  itemCode: string,
  location: { lat: number; lng: number; accuracyM: number },
  capturedAt: string,
) {
  const bytes = jpegBytes();
  const photoId = randomUUID();
  const created = await invoke('createPhoto', {
    params: { visitId },
    body: {
      photoId,
      itemCode,
      contentType: 'image/jpeg',
      sizeBytes: bytes.length,
      sha256: sha256(bytes),
      capturedAt,
      location,
    },
    as: people.inspector,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await uploadWithForm(
    (created.body as { upload: { url: string; fields: Record<string, string> } }).upload,
    bytes,
    'image/jpeg',
  );
  expect((await waitForPhoto(visitId, photoId)).status).toBe('verified');
}
