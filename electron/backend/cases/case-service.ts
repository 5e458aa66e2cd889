import { applyCaseEvent, CASE_ACTION_LABEL } from '../../../shared/case/case-reducer.js';
import type { MethodOutput } from '../../../shared/contract.js';
import { formatProvisionalCaseNo } from '../../../shared/case/numbers.js';
import { CASE_STATUS_LABEL, type CaseActor, type CaseState, type MaterialStatus, type NoticeItem, type ValueSource } from '../../../shared/case/types.js';
import type { CaseView } from '../../../shared/case/view.js';
import type { Resolution } from '../../../shared/catalog/bundle.js';
import { addWorkingDays } from '../../../shared/catalog/working-days.js';
import { realIsoDate } from '../../../shared/checks/calendar-date.js';
import { AppError } from '../../../shared/errors.js';
import { parseWindowId } from '../../../shared/office/config.js';
import { businessDate } from '../../../shared/queue/numbering.js';
import type { AttachmentStore } from '../attachments/attachment-store.js';
import { bundleHit, matterHit, mayDecide, searchCatalog } from '../catalog/catalog-search.js';
import type { CatalogProvider } from '../catalog/window-catalog.js';
import { createLogger } from '../log.js';
import type { Db } from '../store/database.js';
import type { Outbox } from '../store/outbox.js';
import { decodeAttachment } from './attachment-kind.js';
import { assessCase, leniencyRefusal, mergeNoticeItems } from './case-assessment.js';
import { caseHistory } from './case-history.js';
import { resolveCase, subjectSituations, subjectTitle, type CaseSubject } from './case-resolution.js';
import type { CaseRow, CaseStore, NewAction, WindowCaseAction } from './case-store.js';
import { buildCaseView, caseSummary } from './case-view.js';
import { normalizeFieldValue } from './field-checks.js';

const log = createLogger('case-service');
/** Edits of a draft: pushed in the background, the clerk never waits for them. */
const EDITS: ReadonlySet<WindowCaseAction['type']> = new Set(['situations_answered', 'form_saved', 'material_marked', 'attachment_added', 'attachment_removed']);

export interface CaseServiceDeps {
  db: Db;
  store: CaseStore;
  outbox: Outbox;
  catalogs: CatalogProvider;
  attachments: AttachmentStore;
  /** The signed-in clerk and window; null without a session. */
  session(): { staffId: string; windowId: string } | null;
  /** The ticket the window is calling or serving now, if any (the queue's panel). */
  servingTicket(): { ticketId: string; number: string } | null;
  /** The sync client id from enrolment; null before enrolment. */
  clientId(): string | null;
  now(): number;
  /**
   * A case write committed: push it. `wait`: a decision (opening, 受理, notice, ...) — wait a little
   * for the hall's answer when online, so the view shows its official number or its refusal.
   */
  written(wait: boolean): Promise<void>;
}

/**
 * The workstation side of intake (受理): the contract's catalog.* and case.* methods. Every write is
 * checked (catalog rules, then the shared reducer) and committed locally with its outbox entry in
 * one transaction, so it works the same offline; the pusher carries it to the hall, which gives the
 * official case number. Every opening of a case's full view is audited through the outbox too.
 */
export class CaseService {
  constructor(private readonly d: CaseServiceDeps) {}

  // ---- catalog ---------------------------------------------------------------------------------

  search(query: string): MethodOutput<'catalog.search'> {
    const actor = this.actor();
    const { index } = this.d.catalogs.catalog();
    return { hits: searchCatalog(index, query, { branch: this.isBranch(actor.office) }) };
  }

  subject(subject: CaseSubject): MethodOutput<'catalog.subject'> {
    const { index } = this.d.catalogs.catalog();
    subjectTitle(subject, index); // not_found for an unknown code
    const hit = subject.kind === 'matter' ? matterHit(index.matters.get(subject.code)!) : bundleHit(index.bundles.get(subject.code)!, index);
    return { hit: { ...hit, matchedBy: '编码' }, situations: subjectSituations(subject, index) };
  }

  // ---- reading ---------------------------------------------------------------------------------

  /** A case's full view; the opening is recorded in the audit log (through the outbox). */
  async get(caseId: string): Promise<CaseView> {
    const actor = this.actor();
    const row = this.row(caseId);
    this.d.store.audit(caseId, actor, `查阅办件 ${row.caseNo ?? row.provisionalNo}`);
    void this.d.written(false).catch(() => undefined);
    return this.view(caseId);
  }

  todayList(scope: 'window' | 'office'): MethodOutput<'case.today'> {
    const actor = this.actor();
    const rows = this.d.store.list(actor.office, this.businessDay(), scope === 'window' ? actor.windowId : undefined);
    const pending = this.d.outbox.pendingByCase(rows.map((r) => r.caseId));
    return { cases: rows.map((r) => caseSummary(r, pending.get(r.caseId) ?? 0)) };
  }

  // ---- writing ---------------------------------------------------------------------------------

  /** Opens a draft case for the ticket being served (if any), numbered provisionally by the window. */
  async open(input: { subject: CaseSubject; onBehalfOf?: { jurisdiction: string; scope: string } | undefined }): Promise<CaseView> {
    const actor = this.actor();
    const catalog = this.d.catalogs.catalog();
    const title = subjectTitle(input.subject, catalog.index);
    if (!input.onBehalfOf && !mayDecide(catalog.index, input.subject.kind, input.subject.code, this.isBranch(actor.office))) {
      throw new AppError('forbidden', `本分中心不能受理“${title}”（不在县镇同权事项内）；如需代收代办，请注明办理地后受理并转报。`, `branch ${actor.office} may not decide ${input.subject.code}`);
    }
    const clientId = this.d.clientId();
    if (!clientId) throw new AppError('unauthorized', '本机尚未登记到大厅服务器，请先登记。', 'case.open: no client id');
    const ticket = this.d.servingTicket();
    const caseId = this.d.store.newCaseId(clientId);
    const today = this.businessDay();
    const office = this.d.catalogs.office(actor.office);
    this.d.store.write(
      caseId,
      actor,
      () => {
        const provisionalNo = formatProvisionalCaseNo({
          officePrefix: office?.prefix ?? '',
          windowNo: parseWindowId(actor.windowId).no,
          businessDate: today,
          counter: this.d.store.nextCounter(actor.windowId, today),
        });
        const action: WindowCaseAction = {
          type: 'opened',
          subject: input.subject,
          title,
          ...(ticket ? { ticketId: ticket.ticketId, ticketNumber: ticket.number } : {}),
          provisionalNo,
          catalogVersion: catalog.version,
          ...(input.onBehalfOf ? { onBehalfOf: input.onBehalfOf } : {}),
        };
        return [{ action, summary: `办件 ${provisionalNo} ${CASE_ACTION_LABEL.opened}` }];
      },
      today,
    );
    log.info(`case ${caseId} opened at ${actor.windowId}${ticket ? ` for ${ticket.number}` : ''}`);
    return this.after(caseId, true);
  }

  async answer(caseId: string, answers: Record<string, string | string[]>): Promise<CaseView> {
    const row = this.row(caseId);
    // Checked against the catalog first: an answer the subject does not have is refused.
    resolveCase(row.state.subject, { ...row.state.answers, ...answers }, this.d.catalogs.catalog().index);
    return this.write(caseId, [{ type: 'situations_answered', answers }]);
  }

  async saveForm(caseId: string, values: Record<string, string>, sources?: Record<string, ValueSource>): Promise<CaseView> {
    const row = this.row(caseId);
    const fields = new Map(this.resolution(row.state).fields.map((f) => [f.key, f]));
    const changed: Record<string, string> = {};
    for (const [key, raw] of Object.entries(values)) {
      const f = fields.get(key);
      if (!f) throw new AppError('bad_request', `本办件的表单中没有“${this.d.catalogs.catalog().index.fields.get(key)?.label ?? key}”这一项，请刷新后重试。`, `no field ${key}`);
      const v = raw === '' ? '' : normalizeFieldValue(f, raw);
      if ((row.state.form[key] ?? '') !== v || (sources?.[key] !== undefined && JSON.stringify(sources[key]) !== JSON.stringify(row.state.sources[key]))) changed[key] = v;
    }
    for (const key of Object.keys(sources ?? {})) {
      if (!(key in values)) throw new AppError('bad_request', '值的来源与所填的值不对应，请重试。', `source for ${key} without a value`);
    }
    if (Object.keys(changed).length === 0) return this.view(caseId);
    const src = sources ? Object.fromEntries(Object.entries(sources).filter(([k]) => k in changed)) : undefined;
    return this.write(caseId, [{ type: 'form_saved', values: changed, ...(src && Object.keys(src).length > 0 ? { sources: src } : {}) }]);
  }

  async markMaterial(input: { caseId: string; materialId: string; status: MaterialStatus; deadline?: string | undefined; note?: string | undefined }): Promise<CaseView> {
    const row = this.row(input.caseId);
    const m = this.material(row.state, input.materialId);
    const refusal = leniencyRefusal(m, input.status);
    if (refusal) throw new AppError('invalid_transition', `${refusal}。`, `mark ${m.id} ${input.status}`);
    if (input.status === 'supplement_later') {
      if (!input.deadline) throw new AppError('bad_request', '容缺受理的材料必须写明补齐期限。', 'no deadline');
      if (!realIsoDate(input.deadline)) throw new AppError('bad_request', `补齐期限 ${input.deadline} 不是真实的日期。`, 'bad deadline');
      if (input.deadline < this.businessDay()) throw new AppError('bad_request', '补齐期限不能早于今天。', `deadline ${input.deadline}`);
    }
    return this.write(input.caseId, [
      {
        type: 'material_marked',
        materialId: m.id,
        status: input.status,
        ...(input.status === 'supplement_later' && input.deadline ? { deadline: input.deadline } : {}),
        ...(input.note ? { note: input.note } : {}),
      },
    ]);
  }

  async attach(input: { caseId: string; materialId: string; name: string; dataBase64: string }): Promise<CaseView> {
    const row = this.row(input.caseId);
    const m = this.material(row.state, input.materialId);
    const { bytes, mime } = decodeAttachment(input.dataBase64);
    // The case must take it before the file is stored (a closed case does not).
    this.precheck(row.state, { type: 'attachment_added', materialId: m.id, attachment: { sha256: '0'.repeat(64), name: input.name, mime, size: bytes.length } });
    const stored = await this.d.attachments.put(bytes, { mime });
    return this.write(input.caseId, [{ type: 'attachment_added', materialId: m.id, attachment: { sha256: stored.sha256, name: input.name.trim(), mime, size: stored.size } }]);
  }

  detach(caseId: string, materialId: string, sha256: string): Promise<CaseView> {
    return this.write(caseId, [{ type: 'attachment_removed', materialId, sha256 }]);
  }

  /**
   * 受理: refused while anything stands in the way (assessCase). Materials not received that the
   * case does not require (optional ones, or no longer asked for after the answers changed) are
   * marked 无需提供 in the same transaction, so the record says what was and was not taken in.
   */
  async accept(caseId: string, overrides: Array<{ ruleId: string; reason: string }> = []): Promise<CaseView> {
    const row = this.row(caseId);
    this.requireDraft(row.state, CASE_ACTION_LABEL.accepted);
    const res = this.resolution(row.state);
    const a = assessCase(row.state, res, this.situations(row.state), this.businessDay());
    if (a.blockers.length > 0) {
      throw new AppError('invalid_transition', `不能受理：${a.blockers.join('；')}。可出具一次性告知书。`, `accept refused: ${a.blockers.length} blocker(s)`);
    }
    const promisedDate = this.promisedDate(res);
    const required = new Set(res.materials.filter((m) => m.requirement === 'required' && m.producedBy === undefined).map((m) => m.id));
    const unneeded = Object.entries(row.state.materials).filter(([id, m]) => m.status === 'missing' && !required.has(id));
    return this.write(caseId, [
      ...unneeded.map(([materialId]): WindowCaseAction => ({ type: 'material_marked', materialId, status: 'not_needed', note: '受理时未收取（非必交）' })),
      { type: 'accepted', matters: res.matters.map((m) => m.code), promisedDate, overrides },
    ]);
  }

  /** 一次性告知: each missing or deficient item once (assessCase), plus the clerk's own items. */
  async notice(caseId: string, extra: NoticeItem[] = []): Promise<CaseView> {
    const row = this.row(caseId);
    this.requireDraft(row.state, CASE_ACTION_LABEL.notice_issued);
    const res = this.resolution(row.state);
    const materials = new Set(res.materials.map((m) => m.id));
    const fields = new Set(res.fields.map((f) => f.key));
    for (const e of extra) {
      if (e.materialId !== undefined && !materials.has(e.materialId)) throw new AppError('bad_request', '告知事项中的材料不在本办件的材料清单中。', `notice material ${e.materialId}`);
      if (e.fieldKey !== undefined && !fields.has(e.fieldKey)) throw new AppError('bad_request', '告知事项中的表单项不在本办件的表单中。', `notice field ${e.fieldKey}`);
    }
    const items = mergeNoticeItems(assessCase(row.state, res, this.situations(row.state), this.businessDay()).notice, extra);
    if (items.length === 0) throw new AppError('invalid_transition', '材料齐全、表单无误，无需出具一次性告知书，可以直接受理。', 'notice with no items');
    if (items.length > 100) throw new AppError('bad_request', '告知事项过多（超过 100 项），请合并后再出具。', `${items.length} items`);
    return this.write(caseId, [{ type: 'notice_issued', items }]);
  }

  /** Any other action: the reducer alone decides whether the case may take it. */
  act(caseId: string, action: WindowCaseAction): Promise<CaseView> {
    return this.write(caseId, [action]);
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private async write(caseId: string, actions: WindowCaseAction[]): Promise<CaseView> {
    const actor = this.actor();
    const row = this.row(caseId);
    const no = row.caseNo ?? row.provisionalNo;
    const planned: NewAction[] = actions.map((action) => ({ action, summary: `办件 ${no} ${CASE_ACTION_LABEL[action.type]}` }));
    this.d.store.write(caseId, actor, () => planned);
    return this.after(caseId, actions.some((a) => !EDITS.has(a.type)));
  }

  private async after(caseId: string, decision: boolean): Promise<CaseView> {
    await this.d.written(decision).catch((err: unknown) => log.debug('push after a case write did not complete; it stays in the outbox', err));
    return this.view(caseId);
  }

  /** The case's view (no audit record: callers that open a case for reading go through `get`). */
  view(caseId: string): CaseView {
    const row = this.row(caseId);
    const { index } = this.d.catalogs.catalog();
    let resolution: Resolution | { error: string };
    try {
      resolution = this.resolution(row.state);
    } catch (err) {
      resolution = { error: err instanceof AppError ? err.message : '事项目录已变更，无法列出材料清单。' };
    }
    let promisedIfToday: string | null = null;
    if (row.state.status === 'DRAFT' && !('error' in resolution)) {
      try {
        promisedIfToday = this.promisedDate(resolution);
      } catch {
        promisedIfToday = null;
      }
    }
    const names = {
      material: (id: string) => index.materials.get(id)?.name ?? id,
      field: (key: string) => index.fields.get(key)?.label ?? key,
    };
    return buildCaseView(row, {
      catalog: index,
      resolution,
      situations: this.situations(row.state),
      today: this.businessDay(),
      promisedIfToday,
      pendingSync: this.d.outbox.pendingByCase([caseId]).get(caseId) ?? 0,
      history: caseHistory(this.d.db, caseId, names),
    });
  }

  private situations(state: CaseState) {
    try {
      return subjectSituations(state.subject, this.d.catalogs.catalog().index, state.answers);
    } catch {
      return [];
    }
  }

  private resolution(state: CaseState): Resolution {
    return resolveCase(state.subject, state.answers, this.d.catalogs.catalog().index);
  }

  private promisedDate(res: Resolution): string {
    const days = Math.max(0, ...res.matters.map((m) => m.promisedDays));
    return addWorkingDays(this.businessDay(), days, this.d.catalogs.calendar());
  }

  private material(state: CaseState, materialId: string) {
    const m = this.resolution(state).materials.find((x) => x.id === materialId);
    if (!m) throw new AppError('bad_request', '该材料不在本办件的材料清单中，请刷新后重试。', `no material ${materialId}`);
    return m;
  }

  private precheck(state: CaseState, action: WindowCaseAction): void {
    const r = applyCaseEvent(state, { eventId: 'precheck', caseId: state.caseId, key: 'precheck-only', at: this.d.now(), actor: this.actor(), action });
    if (!r.ok) throw new AppError('invalid_transition', r.reason, `precheck refused ${action.type}`);
  }

  private requireDraft(state: CaseState, what: string): void {
    if (state.status !== 'DRAFT') throw new AppError('invalid_transition', `办件当前为“${CASE_STATUS_LABEL[state.status]}”，不能${what}。`, `${what} on ${state.status}`);
  }

  private row(caseId: string): CaseRow {
    const row = this.d.store.get(caseId);
    if (!row) throw new AppError('not_found', '没有找到该办件。', `no case ${caseId}`);
    return row;
  }

  private actor(): CaseActor {
    const s = this.d.session();
    if (!s) throw new AppError('unauthorized', '请先登录');
    return { staffId: s.staffId, windowId: s.windowId, office: parseWindowId(s.windowId).office };
  }

  private isBranch(office: string): boolean {
    return this.d.catalogs.office(office)?.kind === 'branch';
  }

  private businessDay(): string {
    return businessDate(this.d.now(), this.d.catalogs.timeZone());
  }
}
