/**
 * The material's searchable PDF through the real UI (Chromium, a real hall, a workstation preview
 * with the real OCR worker): an ID card photo imported onto the legal representative's ID-card
 * material, then 下载 PDF on that row saves `<material>-<case no>.pdf`, whose text layer holds the
 * card's name and ID number. A material without pages has no such button.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDocument, type SyntheticDocument } from '../capture/generator/index.js';
import { callAndServe, CHROMIUM, dropFiles, enrolAndSignIn, openCase, screenshot, SCREENSHOTS, startHall, startPreview, tempDir, type Proc } from './harness.js';

const OFFICE = 'qihe-county';
const MATERIAL = 'legalRep.idCard';

let hall: Proc;
let ws: Proc;
let browser: Browser;
let clerk: Page;
let card: SyntheticDocument;
const byId = (id: string) => clerk.getByTestId(id);

describe('下载 PDF of a material', () => {
  beforeAll(async () => {
    const hallDir = tempDir('e2e-mpdf-hall');
    hall = await startHall(hallDir);
    ws = await startPreview(tempDir('e2e-mpdf-ws'), hall.url);
    card = await generateDocument('idcard_front', 3, 'scan');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
    clerk = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', acceptDownloads: true });
    await enrolAndSignIn(clerk, { preview: ws, hallUrl: hall.url, hallDir, office: OFFICE, staffId: '1001', windowNo: 1, deviceName: '1号窗口工作站' });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([ws?.stop(), hall?.stop()]);
  });

  it('an ID card imported onto its material downloads as a searchable PDF', async () => {
    await callAndServe(clerk, hall.url, OFFICE);
    await openCase(clerk, 'qykb');
    for (const [s, a] of [['premises', 'owned'], ['agent', 'no'], ['seal', 'yes'], ['invoice', 'no'], ['taxpayer', 'small-scale']] as const) {
      await byId(`situation-${s}-${a}`).click();
      if (s !== 'taxpayer') await expect.poll(() => byId(`situation-${s}-${a}`).getAttribute('aria-checked')).toBe('true');
    }
    await byId(`material-${MATERIAL}`).waitFor();
    // No pages yet: no 下载 PDF.
    expect(await byId(`material-pdf-${MATERIAL}`).count()).toBe(0);

    await byId(`material-capture-${MATERIAL}`).click();
    await byId('capture-tab-file').click();
    await dropFiles(clerk, 'capture-drop', [{ name: '法定代表人身份证.jpg', mimeType: 'image/jpeg', buffer: card.image }]);
    await byId('capture-suggestions').waitFor({ timeout: 60_000 });
    await clerk.keyboard.press('Escape');
    await expect.poll(() => byId('capture-dialog').count()).toBe(0);

    const button = byId(`material-pdf-${MATERIAL}`);
    await button.waitFor();
    expect(await button.innerText()).toBe('下载 PDF');
    if (SCREENSHOTS) {
      await byId(`material-${MATERIAL}`).scrollIntoViewIfNeeded();
      await screenshot(clerk, 'material-pdf');
    }
    const caseNo = () => byId('case-no').getAttribute('data-case-no');
    const before = await caseNo();
    const [download] = await Promise.all([clerk.waitForEvent('download', { timeout: 30_000 }), button.click()]);
    const file = path.join(tempDir('e2e-mpdf-download'), download.suggestedFilename());
    await download.saveAs(file);
    // <material name>-<case no>.pdf (the provisional number, or the official one if it came meanwhile).
    const material = (await byId(`material-${MATERIAL}`).locator('.material-name').innerText()).split(/\s/)[0]!.replace(/(必要|选择性)$/, '');
    expect([`${material}-${before}.pdf`, `${material}-${await caseNo()}.pdf`]).toContain(download.suggestedFilename());
    expect(readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain(card.truth.fields.name);
    expect(text).toContain(card.truth.fields.idNumber);
  }, 120_000);
});
