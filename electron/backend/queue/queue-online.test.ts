import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HallServer } from '../../../upstream/server.js';
import type { Workstation } from '../index.js';
import { enrolledWorkstation, issueTicket, signIn, startTestHall, state, tempDir, value, waitFor } from '../test-helpers.js';

let hall: HallServer;
let a: Workstation;
let b: Workstation;
beforeAll(async () => {
  hall = await startTestHall(tempDir('hall'));
  a = (await enrolledWorkstation(hall)).ws;
  b = (await enrolledWorkstation(hall)).ws;
  value(await signIn(a, 1, '1001'));
  value(await signIn(b, 2, '1002'));
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await hall?.close();
});

describe('queue actions against the hall', () => {
  it('calls, recalls, starts and transfers a ticket; the other board\'s window sees it', async () => {
    const t = await issueTicket(hall.url, 'A');
    const called = value(await a.handlers['queue.callNext']({}));
    expect(called.panel?.current).toMatchObject({ ticketId: t.ticketId, status: 'CALLED', recallCount: 0 });
    expect(called.canCallNext).toBe(false);
    const recalled = value(await a.handlers['queue.recall']({}));
    expect(recalled.panel?.current?.recallCount).toBe(1);
    value(await a.handlers['queue.start']({}));
    const moved = value(await a.handlers['queue.transfer']({ toBoard: 'B', toWindowId: 'qihe-county/2', position: 'front' }));
    expect(moved.panel?.current).toBeNull();
    expect(moved.sync.pending).toBe(0);
    const atB = value(await b.handlers['queue.callNext']({}));
    expect(atB.panel?.current).toMatchObject({ ticketId: t.ticketId, status: 'CALLED' });
    value(await b.handlers['queue.noShow']({}));
    expect((await state(b)).panel?.current).toBeNull();
  });

  it('holds at one window and resumes at another window serving the board', async () => {
    const t = await issueTicket(hall.url, 'A');
    value(await a.handlers['queue.callNext']({}));
    value(await a.handlers['queue.start']({}));
    const held = value(await a.handlers['queue.hold']({ kind: 'without_materials', note: '回家取户口本' }));
    expect(held.panel?.current).toBeNull();
    await waitFor('B sees the held ticket', async () => (await state(b)).panel?.resumable.some((r) => r.ticketId === t.ticketId));
    const resumed = value(await b.handlers['queue.resume']({ ticketId: t.ticketId }));
    expect(resumed.panel?.current).toMatchObject({ ticketId: t.ticketId, status: 'SERVING' });
    const done = value(await b.handlers['queue.finish']({ caseNo: 'QH-1' }));
    expect(done.panel?.current).toBeNull();
  });

  it('puts a called applicant back at the end of the line (重新排队), behind those already waiting', async () => {
    const first = await issueTicket(hall.url, 'B');
    const second = await issueTicket(hall.url, 'B');
    const called = value(await b.handlers['queue.callNext']({}));
    expect(called.panel?.current?.ticketId).toBe(first.ticketId);
    const back = value(await b.handlers['queue.recycle']({}));
    expect(back.panel?.current).toBeNull();
    expect(back.sync.pending).toBe(0);
    await waitFor('window B may call again', async () => (await state(b)).canCallNext);
    expect(value(await b.handlers['queue.callNext']({})).panel?.current?.ticketId).toBe(second.ticketId);
    value(await b.handlers['queue.noShow']({}));
    await waitFor('window B may call again', async () => (await state(b)).canCallNext);
    expect(value(await b.handlers['queue.callNext']({})).panel?.current?.ticketId).toBe(first.ticketId);
    value(await b.handlers['queue.noShow']({}));
  });

  it('pauses and resumes the window; calling is blocked while paused', async () => {
    const paused = value(await a.handlers['queue.pause']({ reason: '午休' }));
    expect(paused.panel?.window).toMatchObject({ status: 'paused', pauseReason: '午休' });
    expect(paused.canCallNext).toBe(false);
    expect(paused.callBlockedReason).toBe('窗口已暂停服务，请先恢复服务');
    const open = value(await a.handlers['queue.unpause']({}));
    expect(open.panel?.window.status).toBe('open');
    expect(open.canCallNext).toBe(true);
  });
});
