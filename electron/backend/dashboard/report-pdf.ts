import { PDFDocument, rgb, type PDFPage } from 'pdf-lib';
import { onTimeShare, type CaseFigure, type CaseFigureRow } from '../../../shared/dashboard/case-source.js';
import { CASE_DEFINITIONS, QUOTE_DEFINITIONS } from '../../../shared/dashboard/definitions.js';
import { decimal1, minutes1, percent1 } from '../../../shared/dashboard/format.js';
import type { QuoteRow } from '../../../shared/dashboard/quotes.js';
import { FOLLOWUP_OUTCOME_LABEL } from '../../../shared/dashboard/followup.js';
import { BUCKET_LABEL } from '../../../shared/dashboard/period.js';
import type { HistoryReport, KpiRow } from '../../../shared/dashboard/views.js';
import { FontSet, runs } from '../certificates/draw.js';
import { fontkitAdapter, type FaceName } from '../certificates/fonts.js';

/**
 * The history report as an A4 PDF: figures, a wait chart against the target, the breakdown tables,
 * the low ratings with their follow-up. Text is set in Noto Serif SC through the certificates' font
 * loader (fontkit 2 adapter: subset CJK fonts that survive pdf-lib), each run in the face that has
 * its glyphs.
 */
const A4: [number, number] = [595.28, 841.89];
const M = 40;
const INK = rgb(0.11, 0.15, 0.2);
const MUTED = rgb(0.45, 0.5, 0.56);
const LINE = rgb(0.85, 0.88, 0.92);
const BLUE = rgb(0.1, 0.4, 0.76);
const RED = rgb(0.78, 0.16, 0.16);

interface Ctx {
  doc: PDFDocument;
  fonts: FontSet;
  page: PDFPage;
  y: number;
  pageNo: number;
}

function widthOf(text: string, size: number, face: FaceName = 'song'): number {
  return runs({ text, face }).reduce((w, r) => w + r.widthEm * size, 0);
}

async function text(c: Ctx, s: string, x: number, y: number, size: number, o: { face?: FaceName; color?: ReturnType<typeof rgb>; align?: 'left' | 'right'; maxWidth?: number } = {}): Promise<void> {
  let str = s;
  const face = o.face ?? 'song';
  if (o.maxWidth !== undefined) while (str.length > 1 && widthOf(str, size, face) > o.maxWidth) str = `${Array.from(str).slice(0, -2).join('')}…`;
  let cx = o.align === 'right' ? x - widthOf(str, size, face) : x;
  for (const r of runs({ text: str, face })) {
    c.page.drawText(r.text, { x: cx, y, size, font: await c.fonts.get(r.face), color: o.color ?? INK });
    cx += r.widthEm * size;
  }
}

async function newPage(c: Ctx): Promise<void> {
  c.page = c.doc.addPage(A4);
  c.pageNo += 1;
  c.y = A4[1] - M;
  await text(c, `第 ${c.pageNo} 页`, A4[0] - M, 20, 8, { color: MUTED, align: 'right' });
}

async function need(c: Ctx, h: number): Promise<void> {
  if (c.y - h < M) await newPage(c);
}

async function heading(c: Ctx, s: string): Promise<void> {
  await need(c, 40);
  c.y -= 22;
  await text(c, s, M, c.y, 12, { face: 'songBold', color: BLUE });
  c.y -= 8;
}

type Cols<R> = Array<[string, number, (r: R) => string]>;

const COLS: Cols<KpiRow> = [
  ['取号', 40, (r) => String(r.issued)],
  ['办结', 40, (r) => String(r.done)],
  ['平均等待', 44, (r) => minutes1(r.waitAvgMs)],
  ['90分位', 40, (r) => minutes1(r.waitP90Ms)],
  ['目标内', 42, (r) => percent1(r.withinTargetShare)],
  ['满意率', 42, (r) => percent1(r.satisfactionRate)],
  ['过号率', 38, (r) => percent1(r.noShowRate)],
  ['离开率', 38, (r) => percent1(r.leftRate)],
  ['时办结', 36, (r) => decimal1(r.throughputPerHour)],
  ['利用率', 38, (r) => percent1(r.utilisation)],
];

const CASE_SHORT: Array<[CaseFigure, string]> = [
  ['accepted', '受理'],
  ['oneTimeNotices', '告知'],
  ['notAccepted', '不予受理'],
  ['instantApprovals', '秒批'],
  ['crossRegion', '跨域'],
  ['forwarded', '转报'],
  ['escalations', '办不成事'],
  ['escalationsOpen', '未办结'],
  ['decided', '办结'],
  ['overdue', '逾期'],
];
const CASE_COLS: Cols<CaseFigureRow> = [
  ...CASE_SHORT.map(([k, label]): [string, number, (r: CaseFigureRow) => string] => [label, label.length > 2 ? 36 : 28, (r) => String(r[k])]),
  ['按时办结率', 48, (r) => percent1(onTimeShare(r))],
];

const QUOTE_COLS: Cols<QuoteRow> = [
  ['叫号', 40, (r) => String(r.called)],
  ['有预计', 40, (r) => String(r.quoted)],
  ['平均偏差(分)', 58, (r) => minutes1(r.maeMs)],
  ['实际−预计(分)', 62, (r) => (r.biasMs !== null && r.biasMs > 0 ? '+' : '') + minutes1(r.biasMs)],
  ['±5分钟内', 50, (r) => percent1(r.withinShare)],
  ['兑现率', 44, (r) => percent1(r.keptShare)],
];

async function table<R extends { label: string }>(c: Ctx, title: string, first: string, rows: readonly R[], cols: Cols<R>): Promise<void> {
  if (rows.length === 0) return;
  // Never a title and column heads alone at the foot of a page: room for them and a few rows.
  await need(c, 40 + 14 * (1 + Math.min(rows.length, 3)));
  await heading(c, title);
  const nameW = A4[0] - 2 * M - cols.reduce((s, col) => s + col[1], 0);
  const head = async () => {
    c.y -= 14;
    await text(c, first, M, c.y, 8, { color: MUTED });
    let x = M + nameW;
    for (const [label, w] of cols) await text(c, label, (x += w) - 2, c.y, 8, { color: MUTED, align: 'right' });
    c.page.drawLine({ start: { x: M, y: c.y - 4 }, end: { x: A4[0] - M, y: c.y - 4 }, thickness: 0.5, color: LINE });
  };
  await head();
  for (const r of rows) {
    if (c.y - 14 < M) {
      await newPage(c);
      await head();
    }
    c.y -= 14;
    await text(c, r.label, M, c.y, 8, { maxWidth: nameW - 4 });
    let x = M + nameW;
    for (const [, w, cell] of cols) await text(c, cell(r), (x += w) - 2, c.y, 8, { align: 'right' });
  }
}

async function waitChart(c: Ctx, r: HistoryReport): Promise<void> {
  const series = r.series.slice(-62);
  if (series.length === 0) return;
  await heading(c, `等待时间（${BUCKET_LABEL[r.bucket]}，分钟）：柱为平均，点为 90 分位，红线为 ${r.targetWaitMinutes} 分钟目标`);
  const h = 110;
  await need(c, h + 24);
  const top = c.y - 6;
  const base = top - h;
  const w = A4[0] - 2 * M - 24;
  const max = Math.max(r.targetWaitMinutes * 60_000 * 1.5, ...series.map((s) => s.waitP90Ms ?? 0));
  const yOf = (ms: number) => base + (ms / max) * h;
  const step = w / series.length;
  c.page.drawLine({ start: { x: M + 24, y: base }, end: { x: A4[0] - M, y: base }, thickness: 0.5, color: MUTED });
  for (const [i, s] of series.entries()) {
    const x = M + 24 + i * step;
    if (s.waitAvgMs !== null) c.page.drawRectangle({ x: x + step * 0.15, y: base, width: step * 0.7, height: yOf(s.waitAvgMs) - base, color: BLUE, opacity: 0.75 });
    if (s.waitP90Ms !== null) c.page.drawCircle({ x: x + step / 2, y: yOf(s.waitP90Ms), size: Math.min(2.2, step / 3), color: INK });
    if (series.length <= 16 || i % Math.ceil(series.length / 12) === 0) await text(c, s.label, x + step / 2 - widthOf(s.label, 6) / 2, base - 9, 6, { color: MUTED });
  }
  const ty = yOf(r.targetWaitMinutes * 60_000);
  c.page.drawLine({ start: { x: M + 24, y: ty }, end: { x: A4[0] - M, y: ty }, thickness: 0.8, color: RED, dashArray: [3, 2] });
  await text(c, String(r.targetWaitMinutes), M + 20, ty - 3, 7, { color: RED, align: 'right' });
  await text(c, String(Math.round(max / 60_000)), M + 20, top - 3, 7, { color: MUTED, align: 'right' });
  c.y = base - 16;
}

export async function renderReportPdf(r: HistoryReport): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkitAdapter as unknown as Parameters<PDFDocument['registerFontkit']>[0]);
  doc.setTitle('政务服务大厅运行报表');
  doc.setCreator('OneWindow 一窗受理工作台');
  const c: Ctx = { doc, fonts: new FontSet(doc, `report:${r.from}:${r.to}:${r.office}`), page: undefined as unknown as PDFPage, y: 0, pageNo: 0 };
  await newPage(c);
  c.y -= 18;
  await text(c, '政务服务大厅运行报表', M, c.y, 18, { face: 'songBold' });
  c.y -= 18;
  await text(c, `${r.totals.label} · ${r.from} 至 ${r.to} · 等待目标 ${r.targetWaitMinutes} 分钟`, M, c.y, 10, { color: MUTED });
  const t = r.totals;
  const cards: Array<[string, string]> = [
    ['取号', String(t.issued)],
    ['办结', String(t.done)],
    ['平均等待', `${minutes1(t.waitAvgMs)} 分钟`],
    ['等待中位数', `${minutes1(t.waitMedianMs)} 分钟`],
    ['等待90分位', `${minutes1(t.waitP90Ms)} 分钟`],
    ['目标内叫号', percent1(t.withinTargetShare)],
    ['平均办理', `${minutes1(t.serviceAvgMs)} 分钟`],
    ['过号率', percent1(t.noShowRate)],
    ['离开未办率', percent1(t.leftRate)],
    ['满意率', percent1(t.satisfactionRate)],
    ['参评率', percent1(t.ratedShare)],
    ['窗口利用率', percent1(t.utilisation)],
  ];
  if (r.cases.available) {
    const k = r.cases.totals;
    cards.push(['受理办件', String(k.accepted)], ['一次性告知', String(k.oneTimeNotices)], ['承诺时限内办结', percent1(onTimeShare(k))]);
  }
  if (r.quoted.totals.quoted > 0) cards.push(['预计等待兑现率', percent1(r.quoted.totals.keptShare)]);
  const cw = (A4[0] - 2 * M) / 4;
  for (const [i, [k, v]] of cards.entries()) {
    if (i % 4 === 0) c.y -= 38;
    const x = M + (i % 4) * cw;
    c.page.drawRectangle({ x, y: c.y - 6, width: cw - 6, height: 34, borderColor: LINE, borderWidth: 0.6 });
    await text(c, k, x + 6, c.y + 16, 8, { color: MUTED });
    await text(c, v, x + 6, c.y, 13, { face: 'songBold' });
  }
  c.y -= 10;
  await waitChart(c, r);
  await table(c, `趋势（${BUCKET_LABEL[r.bucket]}）`, '时段', r.series, COLS);
  await table(c, '按业务板块', '板块', r.byBoard, COLS);
  await table(c, '按窗口', '窗口', r.byWindow, COLS);
  await table(c, '按工作人员', '工作人员', r.byStaff, COLS);
  if (r.byOffice.length > 1) await table(c, '按大厅', '大厅', r.byOffice, COLS);
  if (r.quoted.totals.quoted > 0) await table(c, '预计与实际等待（取号时告知的预计等待对比实际等待）', '板块', [...r.quoted.byBoard, r.quoted.totals], QUOTE_COLS);
  if (r.cases.available) {
    const k = r.cases;
    await table(c, '办件汇总', '范围', [{ ...k.totals, label: r.totals.label }], CASE_COLS);
    await table(c, `办件趋势（${BUCKET_LABEL[r.bucket]}）`, '时段', k.series, CASE_COLS);
    await table(c, '办件按业务板块', '板块', k.byBoard, CASE_COLS);
    await table(c, '办件按窗口', '窗口', k.byWindow, CASE_COLS);
    await table(c, '办件按工作人员', '工作人员', k.byStaff, CASE_COLS);
    if (k.byOffice.length > 1) await table(c, '办件按大厅', '大厅', k.byOffice, CASE_COLS);
  }
  if (r.lowRatings.length > 0) {
    await heading(c, `差评及回访（共 ${r.lowRatingsTotal} 条${r.lowRatingsTotal > 30 ? '，列出前 30 条' : ''}）`);
    for (const l of r.lowRatings.slice(0, 30)) {
      await need(c, 14);
      c.y -= 13;
      const followup = l.followup ? FOLLOWUP_OUTCOME_LABEL[l.followup.outcome] : '未回访';
      await text(c, `${l.day} ${l.number} ${l.window} ${l.staff} ${l.level}星：${l.reason}`, M, c.y, 8, { maxWidth: A4[0] - 2 * M - 60 });
      await text(c, followup, A4[0] - M, c.y, 8, { align: 'right', color: l.followup ? INK : RED });
    }
  }
  await heading(c, '说明');
  const notes = [
    r.cases.available ? `办件口径：${CASE_DEFINITIONS}` : r.cases.note,
    r.quoted.totals.quoted > 0 ? `预计等待口径：${QUOTE_DEFINITIONS}` : '本期已叫号的号码取号时没有记录预计等待，不作预计与实际等待对比。',
    '口径：等待为取号至首次叫号；办理为开始办理至办结（不含挂起）；满意为“基本满意”及以上；离开未办为取消或当日未办结；利用率为办理时长占在岗时长。',
  ];
  for (const n of notes) {
    // Wrap by width, character by character.
    let line = '';
    for (const ch of n) {
      if (widthOf(line + ch, 8) > A4[0] - 2 * M) {
        await need(c, 12);
        c.y -= 12;
        await text(c, line, M, c.y, 8, { color: MUTED });
        line = '';
      }
      line += ch;
    }
    await need(c, 12);
    c.y -= 12;
    await text(c, line, M, c.y, 8, { color: MUTED });
    c.y -= 4;
  }
  return doc.save();
}
