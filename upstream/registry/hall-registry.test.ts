import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseAction } from '../../shared/case/types.js';
import { checkCreditCode, creditCheckChar, idCheckChar } from '../../shared/checks/index.js';
import { RegistryLookupOutput } from '../../shared/hall/registry-api.js';
import { caseWindow } from '../cases/test-support.js';
import { authHeaders, startTestHall, testClock, type TestHall } from '../testing.js';
import { loadRegistryData } from './registry-data.js';

const LUQI = '91371425MA3C8K7P1B';

describe('the registry data the hall answers from', () => {
  it('ships a few dozen 齐河 enterprises, each with a valid, distinct credit code of the county, and certificates of valid holders', () => {
    const data = loadRegistryData();
    expect(data.authoritative).toBe(false);
    expect(data.enterprises.length).toBeGreaterThanOrEqual(30);
    expect(new Set(data.enterprises.map((e) => e.uscc)).size).toBe(data.enterprises.length);
    for (const e of data.enterprises) {
      expect(checkCreditCode(e.uscc), e.uscc).toMatchObject({ valid: true, regionCode: '371425' });
      expect(creditCheckChar(e.uscc.slice(0, 17))).toBe(e.uscc[17]);
      expect(e.name).toMatch(/齐河|德州|山东/);
    }
    expect(data.enterprises.find((e) => e.uscc === LUQI)).toMatchObject({ name: '齐河县鲁齐商贸有限公司', legalRep: '张伟', status: '存续' });
    expect(data.enterprises.some((e) => e.status !== '存续')).toBe(true);
    expect(data.certificates.length).toBeGreaterThan(3);
  });

  it('refuses data with a wrong check character, a code listed twice or a holder that is no identity number, naming each', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ow-registry-'));
    const wrong = `${LUQI.slice(0, 17)}${LUQI[17] === '1' ? '2' : '1'}`;
    writeFileSync(
      path.join(dir, 'enterprises.json'),
      JSON.stringify({ enterprises: [{ uscc: LUQI, name: 'A', status: '存续' }, { uscc: LUQI, name: 'B', status: '存续' }, { uscc: wrong, name: 'C', status: '存续' }] }),
    );
    writeFileSync(path.join(dir, 'certificates.json'), JSON.stringify({ certificates: [{ template: 'x', documentNo: '1', holder: '123', issuedOn: '2025-01-01' }] }));
    let message = '';
    try {
      loadRegistryData(dir);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/3 error\(s\)/);
    expect(message).toContain('enterprises.1.uscc: 91371425MA3C8K7P1B listed twice');
    expect(message).toContain(`enterprises.2.uscc: ${wrong} is not a valid credit code (校验码不符`);
    expect(message).toContain('certificates.0.holder: 123 is neither a credit code nor an ID number');
    const empty = mkdtempSync(path.join(os.tmpdir(), 'ow-registry-'));
    mkdirSync(path.join(empty, 'sub'));
    expect(loadRegistryData(empty)).toEqual({ authoritative: false, enterprises: [], certificates: [] });
  });
});

describe('registryLookup on the hall (device)', () => {
  let t: TestHall;
  beforeEach(async () => {
    t = await startTestHall({ clock: testClock(Date.parse('2026-05-11T08:30:00+08:00')) });
  });
  afterEach(async () => {
    await t.stop();
  });

  const lookup = (token: string | null, body: unknown) => t.request('POST', '/api/registry/lookup', body, token ? authHeaders({ device: token }) : {});

  it('answers an enterprise it holds, leaves a code it does not know unanswered, and answers every holder', async () => {
    const dev = await t.enroll();
    const unknown17 = '91371425MA3C00000';
    const unknown = unknown17 + creditCheckChar(unknown17);
    const r = await lookup(dev.deviceToken, { enterprises: [LUQI, unknown], holders: ['371425199003070018'] });
    expect(r.status).toBe(200);
    const out = RegistryLookupOutput.parse(r.body);
    expect(out.answers).toEqual([
      { registry: 'enterprise', key: LUQI, stale: false, fetchedAt: '2026-05-11 08:30:00', record: expect.objectContaining({ name: '齐河县鲁齐商贸有限公司' }) },
      { registry: 'certificates', key: '371425199003070018', stale: false, fetchedAt: '2026-05-11 08:30:00', certificates: [expect.objectContaining({ template: 'social_security_card' })] },
    ]);
  });

  it('refuses a caller that is not an enrolled workstation, and malformed keys', async () => {
    expect((await lookup(null, { enterprises: [LUQI] })).status).toBe(401);
    const dev = await t.enroll();
    for (const body of [{ enterprises: [LUQI.toLowerCase()] }, { enterprises: ['123'] }, { holders: Array(21).fill(LUQI) }, { other: 1 }]) {
      const r = await lookup(dev.deviceToken, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.message).toBe('请求内容不符合要求，请检查后重试。');
    }
  });

  it('answers what its own cases issued: the licence for the enterprise it was issued to, and the enterprise it registered', async () => {
    const w = await caseWindow(t, 'qihe-county', 'qihe-county/1', '1001');
    const first17 = '37142519850612031';
    const id = first17 + idCheckChar(first17);
    const new17 = '91371425MA3D12345';
    const uscc = new17 + creditCheckChar(new17);
    const { caseId } = await w.open(undefined, { subject: { kind: 'matter', code: '37142500-XZSP-002' }, title: '有限责任公司设立登记' });
    const actions: CaseAction[] = [
      { type: 'form_saved', values: { 'enterprise.name': '齐河县新禾农业科技有限公司', 'legalRep.name': '王芳', 'legalRep.idNumber': id, 'enterprise.uscc': uscc } },
      { type: 'accepted', matters: ['37142500-XZSP-002'], promisedDate: '2026-05-13', overrides: [] },
      { type: 'approved' },
      { type: 'certificate_issued', template: 'business_licence', documentNo: 'SCJGJ-2026-000123', sha256: 'c'.repeat(64), matter: '37142500-XZSP-002' },
    ];
    for (const a of actions) expect((await w.act(caseId, a)).status).toBe('applied');
    const r = await lookup(w.deviceToken, { enterprises: [uscc], holders: [id, uscc] });
    const out = RegistryLookupOutput.parse(r.body);
    expect(out.answers).toEqual([
      { registry: 'enterprise', key: uscc, stale: false, fetchedAt: expect.any(String), record: { uscc, name: '齐河县新禾农业科技有限公司', legalRep: '王芳', status: '存续' } },
      // The licence is the enterprise's, not its legal representative's.
      { registry: 'certificates', key: id, stale: false, fetchedAt: expect.any(String), certificates: [] },
      { registry: 'certificates', key: uscc, stale: false, fetchedAt: expect.any(String), certificates: [{ template: 'business_licence', documentNo: 'SCJGJ-2026-000123', holder: uscc, issuedOn: '2026-05-11' }] },
    ]);
  });
});
