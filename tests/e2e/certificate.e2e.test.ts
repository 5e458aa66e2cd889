/**
 * 智能制证 end to end, through the real UI in Chromium: a real hall server process and a workstation
 * in a browser-preview process. A clerk accepts 门头招牌设置备案, approves it, issues its document
 * (制证), previews it, saves it (a download happens: a signed PDF), prints two copies and sees the
 * print recorded in the case; the hall's verification page knows the document; revoked, it says so.
 *
 * Printing: this machine has no CUPS. The preview process gets fake `lpstat` and `lp` first on its
 * PATH (shell scripts written below): `lpstat` names two printers, `lp` copies the job's PDF into a
 * folder with the printer and the copies in its name. So the test checks what the workstation hands
 * to CUPS, not that paper comes out.
 */
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { callAndServe, fillEmptyFields, openCase, screenshot, tempDir } from './harness.js';
import { clerkAtWindow } from './clerk-at-window.js';

const OFFICE = 'qihe-county';
const MATTER = '37142500-ZHZF-001'; // 门头招牌设置备案: board A, approved by a clerk, result 门头招牌设置备案回执 (generic_filing_receipt)

let jobsDir: string;
const s = clerkAtWindow('certificate', { pathDir: fakeCups, context: { acceptDownloads: true } });

const byId = (id: string) => s.clerk.getByTestId(id);
const text = (id: string) => byId(id).innerText();

/** Fake CUPS commands in a folder put first on the preview process's PATH (see the top of this file). */
function fakeCups(): string {
  const bin = tempDir('e2e-cert-cups');
  jobsDir = path.join(bin, 'jobs');
  mkdirSync(jobsDir);
  writeFileSync(
    path.join(bin, 'lpstat'),
    `#!/bin/sh\nif [ "$1" = "-e" ]; then printf 'Hall_Laser\\nCertificate_Printer\\n'; fi\nif [ "$1" = "-d" ]; then echo "system default destination: Hall_Laser"; fi\n`,
  );
  // lp -d PRINTER -n COPIES -t TITLE -o fit-to-page FILE
  writeFileSync(path.join(bin, 'lp'), `#!/bin/sh\ncp "$9" "${jobsDir}/$2-x$4.pdf"\necho "request id is $2-1 (1 file(s))"\n`);
  chmodSync(path.join(bin, 'lpstat'), 0o755);
  chmodSync(path.join(bin, 'lp'), 0o755);
  return bin;
}

const VALUES: Record<string, string> = {
  'enterprise.name': '齐河县明达餐饮管理有限公司',
  'legalRep.name': '张明远',
  'applicant.name': '张明远',
};

/** A plausible value for an empty form field of this test's matter. */
const valueFor = (key: string, type: string): string =>
  VALUES[key] ?? ({ idNumber: '371425198506120318', uscc: '91371425MA3C123458', phone: '13805341234', date: '2026-06-01', number: '2', money: '20000', area: '6', address: '山东省德州市齐河县晏城街道齐鲁大街88号' } as Record<string, string>)[type] ?? (key.endsWith('.name') ? '张明远' : '门头招牌“明达餐饮”，长6米、高1米，LED发光字');

describe('certificates through the real UI', () => {
  it('approve a case, issue its document, preview it, save it (download), print two copies: the print is recorded in the case', async () => {
    await callAndServe(s.clerk, s.hall.url, OFFICE);
    await openCase(s.clerk, '门头招牌', MATTER);
    await fillEmptyFields(s.clerk, valueFor);
    await byId('btn-mark-all-present').click();
    await expect.poll(() => s.clerk.locator('[data-testid^="material-"][data-status="missing"]').count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => byId('btn-accept').isEnabled(), { timeout: 10_000 }).toBe(true);
    await byId('btn-accept').click();
    await byId('btn-accept-confirm').click();
    await expect.poll(() => text('case-status')).toContain('已受理');
    // Accepted: the 受理通知书 is at hand in the documents card; not yet a document to issue.
    await byId('notice-acceptance_notice').waitFor();
    expect(await byId('btn-issue-documents').count()).toBe(0);
    const [notice] = await Promise.all([s.clerk.waitForEvent('download'), byId('notice-acceptance_notice').getByRole('button', { name: '保存' }).click()]);
    expect(notice.suggestedFilename()).toBe(`受理通知书-齐审批受〔${new Date().getFullYear()}〕1号.pdf`);

    await byId('btn-approve').click();
    await expect.poll(() => text('case-status')).toContain('已批准');
    await byId('btn-issue-documents').click();
    const row = byId('certificate-row');
    await row.waitFor({ timeout: 20_000 });
    await expect.poll(() => text('case-status')).toContain('已制证');
    const year = new Date().getFullYear();
    const documentNo = (await row.getAttribute('data-document-no'))!;
    expect(documentNo).toBe(`齐审批备〔${year}〕1号`);
    expect(await row.innerText()).toContain('门头招牌设置备案');
    expect(await row.getAttribute('data-prints')).toBe('0');

    // 预览: the PDF in a frame from a blob: URL (the CSP allows blob: frames, nothing else).
    await byId('btn-cert-preview').click();
    const frame = byId('certificate-preview-frame');
    await frame.waitFor();
    expect(await frame.getAttribute('src')).toMatch(/^blob:/);
    await s.clerk.waitForTimeout(1500); // the PDF viewer draws the page
    await screenshot(s.clerk, 'certificate-preview');

    // 保存: a download of the signed PDF under the document's name.
    const [download] = await Promise.all([s.clerk.waitForEvent('download'), byId('btn-preview-save').click()]);
    expect(download.suggestedFilename()).toBe(`门头招牌设置备案回执-${documentNo}.pdf`);
    const saved = path.join(tempDir('e2e-cert-download'), download.suggestedFilename());
    await download.saveAs(saved);
    const pdf = readFileSync(saved);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.includes(Buffer.from('/ByteRange'))).toBe(true);
    await s.clerk.keyboard.press('Escape');
    await expect.poll(() => byId('certificate-preview').count()).toBe(0);

    // 打印: printers from CUPS, two copies; recorded in the case with its count.
    await byId('btn-cert-print').click();
    await expect.poll(() => byId('print-printer').locator('option').count(), { timeout: 10_000 }).toBe(2);
    expect(await byId('print-printer').inputValue()).toBe('Hall_Laser');
    await byId('print-printer').selectOption('Certificate_Printer');
    await byId('print-copies').fill('2');
    await byId('btn-print-confirm').click();
    await expect.poll(() => row.getAttribute('data-prints'), { timeout: 10_000 }).toBe('2');
    expect(await text('certificate-prints')).toBe('已打印 2 份');
    expect(readdirSync(jobsDir)).toEqual(['Certificate_Printer-x2.pdf']);
    const printed = readFileSync(path.join(jobsDir, 'Certificate_Printer-x2.pdf'));
    expect(createHash('sha256').update(printed).digest('hex')).toBe(createHash('sha256').update(pdf).digest('hex'));
    await expect.poll(() => byId('case-history').innerText()).toContain(`${documentNo} × 2`);
    expect(await byId('btn-cert-print').innerText()).toBe('补打');
    await byId('intake').evaluate((el) => el.scrollTo({ top: 0 }));
    await screenshot(s.clerk, 'certificate-printed');

    // The hall knows the document once the case is synced: its verification page.
    await expect.poll(() => byId('case-sync').getAttribute('data-pending'), { timeout: 15_000 }).toBe('0');
    const verifyId = /(?:\/verify\/|OneWindow \w+ )([A-Z2-7]{26})/.exec(pdf.toString('latin1'))?.[1];
    expect(verifyId).toBeDefined();
    const onHall = (await (await fetch(`${s.hall.url}/verify/${verifyId}?format=json`)).json()) as { found: boolean; signatureValid: boolean; record: { record: { number: string } } };
    expect(onHall).toMatchObject({ found: true, signatureValid: true, record: { record: { number: documentNo } } });

    // 撤销 with a reason: shown in the case, printing no longer offered, and the hall's page says so.
    await byId('btn-cert-revoke').click();
    await byId('revoke-dialog').getByRole('button', { name: '证载信息有误，收回重新出具' }).click();
    await byId('btn-revoke-confirm').click();
    await expect.poll(() => row.getAttribute('data-revoked'), { timeout: 10_000 }).toBe('1');
    expect(await row.innerText()).toContain('已撤销：证载信息有误，收回重新出具');
    expect(await byId('btn-cert-print').isDisabled()).toBe(true);
    await expect.poll(() => byId('case-sync').getAttribute('data-pending'), { timeout: 15_000 }).toBe('0');
    const revoked = (await (await fetch(`${s.hall.url}/verify/${verifyId}?format=json`)).json()) as { revoked: boolean; revocation: { reason: string } };
    expect(revoked).toMatchObject({ revoked: true, revocation: { reason: '证载信息有误，收回重新出具' } });
  }, 120_000);
});
