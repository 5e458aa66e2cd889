import { describe, expect, it } from 'vitest';
import { closedAfterEach, enrolledWorkstation, signIn, state, tempDir, value, waitFor } from '../electron/backend/test-helpers.js';
import { deviceCommand, DeviceUsageError } from './devices.js';

const { cleanups, hallAt } = closedAfterEach();

const run = (argv: string[]) => {
  let out = '';
  const code = deviceCommand(argv, (s) => (out += s));
  return { code, lines: out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
};

describe('onewindow hall device list|revoke', () => {
  it('lists the workstations with who is signed in; a revoked one is refused at once, its session ended, the hall still running', async () => {
    const dir = tempDir('hall');
    const hall = await hallAt(dir);
    const a = await enrolledWorkstation(hall);
    cleanups.push(() => a.ws.close());
    const b = await enrolledWorkstation(hall);
    cleanups.push(() => b.ws.close());
    value(await signIn(a.ws));
    value(await b.ws.handlers['session.signIn']({ staffId: '9001', pin: '123456' }));

    const listed = run(['list', '--data', dir]).lines;
    expect(listed).toHaveLength(2);
    const devA = listed.find((d) => (d.sessions as Array<{ staffId: string }>)[0]?.staffId === '1001')!;
    expect(devA).toMatchObject({ office: 'qihe-county', name: '测试工作站', revoked: false, revokedAt: null, sessions: [{ staffId: '1001', windowId: 'qihe-county/1' }] });
    expect(listed.find((d) => d !== devA)).toMatchObject({ sessions: [{ staffId: '9001', windowId: null }] });
    expect(run(['list', '--data', dir, '--office', 'qihe-edz']).lines).toEqual([]);

    const revoked = run(['revoke', '--data', dir, '--id', String(devA.id), '--reason', '笔记本电脑遗失']);
    expect(revoked.code).toBe(0);
    expect(revoked.lines[0]).toMatchObject({ id: devA.id, revoked: true, revokedReason: '笔记本电脑遗失', sessionsEnded: 1, alreadyRevoked: false, sessions: [] });

    // The workstation's next request is refused; it says the hall no longer knows it and offers the enrol form.
    const refused = await a.ws.handlers['queue.callNext']({});
    expect(refused).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    await waitFor('the window knows it is not known', async () => (await state(a.ws)).sync.unknownToHall, 10_000);
    expect(value(await a.ws.handlers['device.status']({})).enrolled).toBe(false);
    // The running hall notices within seconds: the window is closed in the live view and the revoked
    // workstation's socket is closed (it hears nothing more). The other workstation works on.
    const window1 = async () => value(await b.ws.handlers['dashboard.live']({ queueAlarmLength: 20 })).windows.find((w) => w.id === 'qihe-county/1');
    expect((await window1())?.status).not.toBe('closed');
    await waitFor('window 1 closed on the hall', async () => (await window1())?.status === 'closed', 10_000);
    await waitFor('the revoked workstation offline', async () => !(await state(a.ws)).connection.online, 10_000);
    expect((await state(b.ws)).session?.staff.id).toBe('9001');

    expect(run(['revoke', '--data', dir, '--id', String(devA.id), '--reason', '再次停用']).lines[0]).toMatchObject({ alreadyRevoked: true, revokedReason: '笔记本电脑遗失' });
  });

  it('refuses a missing reason, an unknown device and a folder without a hall database', async () => {
    const dir = tempDir('hall');
    const hall = await hallAt(dir);
    expect(hall.url).toMatch(/^http/);
    expect(() => run(['revoke', '--data', dir, '--id', 'dev-x'])).toThrow(DeviceUsageError);
    expect(() => run(['revoke', '--data', dir, '--id', 'dev-x', '--reason', '遗失'])).toThrow('no device "dev-x"');
    expect(() => run(['list', '--data', tempDir('empty')])).toThrow('no hall database');
    expect(() => run(['remove', '--data', dir])).toThrow('unknown command "hall device remove"');
  });
});
