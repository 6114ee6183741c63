/**
 * A submitted visit made through the API alone, as another client than the phone would make it
 * (the latest checklist, every item passing, JPEGs for the items that always need a photo,
 * uploaded with the presigned form and verified), for console tests that need visits waiting in
 * the review queue without driving a phone through a whole checklist.
 */
import { createHash, randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { z } from 'zod';
import { eventually } from '../../e2e/support/http.ts';
import type { AppServer } from './app-server.ts';
import { phonePosition } from './browser.ts';
import type { PhotoFile } from './photos.ts';

const checklist = z.looseObject({
  version: z.number(),
  sections: z.array(
    z.looseObject({
      items: z.array(
        z.looseObject({
          code: z.string(),
          photo: z.string(),
          answer: z.looseObject({ type: z.string(), max: z.number().optional() }),
        }),
      ),
    }),
  ),
});
const uploadReply = z.object({
  upload: z.object({ url: z.string(), fields: z.record(z.string(), z.string()) }),
});

/**
 * Submits a visit of `unitId` by the inspector of `token`; `photos` go to the required items in
 * order, the first with the phone's position and the rest without a place. `failing` names
 * yes/no items that need no photo answered "no", each with the inspector's note (the findings
 * its approval makes). Answers the visit ID.
 */
export async function submitThroughApi(
  server: AppServer,
  token: string,
  unitId: string,
  photos: PhotoFile[],
  templateId = 'one-stop-counter',
  failing: Record<string, string> = {},
): Promise<string> {
  const latest = await server.call('GET', `/v1/templates/${templateId}/versions/latest`, { token });
  expect(latest.status, latest.text).toBe(200);
  const template = checklist.parse(latest.body);
  const items = template.sections.flatMap((section) => section.items);
  for (const code of Object.keys(failing)) {
    const item = items.find((candidate) => candidate.code === code);
    if (item?.answer.type !== 'yes_no' || item.photo !== 'none')
      throw new Error(`${code} is not a yes/no item without photos`);
  }
  const answers = items.map((item) => ({
    itemCode: item.code,
    ...(failing[item.code] !== undefined ? { note: failing[item.code] } : {}),
    value:
      failing[item.code] !== undefined
        ? false
        : item.answer.type === 'yes_no'
          ? true
          : item.answer.type === 'rating'
            ? (item.answer.max ?? 5)
            : item.answer.type === 'percent'
              ? 100
              : 0,
  }));
  const visitId = randomUUID();
  const position = { lat: phonePosition.latitude, lng: phonePosition.longitude, accuracyM: 12 };
  const put = await server.call('PUT', `/v1/visits/${visitId}`, {
    token,
    body: {
      unitId,
      templateId,
      templateVersion: template.version,
      startedAt: new Date().toISOString(),
      location: position,
      answers,
    },
  });
  expect(put.status, put.text).toBe(201);
  const required = items.filter((item) => item.photo === 'required').map((item) => item.code);
  if (photos.length < required.length) throw new Error(`${required.length} photos needed`);
  for (const [index, itemCode] of required.entries()) {
    const photo = photos[index] as PhotoFile;
    const photoId = randomUUID();
    const created = await server.call('POST', `/v1/visits/${visitId}/photos`, {
      token,
      body: {
        photoId,
        itemCode,
        contentType: photo.mimeType,
        sizeBytes: photo.buffer.length,
        sha256: createHash('sha256').update(photo.buffer).digest('hex'),
        capturedAt: new Date().toISOString(),
        ...(index === 0 ? { location: position } : {}),
      },
    });
    expect(created.status, created.text).toBe(201);
    const { upload } = uploadReply.parse(created.body);
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append('file', new Blob([new Uint8Array(photo.buffer)], { type: photo.mimeType }), photo.name);
    const posted = await fetch(upload.url, { method: 'POST', body: form });
    expect(posted.ok, `upload ${posted.status} ${await posted.text()}`).toBe(true);
  }
  await eventually(
    'the visit submitted',
    async () => {
      const reply = await server.call('POST', `/v1/visits/${visitId}/submit`, { token });
      if (reply.status === 409) return undefined; // photos still being verified
      expect(reply.status, reply.text).toBe(200);
      return true;
    },
    60_000,
  );
  return visitId;
}
