/**
 * Instant approval (智能秒批) through the real UI in Chromium, a real hall server process and a
 * workstation in a browser-preview process: a 秒批 matter (异地就医备案) goes from scanned papers to an
 * issued, sealed certificate with no manual approval or issue step. The clerk photographs the ID card
 * (the real OCR worker reads a generated card), takes the suggestions, types what no paper says
 * (phone, reason), confirms the paper form was handed in, and presses 受理: the rules approve it and
 * the certificate is issued at once, recorded as automated with the rules' version.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { generateDocument } from '../capture/generator/index.js';
import { callAndServe, dropFiles, enrolAndSignIn, launchChromium, openCase, startHall, startPreview, tempDir, type Proc } from './harness.js';

const OFFICE = 'qihe-county';
const REMOTE_CARE = '37142500-YB-003'; // 异地就医备案: 秒批, result 异地就医备案回执
const MATERIAL = 'applicant.idCard';

let hall: Proc;
let ws: Proc;
let browser: Browser;
let clerk: Page;
const byId = (id: string) => clerk.getByTestId(id);

describe('instant approval through the real UI', () => {
  beforeAll(async () => {
    const hallDir = tempDir('e2e-instant-hall');
    hall = await startHall(hallDir);
    ws = await startPreview(tempDir('e2e-instant-ws'), hall.url);
    browser = await launchChromium();
    clerk = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    await enrolAndSignIn(clerk, { preview: ws, hallUrl: hall.url, hallDir, office: OFFICE, staffId: '1001', windowNo: 1, deviceName: '1号窗口工作站' });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([ws?.stop(), hall?.stop()]);
  });

  it('a 秒批 matter goes from a scanned ID card to an issued certificate without a manual step', async () => {
    const card = await generateDocument('idcard_front', 7, 'scan');
    await callAndServe(clerk, hall.url, OFFICE);
    await openCase(clerk, '异地就医', REMOTE_CARE);

    // The ID card under the camera (here: its picture dropped on the capture dialog); take what was read.
    await byId(`material-capture-${MATERIAL}`).click();
    await byId('capture-dialog').waitFor();
    await byId('capture-tab-file').click();
    await dropFiles(clerk, 'capture-drop', [{ name: '身份证.jpg', mimeType: 'image/jpeg', buffer: card.image }]);
    await byId('capture-suggestions').waitFor({ timeout: 60_000 });
    await expect.poll(() => byId('capture-suggestion-applicant.name').innerText()).toContain(card.truth.fields.name!);
    await byId('capture-accept-all').click();
    await expect.poll(() => byId('capture-dialog').count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => byId('field-applicant.name').inputValue(), { timeout: 15_000 }).toBe(card.truth.fields.name);
    expect(await byId('field-applicant.idNumber').inputValue()).toBe(card.truth.fields.idNumber);

    // What no paper says (the card's address is the household one, not where the applicant lives now), typed;
    // the paper form handed in.
    for (const [key, v] of [
      ['applicant.address', '浙江省杭州市西湖区文三路90号'],
      ['applicant.phone', '13805341234'],
      ['case.reason', '异地长期居住就医'],
    ] as const) {
      await byId(`field-${key}`).fill(v);
      await byId(`field-${key}`).blur();
    }
    await expect.poll(() => byId('form-save-state').getAttribute('data-unsaved'), { timeout: 15_000 }).toBe('0');
    await byId('btn-mark-all-present').click();
    await expect.poll(() => clerk.locator('[data-testid^="material-"][data-status="missing"]').count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => byId('findings').getAttribute('data-blocking'), { timeout: 10_000 }).toBe('0');

    // 受理 — and nothing else: no 批准, no 制证.
    await expect.poll(() => byId('btn-accept').isEnabled(), { timeout: 10_000 }).toBe(true);
    await byId('btn-accept').click();
    await byId('btn-accept-confirm').click();
    await expect.poll(() => byId('case-status').innerText(), { timeout: 30_000 }).toContain('已制证');
    const row = byId('certificate-row');
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    expect(await row.getAttribute('data-document-no')).toMatch(new RegExp(`^齐审批备〔${new Date().getFullYear()}〕\\d+号$`));
    expect(await byId('certificate-panel').innerText()).toContain('秒批自动制证');
    // The history says the rules decided it, with their version.
    await expect.poll(() => byId('case').innerText()).toMatch(/秒批（规则 [0-9a-f]+/);
  }, 150_000);
});
