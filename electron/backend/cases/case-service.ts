import { applyCaseEvent, CASE_ACTION_LABEL } from '../../../shared/case/case-reducer.js';
import type { MethodOutput } from '../../../shared/contract.js';
import { formatProvisionalCaseNo } from '../../../shared/case/numbers.js';
import { CASE_STATUS_LABEL, type CaseActor, type CaseState, type DocumentFieldReading, type MaterialStatus, type NoticeItem, type ValueSource } from '../../../shared/case/types.js';
import type { CaseView } from '../../../shared/case/view.js';
import type { Resolution } from '../../../shared/catalog/bundle.js';
import { addWorkingDays } from '../../../shared/catalog/working-days.js';
import { realIsoDate } from '../../../shared/checks/calendar-date.js';
import { AppError } from '../../../shared/errors.js';
import { parseWindowId } from '../../../shared/office/config.js';
import { businessDate } from '../../../shared/queue/numbering.js';
import type { AttachmentStore } from '../attachments/attachment-store.js';
import { bundleHit, matterHit, mayDecide, searchCatalog } from '../catalog/catalog-search.js';
import { acceptanceActions, planAcceptance, type Override } from '../checks/acceptance.js';
import { CaseChecks } from '../checks/case-checks.js';
import { documentReadAction } from '../checks/document-reading.js';
import type { RegistrySource } from '../checks/registry-cache.js';
import type { CatalogProvider } from '../catalog/window-catalog.js';
import { createLogger } from '../log.js';
import type { Db } from '../store/database.js';
import type { Outbox } from '../store/outbox.js';
import { decodeAttachment } from './attachment-kind.js';
import { leniencyRefusal, noticeItems, type Assessment } from './case-assessment.js';
import { approvalDecision, withDecisionFields } from './case-decision.js'; // decision fields
import { caseHistory } from './case-history.js';
import { subjectSituations, subjectTitle, type CaseSubject } from './case-resolution.js';
import type { CaseRow, CaseStore, NewAction, WindowCaseAction } from './case-store.js';
import { buildCaseView, caseSummary, catalogNames } from './case-view.js';
import { normalizeFieldValue } from './field-checks.js';

const log = createLogger('case-service');
/** Edits of a draft: pushed in the background, the clerk never waits for them. */
const EDITS: ReadonlySet<WindowCaseAction['type']> = new Set(['situations_answered', 'form_saved', 'material_marked', 'attachment_added', 'attachment_removed', 'document_read']);

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
  /** The hall's registry look-up for the checks (hallRegistrySource); absent: cached answers only, shown as stale. */
  registry?: RegistrySource | null;
  /** Issues the result documents of a case the rules just approved (秒批); absent: it stays 已批准 for a clerk. */
  issueResultDocuments?: (caseId: string) => Promise<void>;
}

/**
 * The workstation side of intake (受理): the contract's catalog.* and case.* methods. Every write is
 * checked (catalog rules, then the shared reducer) and committed locally with its outbox entry in
 * one transaction, so it works the same offline; the pusher carries it to the hall, which gives the
 * official case number. Every opening of a case's full view is audited through the outbox too.
 */
export class CaseService {
  private readonly checks: CaseChecks;

  constructor(private readonly d: CaseServiceDeps) {
    this.checks = new CaseChecks({ db: d.db, now: d.now, catalogs: d.catalogs, registry: d.registry });
  }

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
    await this.checks.refreshRegistry(row.state, false);
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
    this.checks.resolution({ subject: row.state.subject, answers: { ...row.state.answers, ...answers } });
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
   * 受理: refused while anything blocks or a warning is not overridden with a written reason
   * (planAcceptance over the one assessment; the registry refreshed first). A case whose every matter
   * passes instant approval (秒批) is accepted and approved at once, and its result documents issued.
   */
  async accept(caseId: string, overrides: Override[] = []): Promise<CaseView> {
    const before = this.row(caseId);
    this.requireDraft(before.state, CASE_ACTION_LABEL.accepted);
    await this.checks.refreshRegistry(before.state, true);
    const row = this.row(caseId);
    const res = this.resolution(row.state);
    const a = this.assess(row.state, res);
    const plan = planAcceptance(a, overrides, res);
    const actions = acceptanceActions(row.state, res, plan, { promisedDate: this.promisedDate(res), rulesVersion: a.rulesVersion });
    const view = await this.write(caseId, withDecisionFields(actions, res.matters, plan.notInstant)); // decision fields
    if (!plan.instant) return view;
    log.info(`case ${caseId} approved by the rules ${plan.instant.rulesVersion.slice(0, 12)}`);
    await this.issueResultDocuments(caseId);
    return this.view(caseId);
  }

  /**
   * 批准: the values known only at the decision (catalog decision fields: the credit code a 设立登记
   * assigns) must be given and valid — refused in Chinese naming what is missing or wrong — and are
   * merged into the case's form, so the result documents print them.
   */
  approve(caseId: string, decision?: Record<string, string>): Promise<CaseView> {
    const row = this.row(caseId);
    if (row.state.status !== 'ACCEPTED') return this.write(caseId, [{ type: 'approved' }]); // the reducer names the status
    const values = approvalDecision(row.state, this.d.catalogs.catalog().index, decision);
    return this.write(caseId, [{ type: 'approved', ...(Object.keys(values).length > 0 ? { decision: values } : {}) }]);
  }

  /** The hook of instant approval (deps.issueResultDocuments); a failure leaves the case 已批准 for a clerk. */
  async issueResultDocuments(caseId: string): Promise<void> {
    if (!this.d.issueResultDocuments) return log.info(`case ${caseId}: no certificate issue wired; a clerk issues its documents`);
    await this.d.issueResultDocuments(caseId).catch((err: unknown) => log.error(`issuing the result documents of ${caseId} failed`, err));
  }

  /** What capture read from one page of a material (document_read), for the comparison checks. */
  async readDocument(input: { caseId: string; materialId: string; sha256: string; docType: string; fields: Record<string, DocumentFieldReading> }): Promise<CaseView> {
    const row = this.row(input.caseId);
    return this.write(input.caseId, [documentReadAction(row.state, this.material(row.state, input.materialId), input)]);
  }

  /** 一次性告知: each missing or deficient item once (assessCase), plus the clerk's own items. */
  async notice(caseId: string, extra: NoticeItem[] = []): Promise<CaseView> {
    const row = this.row(caseId);
    this.requireDraft(row.state, CASE_ACTION_LABEL.notice_issued);
    const res = this.resolution(row.state);
    return this.write(caseId, [{ type: 'notice_issued', items: noticeItems(this.assess(row.state, res), res, extra) }]);
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
    const row = this.d.store.get(caseId);
    if (row) await this.checks.refreshRegistry(row.state, false);
    return this.view(caseId);
  }

  /** The case's view (no audit record: callers that open a case for reading go through `get`). */
  view(caseId: string): CaseView {
    const row = this.row(caseId);
    const { index } = this.d.catalogs.catalog();
    const { resolution, assessment } = this.checks.evaluate(row.state, this.situations(row.state), this.businessDay());
    let promisedIfToday: string | null = null;
    if (row.state.status === 'DRAFT' && !('error' in resolution)) {
      try {
        promisedIfToday = this.promisedDate(resolution);
      } catch {
        promisedIfToday = null;
      }
    }
    return buildCaseView(row, {
      catalog: index,
      resolution,
      assessment,
      situations: this.situations(row.state),
      promisedIfToday,
      pendingSync: this.d.outbox.pendingByCase([caseId]).get(caseId) ?? 0,
      history: caseHistory(this.d.db, caseId, catalogNames(index)),
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
    return this.checks.resolution(state);
  }

  private assess(state: CaseState, res: Resolution): Assessment {
    return this.checks.assess(state, res, this.situations(state), this.businessDay());
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
