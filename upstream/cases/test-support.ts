import { randomUUID } from 'node:crypto';
import type { CaseAction } from '../../shared/case/types.js';
import type { MutationAck } from '../../shared/hall/api.js';
import { authHeaders, type Reply, type TestHall } from '../testing.js';

/**
 * Test support for the hall's case tests: a window (enrolled device, clerk, its own mutation ids)
 * that pushes case actions the way a workstation's outbox does.
 */
export function newCaseId(): string {
  return `c-${randomUUID().replace(/-/g, '').slice(0, 20)}`;
}

export function newKey(): string {
  return randomUUID().replace(/-/g, '');
}

type Opened = Extract<CaseAction, { type: 'opened' }>;

export function openAction(extra: Partial<Opened> = {}): Opened {
  return {
    type: 'opened',
    subject: { kind: 'bundle', code: 'qykb' },
    title: '企业开办',
    provisionalNo: '临03-20250303-001',
    catalogVersion: null,
    ...extra,
  };
}

export interface CaseWindow {
  clientId: string;
  deviceToken: string;
  deviceId: string;
  windowId: string;
  staffId: string;
  /** The next mutation id this window will use. */
  nextId: number;
  /** Pushes raw mutation bodies (ids given by the caller). */
  pushRaw(mutations: unknown[]): Promise<Reply>;
  /** One case action as the next mutation; returns its ack. */
  act(caseId: string, action: CaseAction, o?: { key?: string; at?: number }): Promise<MutationAck>;
  /** The mutation body `act` would push (ids not advanced). */
  body(caseId: string, action: CaseAction, o?: { key?: string; at?: number; mutationId?: number }): Record<string, unknown>;
  open(caseId?: string, extra?: Parameters<typeof openAction>[0]): Promise<{ caseId: string; ack: MutationAck }>;
}

export async function caseWindow(t: TestHall, office: string, windowId: string, staffId: string): Promise<CaseWindow> {
  const dev = await t.enroll(office);
  const w: CaseWindow = {
    clientId: dev.clientId,
    deviceToken: dev.deviceToken,
    deviceId: dev.deviceId,
    windowId,
    staffId,
    nextId: 1,
    pushRaw: (mutations) => t.request('POST', '/api/sync/push', { clientId: dev.clientId, mutations }, authHeaders({ device: dev.deviceToken })),
    body: (caseId, action, o = {}) => ({
      mutationId: o.mutationId ?? w.nextId,
      kind: 'case_action',
      caseId,
      key: o.key ?? newKey(),
      windowId,
      staffId,
      at: o.at ?? t.clock.now(),
      action,
    }),
    async act(caseId, action, o = {}) {
      const r = await w.pushRaw([w.body(caseId, action, o)]);
      if (r.status !== 200) throw new Error(`push failed: ${r.status} ${JSON.stringify(r.body)}`);
      w.nextId += 1;
      return (r.body.acks as MutationAck[])[0]!;
    },
    async open(caseId = newCaseId(), extra = {}) {
      return { caseId, ack: await w.act(caseId, openAction(extra)) };
    },
  };
  return w;
}
