/**
 * Decision fields end to end, through the real UI in Chromium (a real hall server process and a
 * workstation in a browser-preview process): 个体工商户设立登记 is marked for 秒批, but the
 * 统一社会信用代码 its 营业执照 prints is assigned only when it is registered — so on 受理 it stays
 * 已受理 with the reason shown; 批准 asks the code in a dialog that shows a wrong check character at
 * once, in Chinese; with a valid code the case is approved and its 营业执照 issued.
 */
import { describe, expect, it } from 'vitest';
import { creditCheckChar } from '../../shared/checks/credit-code.js';
import { callAndServe, fillEmptyFields, openCase, screenshot } from './harness.js';
import { clerkAtWindow } from './clerk-at-window.js';

const OFFICE = 'qihe-county';
const MATTER = '37142500-XZSP-003'; // 个体工商户设立登记: 秒批, decision field enterprise.uscc
const FIRST17 = '92371425MA3D5R8K2';
const CODE = `${FIRST17}${creditCheckChar(FIRST17)}`;
const WRONG = `${FIRST17}${creditCheckChar(FIRST17) === '0' ? '1' : '0'}`;

const s = clerkAtWindow('decision');
const byId = (id: string) => s.clerk.getByTestId(id);
const text = (id: string) => byId(id).innerText();

const VALUES: Record<string, string> = { 'enterprise.name': '齐河县晏城明远百货店', 'legalRep.name': '张明远', 'enterprise.businessScope': '日用百货零售' };

/** A plausible value for an empty form field of this test's matter. */
const valueFor = (key: string, type: string): string =>
  VALUES[key] ?? ({ idNumber: '371425198506120318', phone: '13805341234', date: '2036-06-01', number: '2', money: '20000', area: '60', address: '山东省德州市齐河县晏城街道齐鲁大街88号' } as Record<string, string>)[type] ?? '按规定办理';

describe('a value known only at the decision, through the real UI', () => {
  it('秒批 waits for the clerk with the reason shown; 批准 asks the credit code, refuses a wrong check character at once, then issues the 营业执照', async () => {
    await callAndServe(s.clerk, s.hall.url, OFFICE);
    await openCase(s.clerk, '个体工商户设立', MATTER);
    expect(await byId('field-enterprise.uscc').count()).toBe(0); // not asked at 受理
    // Each situation answered 否 (its last button), one after another: each answer saves and re-renders
    // the list, which folds away once every question is answered.
    for (let i = 0; i < 20 && (await byId('situations-open').innerText()).indexOf('已全部回答') < 0; i++) {
      const open = s.clerk.locator('.situation').filter({ hasNot: s.clerk.locator('button[aria-checked="true"]') });
      if ((await open.count()) === 0) break;
      await open.first().locator('button').last().click();
      await s.clerk.waitForTimeout(200);
    }
    await expect.poll(() => byId('situations-open').innerText(), { timeout: 10_000 }).toContain('已全部回答');
    await fillEmptyFields(s.clerk, valueFor);
    await byId('btn-mark-all-present').click();
    await expect.poll(() => s.clerk.locator('[data-testid^="material-"][data-status="missing"]').count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => byId('btn-accept').isEnabled(), { timeout: 10_000 }).toBe(true);
    await byId('btn-accept').click();
    await byId('btn-accept-confirm').click();
    await expect.poll(() => text('case-status')).toContain('已受理');
    expect(await text('footer-note')).toContain('未自动秒批：“个体工商户设立登记”的统一社会信用代码在作出决定时才确定，须由窗口人员批准时填写');

    await byId('btn-approve').click();
    const dialog = byId('approve-dialog');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('统一社会信用代码');
    await byId('decision-enterprise.uscc').fill(WRONG);
    await expect.poll(() => text('decision-error-enterprise.uscc')).toContain('校验码不符');
    expect(await byId('btn-approve-confirm').isDisabled()).toBe(true);
    await screenshot(s.clerk, 'approve-decision-fields');
    await byId('decision-enterprise.uscc').fill(CODE);
    await expect.poll(() => byId('decision-error-enterprise.uscc').count()).toBe(0);
    await byId('btn-approve-confirm').click();
    await expect.poll(() => text('case-status')).toContain('已批准');
    await byId('btn-issue-documents').click();
    const row = byId('certificate-row');
    await row.waitFor({ timeout: 20_000 });
    expect(await row.innerText()).toContain('营业执照');
  }, 120_000);
});
