/**
 * The Content-Security-Policy that CloudFront sends (infra/web-csp.ts, as the web stack builds
 * it) against the URLs the deployed API really hands out: a presigned upload form and a
 * presigned download link signed by the project's S3 adapter for a bucket in the region, the
 * API's execute-api host and the Cognito domain. Chromium enforces the policy; Playwright's
 * routing answers the requests the policy lets through (the machine has no outside network), so
 * a request that reaches the route was allowed and one refused never gets there. Hosts the app
 * must not reach (another region's bucket, a foreign site) are refused, so the test can fail.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3FileStorage } from '#adapters/s3/files.ts';
import { awsCspSources, contentSecurityPolicy } from '#infra/web-csp.ts';
import { closeBrowsers, launchChromium } from './support/browser.ts';

const region = 'ap-southeast-1';
const cognitoHost = `par-inspect-123456789012.auth.${region}.amazoncognito.com`;
// A bucket name as CloudFormation generates them (stack, logical ID, suffix): no dots, so the
// SDK signs virtual-hosted URLs.
const bucket = 'parinspectdata-files4e1b2c3d-1a2b3c4d5e6f';
const apiUrl = `https://a1b2c3d4e5.execute-api.${region}.amazonaws.com`;
const policy = contentSecurityPolicy(awsCspSources(region, cognitoHost));

// One transparent pixel, for image loads.
const pixel = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

/** The page's own script: records violations and tries what the app does with each URL. */
const probeScript = `
window.violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.violations.push({ blocked: e.blockedURI, directive: e.effectiveDirective });
});
window.post = async (url, fields) => {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([new Uint8Array([255, 216, 255, 217])], { type: 'image/jpeg' }), 'photo.jpg');
  try { return (await fetch(url, { method: 'POST', body: form })).status; } catch { return 'refused'; }
};
window.get = async (url) => {
  try { return (await fetch(url)).status; } catch { return 'refused'; }
};
window.image = (url) => new Promise((resolve) => {
  const img = new Image();
  img.onload = () => resolve('loaded');
  img.onerror = () => resolve('refused');
  img.src = url;
});
`;

let server: Server;
let origin = '';
let browser: Browser;
let page: Page;
const reached: string[] = [];
let uploadForm: { url: string; fields: Record<string, string> };
let downloadUrl = '';

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === '/probe.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(probeScript);
      return;
    }
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': policy })
      .end(
        '<!doctype html><html lang="vi"><head><script src="/probe.js"></script></head><body></body></html>',
      );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // Signing needs credentials, not a network: the URLs are the ones AWS would be sent.
  const s3 = new S3Client({
    region,
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' },
  });
  const files = new S3FileStorage(s3, bucket);
  uploadForm = await files.presignUpload('visits/v1/photos/p1.jpg', 'image/jpeg', 4, 300);
  downloadUrl = (await files.presignDownload('visits/v1/photos/p1.jpg', 300, { contentType: 'image/jpeg' }))
    .url;

  browser = await launchChromium();
  const context = await browser.newContext();
  await context.route(/^https:\/\//, async (route) => {
    const request = route.request();
    reached.push(`${request.method()} ${request.url()}`);
    const cors = { 'access-control-allow-origin': origin };
    if (request.resourceType() === 'image') {
      await route.fulfill({ status: 200, headers: { ...cors, 'content-type': 'image/png' }, body: pixel });
    } else await route.fulfill({ status: request.method() === 'POST' ? 204 : 200, headers: cors, body: '' });
  });
  page = await context.newPage();
  await page.goto(`${origin}/`);
});

afterAll(async () => {
  await closeBrowsers();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

type ProbeWindow = {
  violations: { blocked: string; directive: string }[];
  post(url: string, fields: Record<string, string>): Promise<number | 'refused'>;
  get(url: string): Promise<number | 'refused'>;
  image(url: string): Promise<'loaded' | 'refused'>;
};

const violations = () => page.evaluate(() => (globalThis as unknown as ProbeWindow).violations);
const post = (url: string, fields: Record<string, string>) =>
  page.evaluate(([u, f]) => (globalThis as unknown as ProbeWindow).post(u, f), [url, fields] as const);
const get = (url: string) => page.evaluate((u) => (globalThis as unknown as ProbeWindow).get(u), url);
const image = (url: string) => page.evaluate((u) => (globalThis as unknown as ProbeWindow).image(u), url);

describe("the app's Content-Security-Policy in Chromium", () => {
  it('signs for the regional virtual-hosted bucket host the policy names by its regional pattern', () => {
    expect(new URL(uploadForm.url).host).toBe(`${bucket}.s3.${region}.amazonaws.com`);
    expect(new URL(downloadUrl).host).toBe(`${bucket}.s3.${region}.amazonaws.com`);
    expect(policy).toContain(`https://*.s3.${region}.amazonaws.com`);
  });

  it('lets a presigned upload form be posted, and a presigned download be shown and fetched', async () => {
    expect(await post(uploadForm.url, uploadForm.fields)).toBe(204);
    expect(await image(downloadUrl)).toBe('loaded');
    expect(await get(downloadUrl)).toBe(200);
    expect(reached).toContain(`POST ${uploadForm.url}`);
    expect(reached).toContain(`GET ${downloadUrl}`);
    expect(await violations()).toEqual([]);
  });

  it('lets the app reach the API and the Cognito domain, and shows blob: previews', async () => {
    expect(await get(`${apiUrl}/v1/health`)).toBe(200);
    expect(await get(`https://${cognitoHost}/oauth2/token`)).toBe(200);
    const blob = await page.evaluate(async () => {
      const url = URL.createObjectURL(new Blob([new Uint8Array([1])], { type: 'image/png' }));
      await (globalThis as unknown as ProbeWindow).image(url);
      return url;
    });
    expect((await violations()).map((v) => v.blocked)).not.toContain(blob);
    expect(await violations()).toEqual([]);
  });

  it("refuses another region's bucket, a foreign site and a foreign image before any request leaves", async () => {
    const otherRegion = `https://${bucket}.s3.us-east-1.amazonaws.com/visits/v1/photos/p1.jpg`;
    const foreign = 'https://collector.example.net/steal';
    const before = reached.length;
    expect(await post(otherRegion, uploadForm.fields)).toBe('refused');
    expect(await get(foreign)).toBe('refused');
    expect(await image('https://collector.example.net/pixel.png')).toBe('refused');
    expect(reached.length).toBe(before);
    const seen = await violations();
    expect(seen).toEqual(
      expect.arrayContaining([
        { blocked: otherRegion, directive: 'connect-src' },
        { blocked: foreign, directive: 'connect-src' },
        { blocked: 'https://collector.example.net/pixel.png', directive: 'img-src' },
      ]),
    );
  });
});
