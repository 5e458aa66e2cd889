/**
 * The comparison checks (智能比对) through the real UI in Chromium: a real hall server process and a
 * workstation in a browser-preview process (real backend, own SQLite cache).
 *  (a) a name typed in the form that differs from the ID card's name: a blocking finding that points
 *      at both sources (the form field, the card's page), 受理 refused; fixed in the form, it goes;
 *  (b) an ID card whose validity ended before today: its finding, 受理 refused;
 *  (c) a warning let through with a written reason: accepted, the reason in the case history and in
 *      the hall's audit trail (`onewindow hall audit`: the case log's decisions and the data views).
 *
 * How the ID card's reading gets into the case: through the capture UI (拍照/扫描 on the ID-card
 * material, the file tab), with a generated picture of a card (tests/capture/generator, whose ground
 * truth says what is printed on it); the real OCR worker reads it and the case records the reading
 * (document_read). The clerk closes the suggestions without taking them, so the form keeps what the
 * clerk typed.
 */
import { describe, expect, it } from 'vitest';
import { generateDocument, type SyntheticDocument } from '../capture/generator/index.js';
import { runCli } from '../support/cli.js';
import { callAndServe, dropFiles, openCase, screenshot } from './harness.js';
import { clerkAtWindow } from './clerk-at-window.js';

const OFFICE = 'qihe-county';
const NAME_DECLARATION = '37142500-XZSP-001'; // 企业名称自主申报: legal representative, ID card
const SIGNBOARD = '37142500-ZHZF-001'; // 门头招牌设置备案: a phone number, no ID card

const MATERIAL = 'legalRep.idCard';

const s = clerkAtWindow('checks');

const byId = (id: string) => s.clerk.getByTestId(id);
const text = (id: string) => byId(id).innerText();
const finding = (ruleId: string) => s.clerk.locator(`[data-testid="finding"][data-rule="${ruleId}"]`);

/** Waits until the form has nothing unsaved. */
async function settled() {
  await expect.poll(() => byId('form-save-state').getAttribute('data-unsaved'), { timeout: 15_000 }).toBe('0');
  await expect.poll(() => byId('form-save-state').getAttribute('data-saving')).toBe('0');
}

/** Types values into the form (leaving each field saves it). */
async function fill(values: Record<string, string>) {
  for (const [key, v] of Object.entries(values)) {
    const f = byId(`field-${key}`);
    if ((await f.evaluate((el) => el.tagName)) === 'SELECT') await f.selectOption({ index: 1 });
    else await f.fill(v);
    await f.blur();
  }
  await settled();
}

async function serveAndOpen(query: string, code: string): Promise<string> {
  if (await byId('btn-finish').isEnabled()) await finishTicket();
  await callAndServe(s.clerk, s.hall.url, OFFICE);
  return openCase(s.clerk, query, code);
}

async function finishTicket() {
  await byId('btn-finish').click();
  await expect.poll(() => byId('current-number').count(), { timeout: 10_000 }).toBe(0);
}

/**
 * 拍照/扫描 on the ID-card material, the file tab, the picture dropped: capture reads it (real OCR) and
 * the case records the reading. The suggestions are closed without taking them.
 */
async function captureIdCard(card: SyntheticDocument, read?: { key: string; value: string }) {
  await byId(`material-capture-${MATERIAL}`).click();
  await byId('capture-dialog').waitFor();
  await byId('capture-tab-file').click();
  await dropFiles(s.clerk, 'capture-drop', [{ name: `身份证.${card.ext}`, mimeType: card.ext === 'png' ? 'image/png' : 'image/jpeg', buffer: card.image }]);
  await byId('capture-suggestions').waitFor({ timeout: 60_000 });
  // What the page was read as, where the form has a field for it (a misread would make the rest meaningless).
  if (read) await expect.poll(() => byId(`capture-suggestion-${read.key}`).innerText()).toContain(read.value);
  await s.clerk.keyboard.press('Escape');
  await expect.poll(() => byId('capture-dialog').count()).toBe(0);
  await expect.poll(() => byId(`material-${MATERIAL}`).getAttribute('data-status')).toBe('present');
}

/** Another name: the card's with its last character changed. */
function otherName(name: string): string {
  const chars = Array.from(name);
  chars[chars.length - 1] = chars[chars.length - 1] === '达' ? '远' : '达';
  return chars.join('');
}

/** An ISO date `days` from today (negative: in the past), in the hall's time zone. */
function isoDaysFromToday(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + days * 86_400_000));
}

describe('comparison checks through the real UI', () => {
  it('a name typed in the form that differs from the ID card: blocking, pointing at both sources; 受理 refused until fixed', async () => {
    const card = await generateDocument('idcard_front', 3, 'scan');
    const onCard = card.truth.fields.name!;
    const typed = otherName(onCard);
    await serveAndOpen('名称自主申报', NAME_DECLARATION);
    await captureIdCard(card, { key: 'legalRep.name', value: onCard });
    await fill({
      'enterprise.name': '齐河县明达餐饮管理有限公司',
      'enterprise.industry': '餐饮管理',
      'enterprise.type': '',
      'legalRep.name': typed,
      'legalRep.idNumber': card.truth.fields.idNumber!,
      'legalRep.phone': '13805341234',
    });
    await byId('btn-mark-all-present').click();
    await expect.poll(() => s.clerk.locator('[data-testid^="material-"][data-status="missing"]').count(), { timeout: 10_000 }).toBe(0);

    const ruleId = `form:legalRep.name=${MATERIAL}.name`;
    const f = finding(ruleId);
    await expect.poll(() => f.getAttribute('data-severity'), { timeout: 10_000 }).toBe('blocking');
    const message = await f.locator('[data-testid="finding-message"]').innerText();
    expect(message).toContain(typed);
    expect(message).toContain(onCard);
    // Both sources: the form field (a link to it) and the card's page (a link to the material).
    const values = f.locator('[data-testid="finding-value"]');
    expect(await values.evaluateAll((els) => els.map((e) => e.getAttribute('data-source-kind')))).toEqual(['form', 'page']);
    expect(await values.nth(0).innerText()).toContain(typed);
    expect(await values.nth(1).innerText()).toContain(onCard);
    const sources = f.locator('[data-testid="finding-source"]');
    expect(await sources.nth(0).getAttribute('data-field')).toBe('legalRep.name');
    expect(await sources.nth(0).innerText()).toContain('表单「');
    expect(await sources.nth(1).getAttribute('data-material')).toBe(MATERIAL);
    expect(await sources.nth(1).innerText()).toMatch(/第1页/);
    // A blocking finding cannot be let through: no reason control.
    expect(await f.locator('[data-testid="override-open"]').count()).toBe(0);
    // 受理 refused: the button is disabled, the footer says why, F8 opens nothing.
    expect(await byId('btn-accept').isDisabled()).toBe(true);
    expect(await byId('accept-blockers').getAttribute('title')).toContain('不一致');
    await s.clerk.keyboard.press('F8');
    expect(await byId('accept-dialog').count()).toBe(0);
    // The page source shows the card's page under the finding, where the name was read outlined.
    await sources.nth(1).click();
    await f.getByTestId('finding-page').waitFor({ timeout: 10_000 });
    await expect.poll(() => f.getByTestId('page-region-active').count()).toBe(1);
    await expect.poll(() => byId('info-toast').count(), { timeout: 10_000 }).toBe(0);
    await byId('findings').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(s.clerk, 'checks-blocking');

    // The form source leads to the field: the cursor is in it.
    await sources.nth(0).click();
    await expect.poll(() => s.clerk.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('field-legalRep.name');

    // Fixed in the form: the finding goes as the form saves, and 受理 is allowed.
    await fill({ 'legalRep.name': onCard });
    await expect.poll(() => finding(ruleId).count(), { timeout: 10_000 }).toBe(0);
    expect(await byId('findings').getAttribute('data-blocking')).toBe('0');
    await expect.poll(() => byId('btn-accept').isEnabled(), { timeout: 10_000 }).toBe(true);
  }, 120_000);

  it('an ID card whose validity ended before today: its finding, and 受理 refused', async () => {
    // The first generated back of a card whose validity ended before today (the generator's truth says so).
    const today = isoDaysFromToday(0);
    let card: SyntheticDocument | null = null;
    for (let seed = 1; seed < 60 && !card; seed++) {
      const c = await generateDocument('idcard_back', seed, 'clean');
      const until = c.truth.fields.validUntil ?? '长期';
      if (until !== '长期' && until < today) card = c;
    }
    expect(card, 'no generated ID card back expired before today').not.toBeNull();
    const until = card!.truth.fields.validUntil!;
    const front = await generateDocument('idcard_front', 3, 'scan');
    await serveAndOpen('名称自主申报', NAME_DECLARATION);
    await fill({
      'enterprise.name': '齐河县远航商贸有限公司',
      'enterprise.industry': '商贸',
      'enterprise.type': '',
      'legalRep.name': front.truth.fields.name!,
      'legalRep.idNumber': front.truth.fields.idNumber!,
      'legalRep.phone': '13805341234',
    });
    await captureIdCard(card!);
    await byId('btn-mark-all-present').click();
    await expect.poll(() => s.clerk.locator('[data-testid^="material-"][data-status="missing"]').count(), { timeout: 10_000 }).toBe(0);

    const f = finding(`expiry:${MATERIAL}`);
    await expect.poll(() => f.getAttribute('data-severity'), { timeout: 10_000 }).toBe('blocking');
    const message = await f.locator('[data-testid="finding-message"]').innerText();
    expect(message).toContain('已过期');
    expect(message).toContain(until);
    expect(await f.locator('[data-testid="finding-value"]').getAttribute('data-source-kind')).toBe('page');
    expect(await f.locator('[data-testid="finding-source"]').getAttribute('data-material')).toBe(MATERIAL);
    expect(await byId('btn-accept').isDisabled()).toBe(true);
    expect(await byId('accept-blockers').getAttribute('title')).toContain('已过期');
  }, 120_000);

  it('a warning let through with a written reason: accepted, the reason in the history and in the hall’s case log', async () => {
    const caseId = await serveAndOpen('门头', SIGNBOARD);
    await fill({
      'enterprise.name': '齐河县老街烧烤店',
      'legalRep.name': '张明远',
      'legalRep.phone': '0534-532123',
      'premises.address': '山东省德州市齐河县晏城街道齐鲁大街88号',
    });
    await byId('btn-mark-all-present').click();
    await expect.poll(() => s.clerk.locator('[data-testid^="material-"][data-status="missing"]').count(), { timeout: 10_000 }).toBe(0);

    const ruleId = 'format:legalRep.phone';
    const f = finding(ruleId);
    await expect.poll(() => f.getAttribute('data-severity'), { timeout: 10_000 }).toBe('warning');
    expect(await byId('findings').getAttribute('data-blocking')).toBe('0');
    // Nothing blocks, but the warning waits for a fix or a reason: 受理 stays disabled and says so.
    expect(await byId('btn-accept').isDisabled()).toBe(true);
    expect(await text('accept-warnings')).toContain('1 条提醒');

    // A reason too short is refused; a real one lets it through.
    await f.locator('[data-testid="override-open"]').click();
    await f.locator('[data-testid="override-reason"]').fill('可以');
    expect(await f.locator('[data-testid="override-confirm"]').isDisabled()).toBe(true);
    const reason = '申请人只有固定电话，经当场拨打核实可以联系';
    await f.locator('[data-testid="override-reason"]').fill(reason);
    await f.locator('[data-testid="override-confirm"]').click();
    expect(await f.locator('[data-testid="override-confirmed"]').innerText()).toContain(reason);
    expect(await f.getAttribute('data-overridden')).toBe('1');
    await expect.poll(() => byId('btn-accept').isEnabled(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => byId('info-toast').count(), { timeout: 10_000 }).toBe(0);
    await byId('findings').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(s.clerk, 'checks-override');

    await byId('btn-accept').click();
    await byId('btn-accept-confirm').click();
    await expect.poll(() => text('case-status')).toContain('已受理');

    // The case history names the warning let through and the reason.
    const line = s.clerk.locator(`[data-testid="history-override"][data-rule="${ruleId}"]`);
    await line.waitFor();
    expect(await line.innerText()).toContain(reason);
    expect(await finding(ruleId).locator('[data-testid="finding-overridden"]').innerText()).toContain(reason);

    // The audit trail on the hall (`onewindow hall audit`, read from the hall's append-only case log):
    // the acceptance with the warning let through, its reason, who and where.
    await expect.poll(() => attrOf('case-sync', 'data-pending'), { timeout: 15_000 }).toBe('0');
    const audit = (await runCli(['hall', 'audit', '--data', s.hallDir, '--case', caseId])).trim().split('\n').map((l) => JSON.parse(l) as AuditLine);
    const accepted = audit.find((l) => l.what === 'case.accepted');
    expect(accepted?.detail?.overrides).toEqual([{ ruleId, reason, message: expect.stringContaining('电话') }]);
    expect(accepted).toMatchObject({ staff: '1001', window: `${OFFICE}/1`, office: OFFICE });
    await finishTicket();
  }, 90_000);
});

const attrOf = (id: string, name: string) => byId(id).getAttribute(name);

interface AuditLine {
  what: string;
  staff: string;
  window: string;
  office: string;
  detail?: { overrides?: Array<{ ruleId: string; reason: string; message?: string }> };
}
