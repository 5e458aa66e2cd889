import type Database from 'better-sqlite3';
import type { CaseEvent, CaseState } from '../../shared/case/types.js';
import { applicantKeys, checkCreditCode, type EnterpriseRecord, type IssuedCertificate, type RegistryAnswer } from '../../shared/checks/index.js';
import type { RegistryLookupOutput } from '../../shared/hall/registry-api.js';
import { businessDate } from '../../shared/queue/numbering.js';
import type { RegistryData } from './registry-data.js';

/**
 * The hall's registry answers (registryLookup): the registry data it holds (registry-data.ts) and
 * what its own cases issued — every `certificate_issued` of the case log is a certificate of the
 * case's applicant (its ID numbers and credit code), and a 营业执照 whose case names a valid credit
 * code (or whose number is one) is an enterprise in being. The log is read incrementally from the
 * last case seq seen, so a look-up costs one range scan of what is new. Revoked verification records
 * (certificate_revocation) mark their certificate revoked.
 */
const LICENCE_TEMPLATE = 'business_licence';

export class HallRegistry {
  private readonly enterprises = new Map<string, EnterpriseRecord>();
  private readonly certificates = new Map<string, IssuedCertificate[]>();
  private lastSeq = 0;
  private readonly q;

  constructor(
    private readonly deps: { db: Database.Database; timeZone: string; now: () => number; data: RegistryData },
  ) {
    for (const e of deps.data.enterprises) this.enterprises.set(e.uscc, e);
    for (const c of deps.data.certificates) this.addCertificate(c);
    this.q = {
      issuedAfter: deps.db.prepare("SELECT seq, case_id, json FROM case_event WHERE seq > ? AND type = 'certificate_issued' ORDER BY seq"),
      lastSeq: deps.db.prepare('SELECT COALESCE(MAX(seq), 0) AS s FROM case_event'),
      caseState: deps.db.prepare('SELECT json FROM "case" WHERE case_id = ?'),
      revoked: deps.db.prepare('SELECT 1 FROM certificate_record r JOIN certificate_revocation v ON v.id = r.id WHERE r.number = ? LIMIT 1'),
    };
  }

  private addCertificate(c: IssuedCertificate): void {
    const list = this.certificates.get(c.holder) ?? [];
    if (!list.some((x) => x.documentNo === c.documentNo && x.template === c.template)) list.push(c);
    this.certificates.set(c.holder, list);
  }

  /** Reads the certificates the hall's cases issued since the last look-up. */
  private catchUp(): void {
    const latest = (this.q.lastSeq.get() as { s: number }).s;
    if (latest <= this.lastSeq) return;
    for (const row of this.q.issuedAfter.all(this.lastSeq) as Array<{ seq: number; case_id: string; json: string }>) {
      const event = JSON.parse(row.json) as CaseEvent;
      if (event.action.type !== 'certificate_issued') continue;
      const stateRow = this.q.caseState.get(row.case_id) as { json: string } | undefined;
      if (!stateRow) continue;
      const state = JSON.parse(stateRow.json) as CaseState;
      const issuedOn = businessDate(event.at, this.deps.timeZone);
      const holders = applicantKeys(state.form).filter((k) => !k.startsWith('name:')).map((k) => k.slice(k.indexOf(':') + 1));
      for (const holder of holders) this.addCertificate({ template: event.action.template, documentNo: event.action.documentNo, holder, issuedOn });
      if (event.action.template === LICENCE_TEMPLATE) {
        const code = [event.action.documentNo, state.form['enterprise.uscc'] ?? ''].map((c) => checkCreditCode(c)).find((c) => c.valid);
        const name = state.form['enterprise.name'];
        if (code && name) {
          const legalRep = state.form['legalRep.name'];
          const address = state.form['enterprise.address'];
          this.enterprises.set(code.normalized, { uscc: code.normalized, name, status: '存续', ...(legalRep ? { legalRep } : {}), ...(address ? { address } : {}) });
        }
      }
    }
    this.lastSeq = latest;
  }

  /** "2026-05-11 08:30:15" in the hall's time zone (shown to the clerk when the answer is cached). */
  private fetchedAt(): string {
    const d = new Date(this.deps.now());
    const time = new Intl.DateTimeFormat('en-GB', { timeZone: this.deps.timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(d);
    return `${businessDate(d.getTime(), this.deps.timeZone)} ${time}`;
  }

  lookup(input: { enterprises: readonly string[]; holders: readonly string[] }): RegistryLookupOutput {
    this.catchUp();
    const fetchedAt = this.fetchedAt();
    const answers: RegistryAnswer[] = [];
    for (const key of new Set(input.enterprises)) {
      const record = this.enterprises.get(key);
      if (record) answers.push({ registry: 'enterprise', key, stale: false, fetchedAt, record });
      else if (this.deps.data.authoritative) answers.push({ registry: 'enterprise', key, stale: false, fetchedAt, record: null });
    }
    for (const key of new Set(input.holders)) {
      const certificates = (this.certificates.get(key) ?? []).slice(-200).map((c) => (c.revoked || !this.q.revoked.get(c.documentNo) ? c : { ...c, revoked: true }));
      answers.push({ registry: 'certificates', key, stale: false, fetchedAt, certificates });
    }
    return { answers, serverNow: this.deps.now() };
  }
}
