/**
 * The browser harness itself, on pages served here (no app): the phone is what the app's tests
 * assume (size, position, language, time zone), the photos are real JPEGs, and the screen checks
 * catch what they are meant to catch, so a green app test means something.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { closeBrowsers, launchChromium, newPhone, phonePosition } from './support/browser.ts';
import { isJpeg, makeJpegs } from './support/photos.ts';
import { screenProblems } from './support/screen-checks.ts';

const goodPage = `<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Thử</title></head>
<body><main><h1>Chọn đơn vị</h1>
<label for="q">Tìm đơn vị</label><input id="q" type="search" style="display:block;width:100%;min-height:48px;box-sizing:border-box">
<button style="min-width:48px;min-height:48px">Tìm</button>
<label style="display:flex;min-height:48px;align-items:center"><input type="checkbox"> Không áp dụng</label>
<p>Đọc <a href="/help">hướng dẫn</a> trước khi bắt đầu.</p>
</main></body></html>`;

const badPage = `<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Thử</title></head>
<body><main><h1>Chọn đơn vị</h1>
<input id="q" type="text">
<button style="width:30px;height:30px;padding:0">x</button>
<div style="width:500px">quá rộng</div>
</main></body></html>`;

let browser: Browser;
let phone: BrowserContext;
let site: Server;
let origin: string;

beforeAll(async () => {
  site = createServer((req, res) => {
    const body = req.url === '/bad' ? badPage : goodPage;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  origin = `http://localhost:${(site.address() as AddressInfo).port}`;
  browser = await launchChromium();
  phone = await newPhone(browser);
});

afterAll(async () => {
  await closeBrowsers();
  await new Promise<void>((resolve) => site?.close(() => resolve()));
});

describe('the phone', () => {
  it('is 360 x 740, in Vietnamese, on Vietnam time, and knows where it is', async () => {
    const page = await phone.newPage();
    await page.goto(`${origin}/`);
    const facts = z
      .object({
        width: z.number(),
        height: z.number(),
        language: z.string(),
        timeZone: z.string(),
        hour: z.number(),
        position: z.object({ latitude: z.number(), longitude: z.number(), accuracy: z.number() }),
      })
      .parse(
        await page.evaluate(`(async () => ({
          width: innerWidth,
          height: innerHeight,
          language: navigator.language,
          timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
          hour: new Date('2026-01-01T00:00:00Z').getHours(),
          position: await new Promise((resolve, reject) => navigator.geolocation.getCurrentPosition(
            (p) => resolve({ latitude: p.coords.latitude, longitude: p.coords.longitude, accuracy: p.coords.accuracy }),
            reject,
          )),
        }))()`),
      );
    expect(facts).toMatchObject({ width: 360, height: 740, language: 'vi-VN', position: phonePosition });
    // ICU may name the zone by its older alias; midnight UTC is 07:00 in Vietnam either way.
    expect(['Asia/Ho_Chi_Minh', 'Asia/Saigon']).toContain(facts.timeZone);
    expect(facts.hour).toBe(7);
    await page.close();
  });
});

describe('the photos', () => {
  it('are distinct real JPEGs larger than the app keeps (2,048 px long edge)', async () => {
    const [first, second] = await makeJpegs(browser, 2);
    expect(first && second).toBeTruthy();
    for (const photo of [first, second]) {
      if (!photo) continue;
      expect(isJpeg(photo.buffer)).toBe(true);
      // JFIF/Exif header from a real encoder, and a camera-like size, not a 1-pixel stub.
      expect(photo.buffer.length).toBeGreaterThan(50_000);
      // SOF0 (baseline) frame header: height then width, big-endian.
      const sof = photo.buffer.indexOf(Buffer.from([0xff, 0xc0]));
      expect(sof).toBeGreaterThan(0);
      expect(photo.buffer.readUInt16BE(sof + 5)).toBe(1800);
      expect(photo.buffer.readUInt16BE(sof + 7)).toBe(2400);
    }
    expect(first?.buffer.equals(second?.buffer ?? Buffer.alloc(0))).toBe(false);
  });
});

describe('the screen checks', () => {
  it('pass a screen that fits, has big targets and labels', async () => {
    const page = await phone.newPage();
    await page.goto(`${origin}/`);
    expect(await screenProblems(page, 'good')).toEqual([]);
    await page.close();
  });

  it('catch a screen that is too wide, has small targets and unlabelled controls', async () => {
    const page = await phone.newPage();
    await page.goto(`${origin}/bad`);
    const problems = await screenProblems(page, 'bad');
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/axe critical label/),
        expect.stringMatching(/axe serious html-has-lang/),
        expect.stringMatching(/document is \d+ px wide/),
        expect.stringMatching(/has no lang/),
        expect.stringMatching(/touch target button "x" is 30 x 30 px/),
        expect.stringMatching(/control without a label: input#q/),
      ]),
    );
    await page.close();
  });
});
