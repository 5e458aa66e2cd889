import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HallHttpError } from '../hall-client/http.js';
import { openDatabase } from '../store/database.js';
import { tempDir } from '../test-helpers.js';
import { HallRecognition, hallForgotDevice } from './re-enrol-notice.js';

const unknownDevice = () => new HallHttpError(401, 'unauthorized', '该工作站尚未登记', 'unknown or revoked device token');

function setup() {
  const db = openDatabase(path.join(tempDir('re-enrol-notice'), 'workstation.db'));
  let token: string | null = 'old-token';
  let changes = 0;
  const probes: { token: string; answer: (known: boolean) => void }[] = [];
  const recognition = new HallRecognition(db, {
    waiting: () => 1,
    changed: () => changes++,
    currentToken: () => token,
    probe: (t) => new Promise<boolean>((resolve) => probes.push({ token: t, answer: resolve })),
  });
  return { db, recognition, probes, enrolAgain: (t: string | null) => (token = t), changes: () => changes };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('HallRecognition', () => {
  it('marks the device unknown when the hall refuses the current token, and known again when it accepts it', async () => {
    const { db, recognition, changes } = setup();
    await expect(recognition.watch(Promise.reject(unknownDevice()), 'old-token')).rejects.toThrow();
    expect(hallForgotDevice(db)).toBe(true);
    expect(recognition.notice(null)).toContain('大厅服务器已不认识本工作站');
    await recognition.watch(Promise.resolve('page'), 'old-token');
    expect(hallForgotDevice(db)).toBe(false);
    expect(changes()).toBe(2);
  });

  it('ignores a refusal of the old token that arrives after the window enrolled again (a pull in flight)', async () => {
    const { db, recognition, enrolAgain } = setup();
    let refuse!: (err: unknown) => void;
    const inFlight = recognition.watch(new Promise((_, reject) => (refuse = reject)), 'old-token');
    enrolAgain('new-token');
    refuse(unknownDevice());
    await expect(inFlight).rejects.toThrow();
    expect(hallForgotDevice(db)).toBe(false);
  });

  it('ignores a probe answer about the old token once the window enrolled again', async () => {
    const { db, recognition, probes, enrolAgain } = setup();
    recognition.connectionChanged(false);
    expect(probes.map((p) => p.token)).toEqual(['old-token']);
    enrolAgain('new-token');
    probes[0]!.answer(false);
    await settle();
    expect(hallForgotDevice(db)).toBe(false);
    recognition.close();
  });

  it('does not probe without an enrolment', async () => {
    const { recognition, probes, enrolAgain } = setup();
    enrolAgain(null);
    recognition.connectionChanged(false);
    await settle();
    expect(probes).toHaveLength(0);
    recognition.close();
  });
});
