import { describe, expect, it } from 'vitest';
import { loadCatalogDir } from '../../../shared/catalog/node-loader.js';
import { CERTIFICATE_TEMPLATES } from '../../../shared/catalog/schema.js';
import { defaultCatalogDir } from '../../../upstream/config.js';
import { face, unprintable } from './fonts.js';
import { PT_PER_MM, type PlacedText } from './layout.js';
import { prepareDocument } from './render.js';
import { sampleFields } from './sample-fields.js';
import { Template, placeholders, type TemplateInput } from './template-schema.js';
import { allTemplates, loadTemplateDir } from './templates.js';
import { specimenSeal, testOffice } from './test-support.js';

const NOTICES = ['acceptance_notice', 'one_time_notice', 'rejection_notice', 'tolerant_acceptance_notice', 'commitment_letter', 'approval_decision'];

describe('templates as data', () => {
  it('every file in resources/templates is a valid template named after its id', () => {
    const { templates, problems } = loadTemplateDir();
    expect(problems).toEqual([]);
    expect(templates.size).toBeGreaterThanOrEqual(35);
  });

  it('covers every result template of the catalog and of the schema, and the six notices', () => {
    const loaded = loadCatalogDir(defaultCatalogDir());
    if (!loaded.ok) throw new Error('catalog invalid');
    const used = new Set(loaded.catalog.matters.flatMap((m) => m.results.map((r) => r.template)));
    const have = new Set(allTemplates().keys());
    expect([...used].filter((id) => !have.has(id))).toEqual([]);
    expect(CERTIFICATE_TEMPLATES.filter((id) => !have.has(id))).toEqual([]);
    expect(NOTICES.filter((id) => !have.has(id))).toEqual([]);
  });

  it('prints every fixed text of every template with the embedded fonts', () => {
    for (const t of allTemplates().values()) {
      const texts: string[] = [t.name];
      for (const e of t.elements) {
        if (e.type === 'text') texts.push(e.text);
        if (e.type === 'table') texts.push(...e.rows.flatMap((r) => r.cells.map((c) => c.text)));
        if (e.type === 'flow') texts.push(...e.blocks.flatMap((b) => (b.kind === 'paragraph' ? [b.text] : b.kind === 'table' ? b.columns.map((c) => c.header) : [])));
      }
      const fixed = texts.map((x) => x.replace(/\{[^}]+\}/g, '')).join('');
      expect(unprintable(fixed, face('songBold')), t.id).toEqual([]);
    }
  });

  it('places the seal over the office name and date, and keeps the QR code clear of text and seal', async () => {
    const office = testOffice();
    for (const t of allTemplates().values()) {
      const p = await prepareDocument({ template: t, fields: sampleFields(t), office, seal: specimenSeal(office), number: '齐审批〔2026〕1号', issuedAt: '2026-05-06', hallUrl: 'http://127.0.0.1:7300' });
      const lines = p.layout.items.filter((i): i is PlacedText => i.kind === 'text');
      const cx = t.seal.cx * PT_PER_MM;
      const cy = p.layout.height - t.seal.cy * PT_PER_MM;
      const r = (t.seal.diameter / 2) * PT_PER_MM;
      for (const what of [office.officeName, '2026年5月6日']) {
        const line = lines.find((l) => l.text.includes(what) && Math.hypot(l.x + l.width / 2 - cx, l.baseline + l.size * 0.38 - cy) < r * 0.75);
        expect(line, `${t.id}: ${what} under the seal`).toBeDefined();
      }
      const qx0 = t.qr.x * PT_PER_MM;
      const qy1 = p.layout.height - t.qr.y * PT_PER_MM;
      const side = t.qr.size * PT_PER_MM;
      for (const l of lines) {
        const apart = l.x + l.width <= qx0 || l.x >= qx0 + side || l.baseline >= qy1 || l.baseline + l.size * 0.88 <= qy1 - side;
        expect(apart, `${t.id}: "${l.text}" over the QR code`).toBe(true);
      }
      const nearestX = Math.max(qx0, Math.min(cx, qx0 + side));
      const nearestY = Math.max(qy1 - side, Math.min(cy, qy1));
      expect(Math.hypot(nearestX - cx, nearestY - cy), `${t.id}: seal over the QR code`).toBeGreaterThan(r);
    }
  });
});

describe('template schema', () => {
  const base = (): TemplateInput => ({
    id: 'demo',
    version: 1,
    name: '示例',
    kind: 'receipt',
    page: { width: 210, height: 297 },
    fields: [{ key: 'enterprise.name', label: '名称' }],
    holder: 'enterprise.name',
    recordFields: [],
    numbering: { style: 'official', word: '' },
    elements: [{ type: 'text', box: { x: 20, y: 20, w: 100, h: 10 }, text: '{enterprise.name}', size: 12 }],
    seal: { cx: 150, cy: 250 },
    qr: { x: 20, y: 250, size: 25 },
  });
  const issues = (t: TemplateInput) => {
    const r = Template.safeParse(t);
    return r.success ? [] : r.error.issues.map((i) => i.message);
  };

  it('accepts a minimal template', () => {
    expect(issues(base())).toEqual([]);
    expect(placeholders('{a.b}与{c.dE}')).toEqual(['a.b', 'c.dE']);
  });

  it('refuses unknown placeholders, boxes off the page, wrong spans, list fields inline and an unknown holder', () => {
    const t1 = base();
    t1.elements = [{ type: 'text', box: { x: 20, y: 20, w: 100, h: 10 }, text: '{enterprise.nmae}', size: 12 }];
    expect(issues(t1).join()).toContain('unknown placeholder {enterprise.nmae}');
    const t2 = base();
    t2.elements = [{ type: 'text', box: { x: 150, y: 20, w: 100, h: 10 }, text: '名称', size: 12 }];
    expect(issues(t2).join()).toContain('outside the page');
    const t3 = base();
    t3.elements = [{ type: 'table', x: 20, y: 20, columns: [30, 60], rows: [{ h: 10, cells: [{ text: '名称' }] }] }];
    expect(issues(t3).join()).toContain('cells span 1 columns, the table has 2');
    const t4 = base();
    t4.fields.push({ key: 'notice.items', label: '清单', kind: 'list' });
    t4.elements = [{ type: 'text', box: { x: 20, y: 20, w: 100, h: 10 }, text: '{notice.items}', size: 12 }];
    expect(issues(t4).join()).toContain('is a list field; use a flow block');
    const t5 = base();
    t5.holder = 'applicant.name';
    expect(issues(t5).join()).toContain('holder applicant.name is not a field');
  });
});
