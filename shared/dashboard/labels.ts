import { windowLabel, type HallConfig } from '../office/config.js';
import type { KpiLabels } from './kpi-history.js';

/**
 * Names for the dashboard's rows, from the hall configuration. With more than one office in view a
 * window's name says whose it is ("经济开发区分中心 1号综合窗口"); staff read "王丽（1001）".
 */
export function kpiLabels(config: HallConfig, officesInView: number): KpiLabels {
  const offices = new Map(config.offices.map((o) => [o.id, o]));
  const staff = new Map(config.staff.map((s) => [s.id, s.name]));
  const boards = new Map<string, string>();
  for (const o of config.offices) for (const b of o.boards) if (!boards.has(b.code)) boards.set(b.code, b.name);
  return {
    officeName: (id) => offices.get(id)?.shortName ?? id,
    boardName: (code) => `${code} ${boards.get(code) ?? ''}`.trim(),
    windowName: (office, no) => {
      const o = offices.get(office);
      const w = o?.windows.find((x) => x.no === no);
      const name = w ? windowLabel(w) : `${no}号窗口`;
      return officesInView > 1 ? `${o?.shortName ?? office} ${name}` : name;
    },
    staffName: (id) => (staff.has(id) ? `${staff.get(id)}（${id}）` : id),
    targetMs: (office) => (offices.get(office)?.policy.targetWaitMinutes ?? 10) * 60_000,
  };
}
