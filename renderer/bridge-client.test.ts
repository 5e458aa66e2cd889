import { describe, expect, it } from 'vitest';
import type { OneWindowApi } from '../shared/contract.js';
import { withValidation } from './bridge-client.js';

const device = {
  enrolled: true,
  deviceName: '3号窗口电脑',
  office: 'qihe-county',
  officeName: '齐河县政务服务中心',
  hallUrl: 'http://127.0.0.1:7300',
  embeddedHall: false,
  windows: [],
  windowId: null,
  publicPages: null,
};

function fakeApi(value: unknown, event?: unknown): OneWindowApi & { emit(): void } {
  let listener: ((p: unknown) => void) | undefined;
  return {
    invoke: (async () => ({ ok: true, value })) as unknown as OneWindowApi['invoke'],
    on: ((_e: string, l: (p: unknown) => void) => {
      listener = l;
      return () => undefined;
    }) as unknown as OneWindowApi['on'],
    emit: () => listener?.(event),
  };
}

describe('withValidation (the renderer side of "validated on both sides")', () => {
  it('passes a result that matches the method output schema', async () => {
    const api = withValidation(fakeApi(device));
    const r = await api.invoke('device.status', {});
    expect(r).toEqual({ ok: true, value: device });
  });

  it('turns a malformed result into a Chinese error instead of handing it to the UI', async () => {
    const api = withValidation(fakeApi({ enrolled: 'yes' }));
    const r = await api.invoke('device.status', {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/格式不正确/);
  });

  it('turns a transport that throws into an offline error', async () => {
    const broken: OneWindowApi = {
      invoke: (async () => {
        throw new Error('socket hang up');
      }) as unknown as OneWindowApi['invoke'],
      on: () => () => undefined,
    };
    const r = await withValidation(broken).invoke('device.status', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'offline' } });
  });

  it('drops an event whose payload does not match the Events schema', () => {
    const raw = fakeApi(device, { session: 'nope' });
    const seen: unknown[] = [];
    withValidation(raw).on('queue.state', (p) => seen.push(p));
    raw.emit();
    expect(seen).toEqual([]);
  });
});
