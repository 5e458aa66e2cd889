import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ACTION_LABEL, ALLOWED_FROM, applyTicketEvent, reduceTicketLog } from './ticket-reducer.js';
import { CALLABLE, STATUS_LABEL, TicketStatus, type TicketAction, type TicketEvent, type TicketState } from './types.js';
import { TicketLog, W1, W2, issued, ticketIn } from '../../tests/support/ticket-events.js';

type Act = Exclude<TicketAction['type'], 'issued'>;
const STATUSES = TicketStatus.options;
const ACTIONS = Object.keys(ALLOWED_FROM) as Act[];

/** One valid example of each action, free of the action's own guards for the fixtures of `ticketIn`. */
const SAMPLE: Record<Act, TicketAction> = {
  called: { type: 'called', windowId: W2, staffId: '1002' },
  recalled: { type: 'recalled' },
  started: { type: 'started' },
  no_show: { type: 'no_show' },
  recycled: { type: 'recycled', orderKey: 500 },
  held: { type: 'held', kind: 'without_materials', note: '缺营业执照复印件' },
  resumed: { type: 'resumed', windowId: W2, staffId: '1002' },
  transferred: { type: 'transferred', toBoard: 'C', position: 'front', orderKey: -5 },
  finished: { type: 'finished', caseNo: 'QH2025030300017' },
  cancelled: { type: 'cancelled', reason: '申请人离开' },
  prioritised: { type: 'prioritised', priority: 'green' },
  rated: { type: 'rated', level: 5 },
};

const AT = 10_000;

/** What each allowed action must do to a ticket, beyond the common bookkeeping. */
const EXPECT: Record<Act, (before: TicketState, after: TicketState) => void> = {
  called: (b, a) => {
    expect(a.status).toBe('CALLED');
    expect(a).toMatchObject({ windowId: W2, staffId: '1002', calledAt: AT, recallCount: 0, transferTo: undefined });
    expect(a.firstCalledAt).toBe(b.firstCalledAt ?? AT);
  },
  recalled: (b, a) => {
    expect(a.status).toBe('CALLED');
    expect(a.recallCount).toBe(b.recallCount + 1);
    expect(a.calledAt).toBe(AT);
    expect(a.windowId).toBe(b.windowId);
  },
  started: (b, a) => {
    expect(a.status).toBe('SERVING');
    expect(a).toMatchObject({ startedAt: AT, holdMsAtStart: b.holdMs, windowId: b.windowId });
  },
  no_show: (_b, a) => {
    expect(a.status).toBe('NO_SHOW');
    expect(a).toMatchObject({ noShowReason: 'skipped', closedAt: AT });
  },
  recycled: (_b, a) => {
    expect(a.status).toBe('RECYCLED');
    expect(a).toMatchObject({ orderKey: 500, queuedAt: AT, windowId: undefined, staffId: undefined, noShowReason: undefined, closedAt: undefined });
  },
  held: (b, a) => {
    expect(a.status).toBe('HELD');
    expect(a.hold).toEqual({ kind: 'without_materials', since: AT, windowId: b.windowId, note: '缺营业执照复印件' });
    expect(a.holdCount).toBe(b.holdCount + 1);
  },
  resumed: (b, a) => {
    expect(a.status).toBe('SERVING');
    expect(a).toMatchObject({ windowId: W2, staffId: '1002', hold: undefined, startedAt: b.startedAt });
    expect(a.holdMs).toBe(b.holdMs + (AT - b.hold!.since));
  },
  transferred: (b, a) => {
    expect(a.status).toBe('TRANSFERRED');
    expect(a).toMatchObject({
      board: 'C',
      originalBoard: b.originalBoard,
      transferTo: { board: 'C', windowId: undefined },
      transferCount: b.transferCount + 1,
      orderKey: -5,
      queuedAt: AT,
      windowId: undefined,
      staffId: undefined,
      startedAt: undefined,
    });
  },
  finished: (b, a) => {
    expect(a.status).toBe('DONE');
    expect(a).toMatchObject({ finishedAt: AT, closedAt: AT, caseNo: 'QH2025030300017' });
    expect(a.serviceMs).toBe(AT - b.startedAt! - (b.holdMs - b.holdMsAtStart));
  },
  cancelled: (b, a) => {
    expect(a.status).toBe('CANCELLED');
    expect(a).toMatchObject({ cancelReason: '申请人离开', closedAt: AT, hold: undefined });
    expect(a.holdMs).toBe(b.holdMs + (b.hold ? AT - b.hold.since : 0));
  },
  prioritised: (b, a) => {
    expect(a.status).toBe(b.status);
    expect(a.priority).toBe('green');
  },
  rated: (b, a) => {
    expect(a.status).toBe('DONE');
    expect(a.rating).toEqual({ level: 5, reason: undefined, at: AT });
    expect(a.serviceMs).toBe(b.serviceMs);
  },
};

function apply(state: TicketState | undefined, action: TicketAction, at = AT, ticketId = 't1') {
  const e: TicketEvent = { eventId: `x:${action.type}`, ticketId, at, actor: { kind: 'clerk', staffId: '1002', windowId: W2 }, action };
  return applyTicketEvent(state, e);
}

describe('every status × every action', () => {
  it('has a fixture reaching each status through real events', () => {
    for (const s of STATUSES) expect(ticketIn(s).status).toBe(s);
  });

  const cases = STATUSES.flatMap((status) => ACTIONS.map((action) => ({ status, action, allowed: ALLOWED_FROM[action].includes(status) })));

  it.each(cases.filter((c) => c.allowed))('$action from $status is allowed and does what it says', ({ status, action }) => {
    const before = ticketIn(status);
    const frozen = structuredClone(before);
    const r = apply(before, SAMPLE[action]);
    expect(r.ok, r.ok ? '' : r.reason).toBe(true);
    if (!r.ok) return;
    EXPECT[action](before, r.state);
    expect(r.state.eventCount).toBe(before.eventCount + 1);
    expect(r.state.lastEventAt).toBe(AT);
    expect(r.state.ticketId).toBe(before.ticketId);
    expect(r.state.number).toBe(before.number);
    // pure: the previous state is untouched
    expect(before).toEqual(frozen);
  });

  it.each(cases.filter((c) => !c.allowed))('$action from $status is refused with the status named', ({ status, action }) => {
    const before = ticketIn(status);
    const r = apply(before, SAMPLE[action]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toContain(`“${STATUS_LABEL[status]}”`);
    expect(r.reason).toContain(ACTION_LABEL[action]);
    expect(r.reason).toContain(before.number);
    expect(r.reason).toMatch(/[\u4e00-\u9fff]/);
  });

  it('covers 9 statuses × 12 actions', () => {
    expect(cases).toHaveLength(9 * 12);
    // every action is allowed somewhere, and every status but the closed ones allows something
    for (const a of ACTIONS) expect(cases.some((c) => c.action === a && c.allowed)).toBe(true);
  });

  it('issues only on an empty log, and refuses anything else on an empty log', () => {
    const first = apply(undefined, issued({ number: 'A007' }), 1_000);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.state).toMatchObject({ status: 'WAITING', number: 'A007', board: 'A', originalBoard: 'A', issuedAt: 1_000, queuedAt: 1_000, holdMs: 0, eventCount: 1 });
    const again = apply(first.state, issued({ number: 'A007' }));
    expect(again).toEqual({ ok: false, reason: expect.stringContaining('不能重复取号') });
    for (const a of ACTIONS) {
      const r = apply(undefined, SAMPLE[a]);
      expect(r).toEqual({ ok: false, reason: expect.stringContaining('没有找到该号码') });
    }
  });

  it('refuses an event of another ticket', () => {
    const r = apply(ticketIn('CALLED', 't1'), SAMPLE.started, AT, 't2');
    expect(r).toEqual({ ok: false, reason: '事件与号码不符。' });
  });
});

describe('recall limit', () => {
  it('turns the ticket into NO_SHOW (recall_limit) on the recall beyond the limit', () => {
    const log = new TicketLog('t1').do(issued({ recallLimit: 2 }), 0).do({ type: 'called', windowId: W1, staffId: '1001' }, 1_000);
    log.do({ type: 'recalled' }, 2_000);
    expect(log.current).toMatchObject({ status: 'CALLED', recallCount: 1, calledAt: 2_000, firstCalledAt: 1_000 });
    log.do({ type: 'recalled' }, 3_000);
    expect(log.current).toMatchObject({ status: 'CALLED', recallCount: 2 });
    log.do({ type: 'recalled' }, 4_000);
    expect(log.current).toMatchObject({ status: 'NO_SHOW', recallCount: 3, noShowReason: 'recall_limit', closedAt: 4_000 });
  });

  it('with a limit of 0 the first recall is already a no-show', () => {
    const log = new TicketLog('t1').do(issued({ recallLimit: 0 }), 0).do({ type: 'called', windowId: W1, staffId: '1001' }, 1_000);
    log.do({ type: 'recalled' }, 2_000);
    expect(log.current).toMatchObject({ status: 'NO_SHOW', noShowReason: 'recall_limit' });
  });

  it('a recycled no-show called again starts counting recalls afresh', () => {
    const log = new TicketLog('t1').do(issued({ recallLimit: 1 }), 0).do({ type: 'called', windowId: W1, staffId: '1001' }, 1_000);
    log.do({ type: 'recalled' }, 2_000).do({ type: 'recalled' }, 3_000);
    expect(log.current.status).toBe('NO_SHOW');
    log.do({ type: 'recycled', orderKey: 99 }, 4_000).do({ type: 'called', windowId: W2, staffId: '1002' }, 5_000);
    expect(log.current).toMatchObject({ status: 'CALLED', recallCount: 0, noShowReason: undefined, closedAt: undefined, firstCalledAt: 1_000, calledAt: 5_000 });
    log.do({ type: 'recalled' }, 6_000);
    expect(log.current.status).toBe('CALLED');
  });
});

describe('holds (挂起)', () => {
  const serving = () =>
    new TicketLog('t1').do(issued(), 0).do({ type: 'called', windowId: W1, staffId: '1001' }, 1_000).do({ type: 'started' }, 2_000);

  it('持件 (with materials) resumes only at the window that keeps the papers', () => {
    const log = serving().do({ type: 'held', kind: 'with_materials' }, 3_000);
    expect(log.current.hold).toEqual({ kind: 'with_materials', since: 3_000, windowId: W1, note: undefined });
    const elsewhere = apply(log.current, { type: 'resumed', windowId: W2, staffId: '1002' }, 4_000);
    expect(elsewhere.ok).toBe(false);
    if (!elsewhere.ok) expect(elsewhere.reason).toContain('只能在原窗口恢复办理');
    log.do({ type: 'resumed', windowId: W1, staffId: '1001' }, 4_000);
    expect(log.current).toMatchObject({ status: 'SERVING', windowId: W1, holdMs: 1_000, hold: undefined });
  });

  it('不持件 and 等待 holds resume at any window', () => {
    for (const kind of ['without_materials', 'waiting'] as const) {
      const log = serving().do({ type: 'held', kind }, 3_000);
      log.do({ type: 'resumed', windowId: W2, staffId: '1002' }, 9_000);
      expect(log.current).toMatchObject({ status: 'SERVING', windowId: W2, staffId: '1002', holdMs: 6_000 });
    }
  });

  it('service time excludes the hold time', () => {
    // issued 0, called 1 min, started 2 min, held 5 min, resumed 15 min, finished 20 min
    const log = new TicketLog('t1')
      .do(issued(), 0)
      .do({ type: 'called', windowId: W1, staffId: '1001' }, 60_000)
      .do({ type: 'started' }, 120_000)
      .do({ type: 'held', kind: 'without_materials' }, 300_000)
      .do({ type: 'resumed', windowId: W2, staffId: '1002' }, 900_000)
      .do({ type: 'finished' }, 1_200_000);
    // served 2→5 min and 15→20 min: 3 + 5 = 8 minutes; 10 minutes on hold
    expect(log.current).toMatchObject({ status: 'DONE', holdMs: 600_000, holdCount: 1, serviceMs: 480_000, finishedAt: 1_200_000 });
  });

  it('two holds in one service are both excluded', () => {
    const log = serving() // started at 2 s
      .do({ type: 'held', kind: 'waiting' }, 10_000)
      .do({ type: 'resumed', windowId: W1, staffId: '1001' }, 40_000)
      .do({ type: 'held', kind: 'with_materials' }, 50_000)
      .do({ type: 'resumed', windowId: W1, staffId: '1001' }, 70_000)
      .do({ type: 'finished' }, 80_000);
    // 78 s elapsed since start − 30 s − 20 s on hold = 28 s
    expect(log.current).toMatchObject({ holdMs: 50_000, holdCount: 2, serviceMs: 28_000 });
  });

  it("a hold during an earlier service (before a transfer) is not subtracted from the next service", () => {
    const log = serving() // started at 2 s at W1
      .do({ type: 'held', kind: 'waiting' }, 10_000)
      .do({ type: 'resumed', windowId: W1, staffId: '1001' }, 70_000) // 60 s on hold
      .do({ type: 'transferred', toBoard: 'B', position: 'back', orderKey: 7 }, 80_000)
      .do({ type: 'called', windowId: W2, staffId: '1002' }, 90_000)
      .do({ type: 'started' }, 100_000)
      .do({ type: 'finished' }, 130_000);
    expect(log.current).toMatchObject({ holdMs: 60_000, holdMsAtStart: 60_000, serviceMs: 30_000, board: 'B', originalBoard: 'A' });
  });

  it('cancelling a held ticket closes the hold and counts its time', () => {
    const log = serving().do({ type: 'held', kind: 'without_materials' }, 3_000).do({ type: 'cancelled', reason: '申请人未返回' }, 8_000);
    expect(log.current).toMatchObject({ status: 'CANCELLED', hold: undefined, holdMs: 5_000, closedAt: 8_000 });
  });
});

describe('clock going backwards', () => {
  it('never produces negative durations or times before the previous event', () => {
    const log = new TicketLog('t1')
      .do(issued(), 100_000)
      .do({ type: 'called', windowId: W1, staffId: '1001' }, 90_000)
      .do({ type: 'started' }, 80_000)
      .do({ type: 'held', kind: 'waiting' }, 70_000)
      .do({ type: 'resumed', windowId: W1, staffId: '1001' }, 60_000)
      .do({ type: 'finished' }, 50_000);
    const s = log.current;
    expect(s).toMatchObject({ calledAt: 100_000, startedAt: 100_000, finishedAt: 100_000, lastEventAt: 100_000, holdMs: 0, serviceMs: 0 });
  });

  it('a late event after a normal one is clamped to the last event time', () => {
    const log = new TicketLog('t1').do(issued(), 0).do({ type: 'called', windowId: W1, staffId: '1001' }, 10_000).do({ type: 'started' }, 20_000);
    log.do({ type: 'held', kind: 'waiting' }, 50_000).do({ type: 'resumed', windowId: W1, staffId: '1001' }, 40_000);
    expect(log.current.holdMs).toBe(0);
    log.do({ type: 'finished' }, 30_000);
    expect(log.current).toMatchObject({ finishedAt: 50_000, serviceMs: 30_000 });
  });
});

describe('rating (好差评)', () => {
  it('is accepted once per service', () => {
    const done = ticketIn('DONE');
    const r = apply(done, { type: 'rated', level: 4, reason: '  ' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.state.rating).toEqual({ level: 4, reason: undefined, at: AT });
    const again = apply(r.state, { type: 'rated', level: 5 }, AT + 1);
    expect(again).toEqual({ ok: false, reason: expect.stringContaining('只能评价一次') });
  });

  it.each([1, 2])('level %i (不满意 or worse) needs a reason', (level) => {
    const done = ticketIn('DONE');
    for (const reason of [undefined, '', '   ']) {
      const r = apply(done, { type: 'rated', level, ...(reason === undefined ? {} : { reason }) });
      expect(r).toEqual({ ok: false, reason: expect.stringContaining('请说明原因') });
    }
    const ok = apply(done, { type: 'rated', level, reason: ' 等待太久 ' });
    expect(ok.ok && ok.state.rating).toEqual({ level, reason: '等待太久', at: AT });
  });

  it.each([3, 4, 5])('level %i needs no reason', (level) => {
    const r = apply(ticketIn('DONE'), { type: 'rated', level });
    expect(r.ok).toBe(true);
  });
});

describe('transfer guards', () => {
  it('refuses a transfer to the board the ticket is already on without a named window', () => {
    const r = apply(ticketIn('SERVING'), { type: 'transferred', toBoard: 'A', position: 'back', orderKey: 3 });
    expect(r).toEqual({ ok: false, reason: expect.stringContaining('已在该业务板块排队') });
  });

  it('allows the same board when a named window is given, but not the own window', () => {
    const serving = ticketIn('SERVING'); // at W1, board A
    const toW2 = apply(serving, { type: 'transferred', toBoard: 'A', toWindowId: W2, position: 'front', orderKey: -1 });
    expect(toW2.ok && toW2.state.transferTo).toEqual({ board: 'A', windowId: W2 });
    const toSelf = apply(serving, { type: 'transferred', toBoard: 'B', toWindowId: W1, position: 'front', orderKey: -1 });
    expect(toSelf).toEqual({ ok: false, reason: '不能转移到本窗口。' });
  });

  it('a named transfer is cleared once the ticket is called', () => {
    const log = new TicketLog('t1').do(issued(), 0).do({ type: 'called', windowId: W1, staffId: '1001' }, 1);
    log.do({ type: 'transferred', toBoard: 'B', toWindowId: W2, position: 'front', orderKey: 0 }, 2);
    log.do({ type: 'called', windowId: W2, staffId: '1002' }, 3);
    expect(log.current).toMatchObject({ status: 'CALLED', transferTo: undefined, windowId: W2, transferCount: 1 });
  });

  it('prioritising twice is refused', () => {
    const green = apply(ticketIn('WAITING', 't1', { priority: 'green' }), SAMPLE.prioritised);
    expect(green).toEqual({ ok: false, reason: expect.stringContaining('已是绿色通道') });
  });
});

describe('reduceTicketLog', () => {
  it('folds a valid log to the same state as applying one by one', () => {
    const log = new TicketLog('t1').do(issued(), 0).do({ type: 'called', windowId: W1, staffId: '1001' }, 5).do({ type: 'started' }, 9);
    expect(reduceTicketLog(log.events)).toEqual(log.current);
    expect(reduceTicketLog([])).toBeUndefined();
  });

  it('throws on a log with a refused event, naming the event', () => {
    const log = new TicketLog('t1').do(issued(), 0);
    const bad = log.event({ type: 'finished' }, 5);
    expect(() => reduceTicketLog([...log.events, bad])).toThrow(/invalid ticket log at t1:2: .*办结/);
    expect(() => reduceTicketLog([log.event({ type: 'started' }, 1)])).toThrow(/invalid ticket log/);
    expect(() => reduceTicketLog([...log.events, ...log.events])).toThrow(/不能重复取号/);
  });
});

describe('property: random action sequences keep every state consistent', () => {
  const windowArb = fc.constantFrom(W1, W2, 'qihe-county/3');
  const actionArb: fc.Arbitrary<TicketAction> = fc.oneof(
    fc.record({ type: fc.constant('called' as const), windowId: windowArb, staffId: fc.constantFrom('1001', '1002') }),
    fc.constant({ type: 'recalled' as const }),
    fc.constant({ type: 'started' as const }),
    fc.constant({ type: 'no_show' as const }),
    fc.record({ type: fc.constant('recycled' as const), orderKey: fc.integer({ min: -1000, max: 1000 }) }),
    fc.record({ type: fc.constant('held' as const), kind: fc.constantFrom('without_materials' as const, 'with_materials' as const, 'waiting' as const) }),
    fc.record({ type: fc.constant('resumed' as const), windowId: windowArb, staffId: fc.constantFrom('1001', '1002') }),
    fc.record({
      type: fc.constant('transferred' as const),
      toBoard: fc.constantFrom('A', 'B', 'C'),
      toWindowId: fc.option(windowArb, { nil: undefined }),
      position: fc.constantFrom('front' as const, 'back' as const),
      orderKey: fc.integer({ min: -1000, max: 1000 }),
    }),
    fc.record({ type: fc.constant('finished' as const) }),
    fc.record({ type: fc.constant('cancelled' as const), reason: fc.constant('测试') }),
    fc.constant({ type: 'prioritised' as const, priority: 'green' as const }),
    fc.record({ type: fc.constant('rated' as const), level: fc.integer({ min: 1, max: 5 }), reason: fc.option(fc.constant('原因'), { nil: undefined }) }),
  );
  // Each step offers a few actions; the first one the current status allows is taken (so logs get deep),
  // unless the step insists on the first, which is then usually refused. Clock steps may go backwards
  // (a window's clock is wrong), by up to a minute.
  const stepArb = fc.record({
    offers: fc.array(actionArb, { minLength: 1, maxLength: 5 }),
    insist: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
    dt: fc.integer({ min: -60_000, max: 600_000 }),
  });
  const choose = (state: TicketState, offers: TicketAction[], insist: boolean): TicketAction =>
    (insist ? undefined : offers.find((a) => a.type !== 'issued' && ALLOWED_FROM[a.type].includes(state.status))) ?? offers[0]!;

  function checkInvariants(s: TicketState, applied: number) {
    const closed = s.status === 'DONE' || s.status === 'NO_SHOW' || s.status === 'CANCELLED';
    expect(s.eventCount).toBe(applied);
    expect(s.holdMs).toBeGreaterThanOrEqual(0);
    expect(s.holdMsAtStart).toBeGreaterThanOrEqual(0);
    expect(s.holdMsAtStart).toBeLessThanOrEqual(s.holdMs);
    if (s.serviceMs !== undefined) expect(s.serviceMs).toBeGreaterThanOrEqual(0);
    for (const t of [s.issuedAt, s.queuedAt, s.firstCalledAt, s.calledAt, s.startedAt, s.finishedAt, s.closedAt, s.hold?.since, s.rating?.at]) {
      if (t !== undefined) expect(t).toBeLessThanOrEqual(s.lastEventAt);
    }
    expect(s.queuedAt).toBeGreaterThanOrEqual(s.issuedAt);
    expect(s.closedAt !== undefined).toBe(closed);
    expect(s.hold !== undefined).toBe(s.status === 'HELD');
    expect(s.noShowReason !== undefined).toBe(s.status === 'NO_SHOW');
    if (s.rating !== undefined) expect(s.status).toBe('DONE');
    if (CALLABLE.has(s.status)) {
      expect(s.windowId).toBeUndefined();
      expect(s.staffId).toBeUndefined();
    }
    switch (s.status) {
      case 'CALLED':
        expect(s.windowId).toBeDefined();
        expect(s.calledAt).toBeDefined();
        expect(s.recallCount).toBeLessThanOrEqual(s.recallLimit);
        break;
      case 'SERVING':
        expect(s.windowId).toBeDefined();
        expect(s.staffId).toBeDefined();
        expect(s.startedAt).toBeDefined();
        break;
      case 'HELD':
        expect(s.startedAt).toBeDefined();
        expect(s.hold!.since).toBeGreaterThanOrEqual(s.startedAt!);
        break;
      case 'DONE':
        expect(s.finishedAt).toBeDefined();
        expect(s.serviceMs).toBeDefined();
        expect(s.serviceMs!).toBeLessThanOrEqual(s.finishedAt! - s.startedAt!);
        break;
      case 'NO_SHOW':
        if (s.noShowReason === 'recall_limit') expect(s.recallCount).toBe(s.recallLimit + 1);
        break;
      case 'TRANSFERRED':
        expect(s.transferTo?.board).toBe(s.board);
        break;
      default:
        break;
    }
  }

  it('holds for 2,000 random logs', () => {
    const reached = new Set<string>();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 }), fc.array(stepArb, { maxLength: 40 }), (recallLimit, steps) => {
        const log = new TicketLog('p1');
        log.do(issued({ recallLimit }), 1_000_000);
        let applied = 1;
        let clock = 1_000_000;
        for (const { offers, insist, dt } of steps) {
          clock = Math.max(0, clock + dt);
          const before = log.state!;
          const action = choose(before, offers, insist);
          const frozen = structuredClone(before);
          const r = applyTicketEvent(before, log.event(action, clock));
          expect(before).toEqual(frozen);
          if (!r.ok) {
            expect(r.reason.length).toBeGreaterThan(0);
            continue;
          }
          log.state = r.state;
          applied += 1;
          reached.add(`${action.type}->${r.state.status}`);
          checkInvariants(r.state, applied);
        }
      }),
      { numRuns: 2_000 },
    );
    // the random logs did reach every status, through every action
    for (const status of STATUSES) expect([...reached].some((k) => k.endsWith(`->${status}`)), status).toBe(true);
    for (const a of ACTIONS) expect([...reached].some((k) => k.startsWith(`${a}->`)), a).toBe(true);
    expect(reached.has('recalled->NO_SHOW')).toBe(true);
  });
});
