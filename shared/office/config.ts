import { z } from 'zod';
import { BoardCode, OfficeId, StaffId } from '../queue/types.js';

/** The hall's configuration: offices (county hall and branch centres), their boards, windows and staff. */
export const Role = z.enum(['clerk', 'branch_staff', 'supervisor', 'admin']);
export type Role = z.infer<typeof Role>;
export const ROLE_LABEL: Record<Role, string> = {
  clerk: '综合窗口受理员',
  branch_staff: '分中心工作人员',
  supervisor: '大厅负责人',
  admin: '系统管理员',
};

/** Supervisors and administrators watch the hall (dashboard, settings) and may sign in without a window's seat. */
export const watchesHall = (roles: readonly Role[]): boolean => roles.some((r) => r === 'supervisor' || r === 'admin');

/** The sign-in form's window choice for a sign-in without a window's seat. */
export const NO_SEAT = 'no-seat';

/** Said when a sign-in without a window (值班登录) tries window work: calling, serving, cases. */
export const NO_SEAT_MESSAGE = '本次为值班登录，未占用窗口，不能叫号或办件。请退出后选择窗口登录。';
/** Said when a clerk tries to sign in without choosing a window. */
export const SEAT_REQUIRED_MESSAGE = '请选择窗口：窗口工作人员须在窗口登录，不占用窗口的值班登录仅限大厅负责人和管理员。';

export const BoardConfig = z.object({
  code: BoardCode,
  name: z.string().min(1).max(20),
  /** Seed of the service-time average until real services are measured. */
  defaultServiceMinutes: z.number().positive().max(240),
  recallLimit: z.number().int().min(0).max(10).default(2),
});
export type BoardConfig = z.infer<typeof BoardConfig>;

export const WindowConfig = z.object({
  no: z.number().int().min(1).max(999),
  name: z.string().min(1).max(30).optional(),
  boards: z
    .array(z.object({ board: BoardCode, weight: z.number().int().min(1).max(10) }))
    .min(1, 'a window serves at least one board'),
});
export type WindowConfig = z.infer<typeof WindowConfig>;

export const OfficeConfig = z.object({
  id: OfficeId,
  name: z.string().min(1).max(60),
  shortName: z.string().min(1).max(20),
  kind: z.enum(['county', 'branch']),
  parent: OfficeId.optional(),
  /** Prepended to ticket numbers so a branch's numbers never collide with the hall's ("K" → KA001). */
  prefix: z.string().regex(/^[A-Z]{0,2}$/),
  /**
   * 机关代字 of the documents the office issues (齐审批 → 齐审批备〔2026〕12号). Default by kind (see
   * documentAbbreviation); distinct across the hall's offices, or their document numbers would repeat.
   */
  abbreviation: z.string().regex(/^\p{Script=Han}{1,10}$/u, '机关代字应为 1 至 10 个汉字').optional(),
  boards: z.array(BoardConfig).min(1),
  windows: z.array(WindowConfig).min(1),
  policy: z
    .object({
      targetWaitMinutes: z.number().positive().default(10),
      /** Shortest gap between two "call next" presses of one window. */
      minCallGapMs: z.number().int().min(0).max(60_000).default(2_000),
      /** Anti-starvation: a ticket waiting longer than this is called first. 0 disables it. */
      maxWaitMinutes: z.number().min(0).default(30),
    })
    .prefault({}),
});
export type OfficeConfig = z.infer<typeof OfficeConfig>;

export const StaffConfig = z.object({
  id: StaffId,
  name: z.string().min(1).max(20),
  office: OfficeId,
  roles: z.array(Role).min(1),
  /** scrypt$N$r$p$salt$hash (base64). Never a plain PIN. */
  pinHash: z.string().regex(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/),
});
export type StaffConfig = z.infer<typeof StaffConfig>;

export const HallConfig = z
  .object({
    hallName: z.string().min(1).max(60),
    timeZone: z.string().default('Asia/Shanghai'),
    offices: z.array(OfficeConfig).min(1),
    staff: z.array(StaffConfig),
  })
  .superRefine((cfg, ctx) => {
    const ids = new Set<string>();
    const prefixes = new Set<string>();
    const abbreviations = new Map<string, string>();
    cfg.offices.forEach((o, i) => {
      if (ids.has(o.id)) ctx.addIssue({ code: 'custom', path: ['offices', i, 'id'], message: `duplicate office id ${o.id}` });
      ids.add(o.id);
      if (prefixes.has(o.prefix))
        ctx.addIssue({ code: 'custom', path: ['offices', i, 'prefix'], message: `prefix "${o.prefix}" already used: ticket numbers would collide` });
      prefixes.add(o.prefix);
      const abbreviation = documentAbbreviation(o);
      const holder = abbreviations.get(abbreviation);
      if (holder !== undefined)
        ctx.addIssue({ code: 'custom', path: ['offices', i, 'abbreviation'], message: `机关代字 "${abbreviation}" already used by ${holder}: document numbers would repeat; give each office its own` });
      abbreviations.set(abbreviation, o.id);
      const boards = new Set(o.boards.map((b) => b.code));
      if (boards.size !== o.boards.length) ctx.addIssue({ code: 'custom', path: ['offices', i, 'boards'], message: 'duplicate board code' });
      const nos = new Set<number>();
      o.windows.forEach((w, j) => {
        if (nos.has(w.no)) ctx.addIssue({ code: 'custom', path: ['offices', i, 'windows', j, 'no'], message: `duplicate window ${w.no}` });
        nos.add(w.no);
        w.boards.forEach((b, k) => {
          if (!boards.has(b.board))
            ctx.addIssue({ code: 'custom', path: ['offices', i, 'windows', j, 'boards', k], message: `unknown board ${b.board}` });
        });
      });
    });
    cfg.offices.forEach((o, i) => {
      if (o.parent !== undefined && !ids.has(o.parent))
        ctx.addIssue({ code: 'custom', path: ['offices', i, 'parent'], message: `unknown parent office ${o.parent}` });
    });
    const staffIds = new Set<string>();
    cfg.staff.forEach((s, i) => {
      if (!ids.has(s.office)) ctx.addIssue({ code: 'custom', path: ['staff', i, 'office'], message: `unknown office ${s.office}` });
      if (staffIds.has(s.id)) ctx.addIssue({ code: 'custom', path: ['staff', i, 'id'], message: `duplicate staff id ${s.id}` });
      staffIds.add(s.id);
    });
  });
export type HallConfig = z.infer<typeof HallConfig>;

/** The 机关代字 an office's documents are numbered under: its own, or 齐审批 for the county hall and 齐开审批 for a branch. */
export function documentAbbreviation(o: { kind: OfficeConfig['kind']; abbreviation?: string | undefined }): string {
  return o.abbreviation ?? (o.kind === 'county' ? '齐审批' : '齐开审批');
}

export function windowId(office: string, no: number): string {
  return `${office}/${no}`;
}

export function parseWindowId(id: string): { office: string; no: number } {
  const i = id.lastIndexOf('/');
  return { office: id.slice(0, i), no: Number(id.slice(i + 1)) };
}

export function windowLabel(w: { no: number; name?: string | undefined }): string {
  return w.name ?? `${w.no}号窗口`;
}

/**
 * The offices whose records a workstation of `office` may see: its own, and for the county hall
 * also its branches' (offices whose parent it is). Own office first, then the config's order.
 */
export function visibleOffices(config: Pick<HallConfig, 'offices'>, office: string): string[] {
  const own = config.offices.find((o) => o.id === office);
  if (!own) return [];
  const branches = own.kind === 'county' ? config.offices.filter((o) => o.parent === own.id).map((o) => o.id) : [];
  return [own.id, ...branches];
}
