/**
 * Intake (受理) end to end, through the real UI in Chromium: a real hall server process, a
 * workstation in a browser-preview process (real backend, own SQLite cache). A clerk calls a ticket,
 * opens 企业开办, answers the situations, fills the one form, attaches files and accepts; issues a
 * one-time notice; accepts while the hall server is down, the case synced with its official number
 * when it returns; and finds a draft again after the workstation restarts.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { creditCheckChar } from '../../shared/checks/credit-code.js';
import { idCheckChar } from '../../shared/checks/id-number.js';
import { dropFiles, fixtureFiles, screenshot, SCREENSHOTS, startHall, startPreview, takeTicket } from './harness.js';
import { clerkAtWindow } from './clerk-at-window.js';

const OFFICE = 'qihe-county';
const BUNDLE = 'enterprise-opening';

const first17 = '37142519850612031';
const GOOD_ID = first17 + idCheckChar(first17);
const BAD_ID = first17 + (idCheckChar(first17) === '0' ? '1' : '0');
const USCC17 = '91371425MA3C12345';
const GOOD_USCC = USCC17 + creditCheckChar(USCC17);

const s = clerkAtWindow('intake');

const byId = (id: string) => s.clerk.getByTestId(id);
const text = (id: string) => byId(id).innerText();
const attr = (id: string, name: string) => byId(id).getAttribute(name);

/** Plausible values for the fields of 企业开办 and 门头招牌 (the screenshots show them). */
const KNOWN: Record<string, string> = {
  'enterprise.name': '齐河县明达餐饮管理有限公司',
  'enterprise.industry': '餐饮管理',
  'enterprise.businessScope': '餐饮服务；餐饮管理；食品销售（仅销售预包装食品）',
  'enterprise.registeredCapital': '500000',
  'enterprise.employeeCount': '12',
  'enterprise.accountantName': '李秀梅',
  'enterprise.bankName': '齐河农商银行晏城支行',
  'enterprise.bankAccount': '914000012345678901',
  'socialInsurance.types': '养老、医疗、失业、工伤、生育',
  'socialInsurance.insuredCount': '12',
  'housingFund.depositRate': '12',
  'housingFund.depositBase': '4500',
  'seal.quantity': '4',
  'seal.kinds': '公章、财务专用章、发票专用章、合同专用章',
  'tax.monthlyInvoiceLimit': '100000',
};

/** A valid value for a form field of the catalog, by its key and type. */
function valueFor(key: string, type: string): string {
  if (KNOWN[key]) return KNOWN[key];
  if (key.endsWith('.name')) return '张明远';
  switch (type) {
    case 'idNumber':
      return GOOD_ID;
    case 'uscc':
      return GOOD_USCC;
    case 'phone':
      return '13805341234';
    case 'date':
      return /until|end|expir/i.test(key) ? '2035-06-30' : '2020-05-01';
    case 'number':
      return '5';
    case 'money':
      return '1000000';
    case 'area':
      return '120';
    case 'address':
      return '山东省德州市齐河县晏城街道齐鲁大街88号';
    default:
      return '测试内容';
  }
}

/** Fills every empty field of the open case's form with a valid value (each field appears once). */
async function fillForm(page: Page, skip: readonly string[] = []) {
  const fields = page.locator('[data-testid^="field-"][data-type]');
  const n = await fields.count();
  for (let i = 0; i < n; i++) {
    const f = fields.nth(i);
    const key = (await f.getAttribute('data-testid'))!.slice('field-'.length);
    if (skip.includes(key)) continue;
    const type = (await f.getAttribute('data-type'))!;
    if ((await f.inputValue()) !== '') continue;
    if (type === 'enum') await f.selectOption({ index: 1 });
    else if (type === 'boolean') await f.selectOption('false');
    else await f.fill(valueFor(key, type));
  }
  await page.locator('body').click({ position: { x: 5, y: 5 } }); // leave the last field: it saves
  await settled(page);
}

/** Waits until the form has nothing unsaved. */
async function settled(page: Page) {
  await expect.poll(() => page.getByTestId('form-save-state').getAttribute('data-unsaved'), { timeout: 15_000 }).toBe('0');
  await expect.poll(() => page.getByTestId('form-save-state').getAttribute('data-saving')).toBe('0');
}

async function serveNextTicket(board = 'A'): Promise<string> {
  if (await byId('btn-finish').isEnabled()) await finishTicket(); // left over by a failed test before
  const t = await takeTicket(s.hall.url, OFFICE, board);
  await expect.poll(() => text(`board-waiting-${board}`), { timeout: 10_000 }).not.toBe('0');
  await byId('btn-call-next').click();
  await expect.poll(() => text('current-number'), { timeout: 10_000 }).toBe(t.number);
  await byId('btn-start').click();
  await expect.poll(() => text('current-status')).toContain('办理中');
  await byId('intake-search').waitFor();
  return t.number;
}

async function openSubject(query: string, code: string) {
  await byId('intake-search').fill(query);
  await byId(`intake-hit-${code}`).click();
  await byId('btn-open-case').click();
  await byId('case').waitFor();
}

async function finishTicket() {
  await byId('btn-finish').click();
  await expect.poll(() => byId('current-number').count(), { timeout: 10_000 }).toBe(0);
}

const caseId = async () => (await attr('case', 'data-case-id'))!;

describe('intake through the real UI', () => {
  it('企业开办: situations, one form, attachments, accepted and listed under its ticket', async () => {
    const ticket = await serveNextTicket();

    // Found by pinyin initials, with its board and time limit.
    await byId('intake-search').fill('qykb');
    const hit = byId(`intake-hit-${BUNDLE}`);
    await expect.poll(() => hit.innerText()).toContain('拼音首字母');
    expect(await hit.innerText()).toContain('企业开办');
    expect(await hit.innerText()).toContain('市场准入');
    // The picture shows a broader search: bundles and single matters with their badges.
    if (SCREENSHOTS) {
      await byId('intake-search').fill('登记');
      await expect.poll(() => s.clerk.locator('[data-testid^="intake-hit-"]').count()).toBeGreaterThan(5);
      await screenshot(s.clerk, 'intake-search');
      await byId('intake-search').fill('qykb');
      await expect.poll(() => hit.innerText()).toContain('拼音首字母');
    }
    // By keyboard: Enter picks the first hit, Enter again opens the case for the ticket.
    await byId('intake-search').press('Enter');
    await byId('btn-open-case').waitFor();
    await s.clerk.keyboard.press('Enter');
    await byId('case').waitFor();
    expect(await text('case-status')).toContain('草稿');

    // Situations change the checklist live: a lease contract only for rented premises.
    await byId('situation-premises-rented').click();
    await byId('material-premises.leaseContract').waitFor();
    await byId('situation-premises-owned').click();
    await expect.poll(() => byId('material-premises.leaseContract').count()).toBe(0);
    await byId('situation-premises-rented').click();
    await byId('material-premises.leaseContract').waitFor();
    for (const [q, a] of [['agent', 'no'], ['seal', 'yes'], ['invoice', 'yes']] as const) {
      await byId(`situation-${q}-${a}`).click();
      await expect.poll(() => attr(`situation-${q}-${a}`, 'aria-checked')).toBe('true');
    }
    await byId('situation-taxpayer-small-scale').click();
    // All answered: the questions fold into one line of answers, the form and checklist get the room.
    await expect.poll(() => text('situations-open')).toContain('已全部回答');
    expect(await text('situations-summary')).toContain('租赁房屋');

    // One form: the legal representative's ID number is asked once for all the matters that need it.
    expect(await byId('field-legalRep.idNumber').count()).toBe(1);
    expect(await text('field-hint-legalRep.idNumber')).toMatch(/用于：.+、/);

    // A wrong ID number is shown inline and blocks acceptance.
    await byId('field-legalRep.idNumber').fill(BAD_ID);
    await fillForm(s.clerk, ['legalRep.idNumber']);
    await byId('field-error-legalRep.idNumber').waitFor();
    expect(await text('field-error-legalRep.idNumber')).toContain('校验');
    await byId('intake').evaluate((el) => el.scrollTo({ top: 0 }));
    await screenshot(s.clerk, 'intake-bundle-form');

    // Files: a PNG through the file picker, a PDF dropped on its material.
    const files = fixtureFiles();
    await byId('material-file-legalRep.idCard').setInputFiles(files.png);
    await expect.poll(() => byId('material-attachments-legalRep.idCard').innerText()).toContain(files.png.name);
    await dropFiles(s.clerk, 'material-enterprise.articles', [files.pdf]);
    await expect.poll(() => byId('material-attachments-enterprise.articles').innerText()).toContain(files.pdf.name);
    expect(await attr('material-legalRep.idCard', 'data-status')).toBe('present');
    await byId('btn-mark-all-present').click();
    await expect.poll(() => s.clerk.locator('[data-testid^="material-"][data-status="missing"]').count(), { timeout: 10_000 }).toBe(0);

    // 告知承诺 is offered only where the catalog allows a signed commitment instead of the paper.
    const choices = (id: string) => byId(`material-status-${id}`).locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(await choices('premises.propertyCertificate')).toContain('commitment');
    expect(await choices('legalRep.idCard')).not.toContain('commitment');
    expect(await choices('legalRep.idCard')).not.toContain('supplement_later');
    await byId('material-status-premises.propertyCertificate').selectOption('commitment');
    await expect.poll(() => attr('material-premises.propertyCertificate', 'data-status')).toBe('commitment');

    // Still not acceptable: the ID number is wrong; the blocker says so.
    expect(await byId('btn-accept').isDisabled()).toBe(true);
    expect(await attr('accept-blockers', 'title')).toContain('公民身份号码');
    await byId('material-legalRep.idCard').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(s.clerk, 'intake-checklist');

    await byId('field-legalRep.idNumber').fill(GOOD_ID);
    await byId('field-legalRep.idNumber').blur();
    await settled(s.clerk);
    await expect.poll(() => byId('field-error-legalRep.idNumber').count()).toBe(0);
    await expect.poll(() => byId('btn-accept').isEnabled(), { timeout: 10_000 }).toBe(true);
    await byId('btn-accept').click();
    await byId('btn-accept-confirm').click();
    await expect.poll(() => text('case-status')).toContain('已受理');
    expect(await text('case-promised')).toMatch(/\d{4}-\d{2}-\d{2}/);
    const id = await caseId();
    const row = byId(`today-case-${id}`);
    await row.waitFor();
    expect(await row.getAttribute('data-ticket')).toBe(ticket);
    await expect.poll(() => row.getAttribute('data-status')).toBe('ACCEPTED');
    await expect.poll(() => attr('case-no', 'data-official'), { timeout: 15_000 }).toBe('1');
    await expect.poll(() => attr('case-sync', 'data-pending'), { timeout: 15_000 }).toBe('0');
    await screenshot(s.clerk, 'intake-accepted');
    await finishTicket();

    // Reopened from today's list: its history names each action, who and where, all synced.
    await byId(`today-case-${id}`).click();
    await expect.poll(() => attr('case', 'data-case-id')).toBe(id);
    expect(await text('case-status')).toContain('已受理');
    expect(await byId('history-item').count()).toBeGreaterThan(3);
    expect(await text('case-history')).toContain('1001');
    await expect.poll(() => s.clerk.locator('[data-testid="history-item"][data-sync="pending"]').count(), { timeout: 10_000 }).toBe(0);
    await byId('btn-close-case').click();
    await expect.poll(() => byId('case').count()).toBe(0);
  }, 60_000);

  it('a one-time notice lists exactly the missing items, each once', async () => {
    await serveNextTicket('B');
    await openSubject('高龄', '37142500-MZ-003');
    await byId('field-applicant.name').fill('王秀英');
    await byId('field-applicant.phone').fill('13905345678');
    await byId('material-file-applicant.idCard').setInputFiles(fixtureFiles().png);
    await expect.poll(() => attr('material-applicant.idCard', 'data-status')).toBe('present');
    await s.clerk.locator('body').click({ position: { x: 5, y: 5 } });
    await settled(s.clerk);

    // What the screen says is missing: required materials not received, required fields left empty.
    const missingMaterials = await s.clerk
      .locator('[data-testid^="material-"][data-required="1"][data-status="missing"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('material-'.length)).sort());
    const emptyFields = await s.clerk
      .locator('[data-testid^="field-"][data-type][data-required="1"]')
      .evaluateAll((els) => els.filter((e) => (e as HTMLInputElement).value === '').map((e) => e.getAttribute('data-testid')!.slice('field-'.length)).sort());
    expect(missingMaterials).toEqual(['applicant.bankCard', 'elderly.allowanceApplication']);
    expect(emptyFields).toEqual(['applicant.bankAccount', 'applicant.bankName', 'applicant.birthDate', 'applicant.idNumber']);

    await byId('btn-notice').click();
    const items = byId('notice-item');
    await items.first().waitFor();
    const listed = await items.evaluateAll((els) => els.map((e) => ({ m: e.getAttribute('data-material'), f: e.getAttribute('data-field') })));
    expect(listed.filter((x) => x.m).map((x) => x.m).sort()).toEqual(missingMaterials);
    expect(listed.filter((x) => x.f).map((x) => x.f).sort()).toEqual(emptyFields);
    expect(listed).toHaveLength(missingMaterials.length + emptyFields.length);
    await screenshot(s.clerk, 'intake-notice');
    await byId('btn-notice-confirm').click();
    await expect.poll(() => text('case-status')).toContain('一次性告知');
    expect(await byId('issued-notice-item').count()).toBe(listed.length);
    await finishTicket();
  }, 40_000);

  it('accepted while the hall server is down: provisional number, pending grows with its age, then synced with the official number', async () => {
    await serveNextTicket();
    await expect.poll(() => attr('sync-pending', 'data-pending'), { timeout: 15_000 }).toBe('0');
    const port = new URL(s.hall.url).port;
    await s.hall.kill('SIGKILL');
    await byId('offline-banner').waitFor({ timeout: 10_000 });

    await openSubject('门头', '37142500-ZHZF-001');
    await fillForm(s.clerk);
    await byId('btn-mark-all-present').click();
    await expect.poll(() => byId('btn-accept').isEnabled(), { timeout: 10_000 }).toBe(true);
    await byId('btn-accept').click();
    await byId('btn-accept-confirm').click();
    await expect.poll(() => text('case-status')).toContain('已受理');
    expect(await attr('case-no', 'data-official')).toBe('0');
    expect(await text('case-no')).toContain('待同步');
    const provisional = (await attr('case-no', 'data-case-no'))!;
    const id = await caseId();

    const pendingNow = Number(await attr('sync-pending', 'data-pending'));
    expect(pendingNow).toBeGreaterThan(0);
    expect(Number(await attr('case-sync', 'data-pending'))).toBeGreaterThan(0);
    await expect.poll(async () => Number(await attr('sync-pending', 'data-oldest-age-s')), { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    expect(await text('sync-pending')).toMatch(/最早 \d+ 秒前/);
    await screenshot(s.clerk, 'intake-offline');

    s.hall = await startHall(s.hallDir, Number(port));
    await expect.poll(() => byId('offline-banner').count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => attr('sync-pending', 'data-pending'), { timeout: 20_000 }).toBe('0');
    await expect.poll(() => attr('case-no', 'data-official'), { timeout: 20_000 }).toBe('1');
    const official = (await attr('case-no', 'data-case-no'))!;
    expect(official).not.toBe(provisional);
    expect(await byId(`today-case-${id}`).getAttribute('data-case-no')).toBe(official);

    // The hall has the case, accepted, under that number.
    const onHall = hallCase(s.hallDir, id);
    expect(onHall).toMatchObject({ caseNo: official, status: 'ACCEPTED' });
  }, 60_000);

  it('a draft survives a restart of the workstation: it reopens with what was typed', async () => {
    await serveNextTicket();
    await openSubject('门头', '37142500-ZHZF-001');
    await byId('field-enterprise.name').fill('齐河县老街烧烤店');
    await byId('field-legalRep.phone').fill('13905341111');
    await byId('field-legalRep.phone').blur();
    await settled(s.clerk);
    const id = await caseId();

    await s.ws.kill('SIGKILL');
    s.ws = await startPreview(s.wsDir, s.hall.url);
    await s.clerk.goto(s.ws.url);
    await s.clerk.locator('[data-testid="signin-staff"], [data-testid="case"]').first().waitFor({ timeout: 15_000 });
    if (await byId('signin-staff').isVisible()) {
      await byId('signin-staff').fill('1001');
      await byId('signin-pin').fill('123456');
      await byId('signin-window').selectOption(`${OFFICE}/1`);
      await byId('signin-submit').click();
    }
    await expect.poll(() => attr('case', 'data-case-id'), { timeout: 15_000 }).toBe(id);
    expect(await byId('field-enterprise.name').inputValue()).toBe('齐河县老街烧烤店');
    expect(await byId('field-legalRep.phone').inputValue()).toBe('13905341111');
    expect(await attr(`today-case-${id}`, 'data-status')).toBe('DRAFT');
  }, 60_000);
});

/** The case as the hall server's database holds it. */
function hallCase(dir: string, id: string): { caseNo: string | null; status: string } | undefined {
  const db = new Database(path.join(dir, 'hall.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT case_no AS caseNo, status FROM "case" WHERE case_id = ?').get(id) as { caseNo: string | null; status: string } | undefined;
  } finally {
    db.close();
  }
}
