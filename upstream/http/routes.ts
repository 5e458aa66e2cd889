import type { z } from 'zod';
import type { DashboardRouteName } from '../../shared/dashboard/api.js';
import type { RegistryRouteName } from '../../shared/hall/registry-api.js';
import type { DocumentNumberRouteName } from '../../shared/hall/document-number-api.js';
import { AppError } from '../../shared/errors.js';
import { HallApi, type HallOutput, type HallRouteName } from '../../shared/hall/api.js';
import { NO_SEAT_MESSAGE } from '../../shared/office/config.js';
import type { Access, SessionContext } from '../auth/access.js';
import type { QueueEngine } from '../queue/engine.js';
import type { DeviceRow } from '../store/hall-store.js';

/** The handlers behind every HallApi route. Inputs arrive validated; auth is done by the caller. */
export interface RouteContext {
  device: DeviceRow | undefined;
  session: SessionContext | undefined;
}

type Handler<N extends HallRouteName> = (
  input: z.infer<(typeof HallApi)[N]['input']>,
  ctx: RouteContext,
) => HallOutput<N> | Promise<HallOutput<N>>;
export type RouteHandlers = { [N in HallRouteName]: Handler<N> };

function needDevice(ctx: RouteContext): DeviceRow {
  if (!ctx.device) throw new AppError('internal', '系统内部错误。', 'route without device context');
  return ctx.device;
}

function needSession(ctx: RouteContext): SessionContext {
  if (!ctx.session) throw new AppError('internal', '系统内部错误。', 'route without session context');
  return ctx.session;
}

/** The window and clerk of a queue action; a sign-in without a window's seat (值班登录) has none. */
function actor(ctx: RouteContext) {
  const s = needSession(ctx).session;
  if (s.windowId === null) throw new AppError('forbidden', NO_SEAT_MESSAGE, `staff ${s.staffId} signed in without a window`);
  return { windowId: s.windowId, staffId: s.staffId };
}

export function createRouteHandlers(queue: QueueEngine, access: Access): Omit<RouteHandlers, DashboardRouteName | RegistryRouteName | DocumentNumberRouteName> {
  return {
    time: () => ({ now: queue.now() }),
    enroll: (input) => access.enroll(input.code, input.deviceName),
    officePublic: (input) => queue.officePublic(input.office),
    kioskIssue: async (input) => {
      let greenStaffId: string | undefined;
      if (input.green) {
        const staff = await access.verifyStaff(input.green.staffId, input.green.pin);
        const office = queue.office(input.office);
        if (staff.office !== office.id && staff.office !== office.parent) {
          throw new AppError('forbidden', '该工作人员不属于本大厅，不能办理绿色通道。', `staff ${staff.id} of ${staff.office}`);
        }
        greenStaffId = staff.id;
      }
      return queue.issue({
        office: input.office,
        board: input.board,
        priority: greenStaffId ? 'green' : 'normal',
        requestId: input.requestId,
        greenStaffId,
      });
    },
    kioskCheckIn: (input) => queue.checkIn(input),
    displayRecent: (input) => ({ calls: queue.recent(input.office) }),
    evaluatorPending: (input) => ({ request: queue.evaluatorPending(input.windowId) }),
    evaluatorRate: (input) => {
      queue.rate(input);
      return { ok: true as const };
    },
    signIn: (input, ctx) => access.signIn(needDevice(ctx), input),
    signOut: (_input, ctx) => {
      access.signOut(needSession(ctx));
      return { ok: true as const };
    },
    panel: (_input, ctx) => queue.panel(actor(ctx).windowId),
    callNext: (input, ctx) => queue.callNext(actor(ctx), input.requestId),
    resume: (input, ctx) => queue.resume(actor(ctx), input.ticketId, input.requestId),
    pause: (input, ctx) => queue.pause(actor(ctx), input.reason),
    unpause: (_input, ctx) => queue.unpause(actor(ctx)),
    push: (input, ctx) => {
      const device = needDevice(ctx);
      if (device.clientId !== input.clientId) {
        throw new AppError('forbidden', '同步身份与本工作站不符，请重新登记工作站。', `client ${input.clientId} is not device ${device.id}'s`);
      }
      return queue.push(device, input.clientId, input.mutations);
    },
    pull: (input, ctx) => queue.pull(needDevice(ctx).office, input),
  };
}
