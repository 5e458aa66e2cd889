/**
 * 印章设置 through the real UI: a hall server process, a workstation in a browser-preview process,
 * Chromium. The administrator (9999) signs in, opens 印章设置, sees the specimen, is refused a
 * wrong certificate password in Chinese (nothing stored), imports the office's seal image and
 * PKCS#12, sees the certificate's holder, validity and fingerprint, and the record of it; a
 * supervisor (9001) at the same workstation gets no 印章设置 tab.
 * Screenshot: docs/screenshots/seal-settings.png.
 */
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeP12 } from '../../electron/backend/certificates/test-support.js';
import { runCli } from '../support/cli.js';
import { NO_SEAT } from '../../shared/office/config.js';
import { enrolmentCode, launchChromium, screenshot, signInAt, startHall, startPreview, tempDir, type Proc } from './harness.js';

const OFFICE = 'qihe-county';
const PASSWORD = 'Qihe-2026-seal';
let hallDir: string;
let hall: Proc;
let ws: Proc;
let browser: Browser;
let page: Page;
let seal: Buffer;
let p12: Buffer;

/** A test seal: red ring, star, and 测试印章 — plainly not an office's seal. */
async function testSealPng(): Promise<Buffer> {
  const star = Array.from({ length: 10 }, (_, i) => {
    const r = i % 2 === 0 ? 70 : 27;
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    return `${(300 + r * Math.cos(a)).toFixed(1)},${(300 + r * Math.sin(a)).toFixed(1)}`;
  }).join(' ');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600">
    <circle cx="300" cy="300" r="270" fill="none" stroke="#d40000" stroke-width="22"/>
    <polygon points="${star}" fill="#d40000"/>
    <text x="300" y="470" font-size="64" font-weight="bold" text-anchor="middle" fill="#d40000" font-family="Noto Serif CJK SC, Noto Sans CJK SC, serif">测试印章</text>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

const signIn = (staffId: string) => signInAt(page, { office: OFFICE, staffId, windowNo: null, lands: 'supervisor-view' });

const files = (over: { password: string }) => [
  page.getByTestId('seal-image-file').setInputFiles({ name: 'qihe-seal.png', mimeType: 'image/png', buffer: seal }),
  page.getByTestId('seal-p12-file').setInputFiles({ name: 'qihe-county.p12', mimeType: 'application/x-pkcs12', buffer: p12 }),
  page.getByTestId('seal-password').fill(over.password),
];

describe('印章设置 through the real UI', () => {
  beforeAll(async () => {
    seal = await testSealPng();
    p12 = Buffer.from((await makeP12({ commonName: '齐河县行政审批服务局', organization: '齐河县行政审批服务局', keyType: 'rsa', password: PASSWORD })).p12);
    hallDir = tempDir('e2e-seal-hall');
    hall = await startHall(hallDir);
    ws = await startPreview(tempDir('e2e-seal-ws'), hall.url);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await page.goto(ws.url);
    await page.getByTestId('enrol-url').fill(hall.url);
    await page.getByTestId('enrol-code').fill(await enrolmentCode(hallDir, OFFICE));
    await page.getByTestId('enrol-name').fill('管理员工作站');
    await page.getByTestId('enrol-submit').click();
    await signIn('9999');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([ws?.stop(), hall?.stop()]);
  });

  it('the administrator sees the specimen, is refused a wrong password, then imports the seal and certificate', async () => {
    await page.getByTestId('tab-seal').click();
    const card = page.getByTestId(`seal-office-${OFFICE}`);
    await expect.poll(() => card.getByTestId('seal-state').innerText()).toContain('样章');

    await Promise.all(files({ password: 'wrong-password' }));
    await expect.poll(() => page.locator('[data-testid=seal-preview] img').count()).toBe(1);
    await page.getByTestId('seal-import-submit').click();
    await expect.poll(() => page.getByTestId('seal-error').innerText(), { timeout: 15_000 }).toContain('数字证书密码错误');
    expect(await page.getByTestId('seal-error').innerText()).toContain('印章设置未更改');
    expect(await card.getByTestId('seal-state').innerText()).toContain('样章');

    await page.getByTestId('seal-password').fill(PASSWORD);
    await page.getByTestId('seal-import-submit').click();
    await expect.poll(() => page.getByTestId('seal-done').innerText(), { timeout: 15_000 }).toContain('已导入');
    expect(await card.getByTestId('seal-state').innerText()).toContain('已使用本单位印章');
    expect(await card.getByTestId('seal-subject').innerText()).toBe('齐河县行政审批服务局');
    expect(await card.getByTestId('seal-fingerprint').innerText()).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(await page.getByTestId('seal-history').innerText()).toContain('管理员（9999）');
    // The import reaches the hall's audit trail: who, from which device, which certificate (signed in without a window).
    const fingerprint = (await card.getByTestId('seal-fingerprint').innerText()).replace(/:/g, '').toLowerCase();
    const audited = async () =>
      (await runCli(['hall', 'audit', '--data', hallDir, '--staff', '9999'])).trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { what: string; window: string; caseId: string | null; detail?: { fingerprint?: string; subject?: string } });
    await expect.poll(async () => (await audited()).map((l) => l.what), { timeout: 15_000 }).toEqual(['seal.imported']);
    expect((await audited())[0]).toMatchObject({ window: '', caseId: null, detail: { fingerprint, subject: '齐河县行政审批服务局' } });

    // The picture: the configured office, with a seal image chosen again to show the preview.
    await page.getByTestId('seal-image-file').setInputFiles({ name: 'qihe-seal.png', mimeType: 'image/png', buffer: seal });
    await page.locator('[data-testid=seal-preview] img').waitFor();
    await screenshot(page, 'seal-settings', { fullPage: true });
  }, 60_000);

  it('a supervisor at the same workstation gets no 印章设置 tab, and the backend refuses the methods', async () => {
    await page.getByTestId('btn-signout').click();
    // The workstation offers 值班登录 again, as last used here.
    await expect.poll(() => page.getByTestId('signin-window').inputValue()).toBe(NO_SEAT);
    await signIn('9001');
    expect(await page.getByTestId('tab-history').count()).toBe(1);
    expect(await page.getByTestId('tab-seal').count()).toBe(0);
    const r = await page.evaluate(() => (window as unknown as { onewindow: { invoke(m: string, i: unknown): Promise<unknown> } }).onewindow.invoke('seal.status', {}));
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  }, 60_000);
});
