/**
 * Capture end to end, through the real UI in Chromium against a real hall and a workstation
 * preview (real backend, real OCR worker): on 企业开办, a generated photo of an ID card is imported
 * onto the legal representative's ID-card material; the suggestions appear; 全部采用 fills the form;
 * focusing the name field shows the page with the region the name was read from outlined. A text
 * file named .jpg gets capture's Chinese message and stores nothing. The document camera is
 * Chromium's fake capture device playing a video of another generated ID card (MJPEG): Space takes a
 * still, which is read like any photo.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import sharp from 'sharp';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { generateDocument, type SyntheticDocument } from '../capture/generator/index.js';
import { callAndServe, CHROMIUM, dropFiles, openCase, screenshot, tempDir } from './harness.js';
import { clerkAtWindow } from './clerk-at-window.js';

const OFFICE = 'qihe-county';
const MATERIAL = 'legalRep.idCard';

let card: SyntheticDocument;
let cameraCard: SyntheticDocument;

describe('capture through the real UI', () => {
  // The documents, and a fake camera (no permission prompt) filming cameraCard on a desk: 1280 × 720 MJPEG frames.
  let video: string;
  beforeAll(async () => {
    card = await generateDocument('idcard_front', 3, 'scan');
    cameraCard = await generateDocument('idcard_front', 5, 'clean');
    const frame = await sharp({ create: { width: 1280, height: 720, channels: 3, background: '#6b6f73' } })
      .composite([{ input: await sharp(cameraCard.image).resize({ height: 600 }).toBuffer(), gravity: 'center' }])
      .jpeg({ quality: 90 })
      .toBuffer();
    video = path.join(tempDir('e2e-capture-camera'), 'camera.mjpeg');
    writeFileSync(video, Buffer.concat(Array.from({ length: 30 }, () => frame)));
  }, 60_000);
  const s = clerkAtWindow('capture', {
    launch: () =>
      chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
          '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`,
        ],
      }),
  });
  const byId = (id: string) => s.clerk.getByTestId(id);

  it('an ID card photo on its material: suggestions, accept all, the form filled, the source region shown', async () => {
    await callAndServe(s.clerk, s.hall.url, OFFICE);
    await openCase(s.clerk, 'qykb');
    for (const [q, a] of [['premises', 'owned'], ['agent', 'no'], ['seal', 'yes'], ['invoice', 'no'], ['taxpayer', 'small-scale']] as const) {
      await byId(`situation-${q}-${a}`).click();
      if (q !== 'taxpayer') await expect.poll(() => byId(`situation-${q}-${a}`).getAttribute('aria-checked')).toBe('true');
    }
    // All answered: the questions fold into one line.
    await expect.poll(() => byId('situations-open').innerText()).toContain('已全部回答');
    await byId(`material-${MATERIAL}`).waitFor();
    expect(await byId('field-legalRep.name').inputValue()).toBe('');

    // 拍照/扫描 on the ID-card row; the file tab; the photo dropped on it.
    await byId(`material-capture-${MATERIAL}`).click();
    await byId('capture-dialog').waitFor();
    await byId('capture-tab-file').click();
    await dropFiles(s.clerk, 'capture-drop', [{ name: '法定代表人身份证.jpg', mimeType: 'image/jpeg', buffer: card.image }]);
    await byId('capture-suggestions').waitFor({ timeout: 60_000 });

    const nameRow = byId('capture-suggestion-legalRep.name');
    await expect.poll(() => nameRow.innerText()).toContain(card.truth.fields.name!);
    expect(await nameRow.getAttribute('data-kind')).toBe('new');
    expect(await byId('capture-suggestion-legalRep.idNumber').innerText()).toContain(card.truth.fields.idNumber!);
    expect(await byId('capture-pick-legalRep.idNumber').isChecked()).toBe(true);
    await byId('page-figure').waitFor();
    await expect.poll(() => s.clerk.locator('[data-testid="page-region-active"]').count()).toBe(1);
    // The page was stored on the material at once — once: the normalised page, not the dropped file too.
    await expect.poll(() => byId(`material-${MATERIAL}`).getAttribute('data-status')).toBe('present');
    expect(await byId(`material-attachments-${MATERIAL}`).locator('[data-testid="attachment-chip"]').count()).toBe(1);
    await screenshot(s.clerk, 'capture-suggestions');

    await byId('capture-accept-all').click();
    await expect.poll(() => byId('capture-dialog').count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => byId('field-legalRep.name').inputValue(), { timeout: 15_000 }).toBe(card.truth.fields.name);
    expect(await byId('field-legalRep.idNumber').inputValue()).toBe(card.truth.fields.idNumber);
    expect(await byId('field-row-legalRep.name').innerText()).toContain('识别');

    // Focusing the name shows its page beside the form, the name's region outlined where it is on the page.
    await byId('field-legalRep.name').focus();
    await byId('source-peek').waitFor();
    expect(await byId('source-peek').getAttribute('data-field')).toBe('legalRep.name');
    const region = byId('source-peek').getByTestId('page-region-active');
    await region.waitFor();
    const img = byId('source-page-img');
    const [box, pic] = [(await region.boundingBox())!, (await img.boundingBox())!];
    const natural = await img.evaluate((el) => ({ w: (el as HTMLImageElement).naturalWidth, h: (el as HTMLImageElement).naturalHeight }));
    const [x, y, w, h] = (await region.getAttribute('data-region'))!.split(',').map(Number) as [number, number, number, number];
    expect(w).toBeGreaterThan(0);
    // Where the outline is drawn is where the region is on the page (within a pixel or two of rounding).
    const tol = 3;
    expect(Math.abs(box.x - (pic.x + (x / natural.w) * pic.width))).toBeLessThan(tol);
    expect(Math.abs(box.y - (pic.y + (y / natural.h) * pic.height))).toBeLessThan(tol);
    expect(Math.abs(box.width - (w / natural.w) * pic.width)).toBeLessThan(tol);
    expect(Math.abs(box.height - (h / natural.h) * pic.height)).toBeLessThan(tol);
    expect(box.x + box.width).toBeLessThanOrEqual(pic.x + pic.width + 1);
    await screenshot(s.clerk, 'capture-highlight');

    // Leaving the form hides it.
    await s.clerk.locator('body').click({ position: { x: 5, y: 5 } });
    await expect.poll(() => byId('source-peek').count()).toBe(0);
  }, 120_000);

  it('a text file named .jpg gets capture’s Chinese message and nothing is stored', async () => {
    const before = await byId(`material-attachments-${MATERIAL}`).locator('[data-testid="attachment-chip"]').count();
    await byId(`material-capture-${MATERIAL}`).click();
    await byId('capture-dialog').waitFor();
    await byId('capture-tab-file').click();
    await dropFiles(s.clerk, 'capture-drop', [{ name: '身份证.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('这不是图片\n'.repeat(40)) }]);
    await byId('capture-error').waitFor({ timeout: 15_000 });
    expect(await byId('capture-error').innerText()).toMatch(/文件扩展名为 \.jpg，但内容不是图片或 PDF/);
    expect(await byId('capture-suggestions').count()).toBe(0);
    await s.clerk.keyboard.press('Escape');
    await expect.poll(() => byId('capture-dialog').count()).toBe(0);
    expect(await byId(`material-attachments-${MATERIAL}`).locator('[data-testid="attachment-chip"]').count()).toBe(before);
  }, 60_000);

  it('the document camera: the resolution is remembered, Space takes a still that is stored on the material', async () => {
    const chips = () => byId(`material-attachments-${MATERIAL}`).locator('[data-testid="attachment-chip"]').count();
    const before = await chips();
    await byId(`material-capture-${MATERIAL}`).click();
    await byId('capture-tab-camera').click();
    await byId('capture-resolution').selectOption('720p');
    // The preview plays the stream opened for 720p (not the one it replaces, still showing for a moment).
    await expect
      .poll(() => byId('capture-video').evaluate((v) => v.getAttribute('data-playing') === '720p' && (v as HTMLVideoElement).readyState >= 2 && (v as HTMLVideoElement).videoWidth > 0), { timeout: 15_000 })
      .toBe(true);
    expect(await byId('capture-video').evaluate((v) => (v as HTMLVideoElement).videoWidth)).toBe(1280);
    await screenshot(s.clerk, 'capture-camera');
    await s.clerk.keyboard.press('Space');
    await byId('capture-suggestions').waitFor({ timeout: 60_000 });
    await expect.poll(chips).toBe(before + 1);
    // Another person's card: the name the clerk accepted earlier is a capture value, so the new one replaces it only when chosen.
    const name = byId('capture-suggestion-legalRep.name');
    expect(await name.innerText()).toContain(cameraCard.truth.fields.name!);
    expect(await name.getAttribute('data-kind')).toBe('replace');
    await s.clerk.keyboard.press('Escape');
    await expect.poll(() => byId('capture-dialog').count()).toBe(0);
    expect(await byId('field-legalRep.name').inputValue()).toBe(card.truth.fields.name);

    // Opened again: the camera tab and the resolution chosen last time.
    await byId(`material-capture-${MATERIAL}`).click();
    expect(await byId('capture-tab-camera').getAttribute('aria-selected')).toBe('true');
    expect(await byId('capture-resolution').inputValue()).toBe('720p');
    await s.clerk.keyboard.press('Escape');
    await expect.poll(() => byId('capture-dialog').count()).toBe(0);
  }, 90_000);

  it('a value the clerk typed is a conflict: it needs a choice, is kept or replaced only as chosen', async () => {
    await byId('field-legalRep.name').fill('王小明');
    await s.clerk.locator('body').click({ position: { x: 5, y: 5 } }); // leaving the field saves it
    await expect.poll(() => byId('form-save-state').getAttribute('data-unsaved'), { timeout: 15_000 }).toBe('0');
    await expect.poll(() => byId('form-save-state').getAttribute('data-saving')).toBe('0');

    const importCard = async () => {
      await byId(`material-capture-${MATERIAL}`).click();
      await byId('capture-tab-file').click();
      await dropFiles(s.clerk, 'capture-drop', [{ name: '法定代表人身份证.jpg', mimeType: 'image/jpeg', buffer: card.image }]);
      await byId('capture-suggestions').waitFor({ timeout: 60_000 });
    };
    await importCard();
    const row = byId('capture-suggestion-legalRep.name');
    expect(await row.getAttribute('data-kind')).toBe('conflict');
    expect(await row.innerText()).toContain('王小明');
    expect(await row.innerText()).toContain('待选择');
    // One by one needs a choice first.
    expect(await byId('capture-accept-chosen').isDisabled()).toBe(true);
    expect(await byId('capture-accept-chosen').innerText()).toContain('待选择');
    await screenshot(s.clerk, 'capture-conflict');
    // The ID number read is the one on the form already: nothing for 全部采用 to take.
    expect(await byId('capture-suggestion-legalRep.idNumber').getAttribute('data-kind')).toBe('same');
    expect(await byId('capture-accept-all').isDisabled()).toBe(true);
    await byId('capture-keep-legalRep.name').check();
    expect(await byId('capture-accept-chosen').innerText()).toBe('完成');
    await byId('capture-accept-chosen').click();
    await expect.poll(() => byId('capture-dialog').count(), { timeout: 15_000 }).toBe(0);
    expect(await byId('field-legalRep.name').inputValue()).toBe('王小明');

    await importCard();
    await byId('capture-take-legalRep.name').check();
    expect(await byId('capture-accept-chosen').isDisabled()).toBe(false);
    await byId('capture-accept-chosen').click();
    await expect.poll(() => byId('capture-dialog').count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => byId('field-legalRep.name').inputValue(), { timeout: 15_000 }).toBe(card.truth.fields.name);
  }, 120_000);
});
