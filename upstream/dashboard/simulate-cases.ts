import type { CaseAction } from '../../shared/case/types.js';
import { addDays } from '../../shared/dashboard/period.js';
import { businessDate } from '../../shared/queue/numbering.js';
import type { SimWindow } from './simulate.js';
import type { DashboardEnv } from './testing.js';

/**
 * Test support: the cases of simulated hall days (simulate.ts with `cases: true`), through the hall's
 * real case service. After a finished service the window opens a case for the ticket: most are
 * accepted (some on behalf of another jurisdiction and forwarded, some approved at once by the
 * rules), some get a one-time notice, a few are not accepted or abandoned as drafts, and a few are
 * escalated to the 办不成事 window. At the start of each day some earlier cases are decided (a few
 * after their promised date, a few never) and some escalations resolved. Deterministic for a seed.
 */
interface Subject {
  kind: 'matter' | 'bundle';
  code: string;
  title: string;
  matter: string;
  instant: boolean;
}

const SUBJECTS: Record<string, Subject[]> = {
  A: [
    { kind: 'bundle', code: 'enterprise-opening', title: '企业开办', matter: '37142500-XZSP-002', instant: false },
    { kind: 'matter', code: '37142500-XZSP-003', title: '个体工商户设立登记', matter: '37142500-XZSP-003', instant: true },
  ],
  B: [{ kind: 'bundle', code: 'newborn', title: '新生儿出生一件事', matter: '37142500-WJ-001', instant: false }],
  G: [{ kind: 'matter', code: '37142500-SW-001', title: '新办纳税人信息确认', matter: '37142500-SW-001', instant: true }],
};

interface Open {
  caseId: string;
  w: SimWindow;
}

export class CaseSim {
  private n = 0;
  private readonly undecided: Open[] = [];
  private readonly escalated: Open[] = [];

  constructor(
    private readonly env: DashboardEnv,
    private readonly rand: () => number,
  ) {}

  private act(w: SimWindow, caseId: string, action: CaseAction): void {
    this.env.caseAct(w.windowId, w.staffId, caseId, action);
  }

  private today(): string {
    return businessDate(this.env.clock.now(), this.env.config.timeZone);
  }

  /** A service just finished at window `w`: the case it was for. */
  finished(w: SimWindow, ticketId: string): void {
    const r = this.rand;
    const boards = w.boards.filter((b) => SUBJECTS[b]);
    const s = SUBJECTS[boards[Math.floor(r() * boards.length)]!]!;
    const subject = s[Math.floor(r() * s.length)]!;
    const caseId = `c-sim-${String(++this.n).padStart(6, '0')}`;
    const onBehalf = r() < 0.12;
    this.act(w, caseId, {
      type: 'opened',
      subject: { kind: subject.kind, code: subject.code },
      title: subject.title,
      ticketId,
      ticketNumber: this.env.queue.ticket(ticketId).number,
      provisionalNo: `临-${caseId.slice(6)}`,
      catalogVersion: null,
      ...(onBehalf ? { onBehalfOf: { jurisdiction: '济南市历下区', scope: '全省通办' } } : {}),
    });
    const fate = r();
    const open: Open = { caseId, w };
    if (fate < 0.65) {
      const days = subject.instant ? 0 : 1 + Math.floor(r() * 4);
      this.act(w, caseId, { type: 'accepted', matters: [subject.matter], promisedDate: addDays(this.today(), days), overrides: [] });
      if (onBehalf && r() < 0.8) this.act(w, caseId, { type: 'forwarded', target: '济南市历下区行政审批服务局' });
      if (subject.instant && r() < 0.6) this.act(w, caseId, { type: 'approved', automated: { rulesVersion: 'rules-2025.1' } });
      else this.undecided.push(open);
    } else if (fate < 0.85) {
      this.act(w, caseId, { type: 'notice_issued', items: [{ materialId: 'applicant.idCard', problem: 'missing', detail: '缺少申请人身份证原件' }] });
    } else if (fate < 0.92) {
      this.act(w, caseId, { type: 'not_accepted', reason: '不属于本大厅受理范围，已告知办理地点' });
    } else {
      this.act(w, caseId, { type: 'discarded', reason: '申请人暂不办理' });
      return;
    }
    if (r() < 0.05) {
      this.act(w, caseId, { type: 'escalated', reason: '申请人反映多次往返未办成', owner: '办不成事窗口' });
      this.escalated.push(open);
    }
  }

  /** The start of a business day: about half of the cases waiting for a decision are decided, half the open escalations resolved. */
  dayStart(): void {
    const r = this.rand;
    for (const list of [this.undecided, this.escalated]) {
      for (let i = list.length - 1; i >= 0; i--) {
        if (r() >= 0.5) continue;
        const { caseId, w } = list[i]!;
        list.splice(i, 1);
        if (list === this.escalated) this.act(w, caseId, { type: 'escalation_resolved', resolution: '已协调主管部门当场办结' });
        else if (r() < 0.85) this.act(w, caseId, { type: 'approved' });
        else this.act(w, caseId, { type: 'refused', reason: '不符合法定条件' });
      }
    }
  }
}
