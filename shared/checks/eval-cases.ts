import { compareValues } from './compare.js';
import { formEvidence, formValue, type CheckContext } from './context.js';
import { checkCreditCode } from './credit-code.js';
import { finding } from './finding.js';
import { checkIdNumber } from './id-number.js';
import { compactCode } from './normalize-chars.js';
import { normalizeName } from './normalize-text.js';
import type { EffectiveRule, Finding, FindingValue, RegistryAnswer } from './types.js';

type Rule<K extends EffectiveRule['kind']> = Extract<EffectiveRule, { kind: K }>;

/**
 * Who a case is for, as comparable keys: `uscc:…`, `id:…`, `name:…` (an enterprise's or
 * organisation's name before it has a code). Stored with each open case for the duplicate check.
 */
export function applicantKeys(form: Readonly<Record<string, string | { value: string }>>): string[] {
  const get = (k: string): string => {
    const v = form[k];
    return (typeof v === 'string' ? v : v?.value ?? '').trim();
  };
  const keys: string[] = [];
  for (const k of ['enterprise.uscc']) {
    const r = checkCreditCode(get(k));
    if (r.valid) keys.push(`uscc:${r.normalized}`);
  }
  for (const k of ['applicant.idNumber', 'mother.idNumber', 'buyer.idNumber']) {
    const r = checkIdNumber(get(k));
    if (r.valid) keys.push(`id:${r.normalized}`);
  }
  for (const k of ['enterprise.name', 'organization.name', 'project.name']) {
    if (get(k) !== '') keys.push(`name:${normalizeName(get(k))}`);
  }
  return [...new Set(keys)];
}

export function evalDuplicate(ctx: CheckContext, rule: Rule<'duplicate'>): Finding[] {
  const open = ctx.input.openCases ?? [];
  if (open.length === 0) return [];
  const mine = new Set(applicantKeys(ctx.input.form));
  if (mine.size === 0) return [];
  const matter = ctx.input.resolution.matters.find((m) => m.code === rule.matter);
  const out: Finding[] = [];
  for (const c of open) {
    if (c.caseId === ctx.input.caseId || !c.matters.includes(rule.matter)) continue;
    const shared = c.applicantKeys.filter((k) => mine.has(k));
    if (shared.length === 0) continue;
    const who = shared.map((k) => k.slice(k.indexOf(':') + 1)).join('、');
    out.push(finding(rule, 'warning', `申请人（${who}）已有未办结的“${matter?.name ?? rule.matter}”办件（${c.caseNo ?? c.caseId}${c.openedOn ? `，${c.openedOn}受理` : ''}），请确认不是重复申请`, []));
  }
  return out;
}

function registryEvidence(answer: RegistryAnswer, value: string, what: string): FindingValue {
  const name = answer.registry === 'enterprise' ? '企业登记信息' : '电子证照库';
  return { value, label: `${name}·${what}${answer.stale ? '（离线缓存）' : ''}`, source: { kind: 'registry', name: answer.registry, stale: answer.stale, fetchedAt: answer.fetchedAt } };
}

/** A stale (cached, offline) answer cannot block: it warns and says so. */
function staleNote(answer: RegistryAnswer): string {
  return answer.stale ? `（登记信息为离线缓存，查询于${answer.fetchedAt}，可能已过时）` : '';
}

const ACTIVE_STATUS = /^(存续|在业|在营|开业|正常|登记成立|active)/i;

export function evalEnterpriseRegistry(ctx: CheckContext, rule: Rule<'enterprise_registry'>): Finding[] {
  const raw = formValue(ctx, rule.field);
  const code = raw === undefined ? null : checkCreditCode(raw);
  if (!raw || !code?.valid) return [];
  const answer = (ctx.input.registry ?? []).find((r) => r.registry === 'enterprise' && compactCode(r.key) === code.normalized);
  const where = { fieldKey: rule.field };
  const typed = formEvidence(ctx, rule.field, raw);
  const sub = (suffix: string) => ({ ...rule, id: `${rule.id}:${suffix}` });
  if (!answer || answer.registry !== 'enterprise') {
    return [finding(sub('unverified'), 'info', `统一社会信用代码${code.normalized}尚未向登记机关核验`, [typed], where)];
  }
  const sev = answer.stale ? 'warning' : 'blocking';
  const note = staleNote(answer);
  if (answer.record === null) {
    return [finding(sub('found'), sev, `登记机关查无统一社会信用代码${code.normalized}${note}`, [typed, registryEvidence(answer, '查无记录', '查询结果')], where)];
  }
  const rec = answer.record;
  const out: Finding[] = [];
  if (!ACTIVE_STATUS.test(rec.status)) {
    out.push(finding(sub('status'), sev, `${rec.name}的登记状态为“${rec.status}”，不能办理${note}`, [typed, registryEvidence(answer, rec.status, '登记状态')], where));
  }
  const pairs: Array<[string, string | undefined, string]> = [['enterprise.name', rec.name, '名称'], ['legalRep.name', rec.legalRep, '法定代表人']];
  for (const [key, registered, what] of pairs) {
    const mine = formValue(ctx, key);
    if (mine === undefined || registered === undefined || compareValues('name', mine, registered) === 'same') continue;
    out.push(
      finding(sub(key), sev, `${what}与登记信息不一致：申请表为“${mine}”，登记为“${registered}”${note}`, [formEvidence(ctx, key, mine), registryEvidence(answer, registered, what)], { fieldKey: key }),
    );
  }
  return out;
}

export function evalCertificateRegistry(ctx: CheckContext, rule: Rule<'certificate_registry'>): Finding[] {
  const keys = applicantKeys(ctx.input.form).filter((k) => !k.startsWith('name:')).map((k) => k.slice(k.indexOf(':') + 1));
  if (keys.length === 0) return [];
  const matter = ctx.input.resolution.matters.find((m) => m.code === rule.matter);
  const out: Finding[] = [];
  for (const answer of ctx.input.registry ?? []) {
    if (answer.registry !== 'certificates' || !keys.includes(compactCode(answer.key))) continue;
    for (const c of answer.certificates) {
      if (c.revoked || !rule.templates.includes(c.template)) continue;
      if (c.validUntil !== undefined && c.validUntil < ctx.input.acceptanceDate) continue;
      const name = c.name ?? matter?.results.find((r) => r.template === c.template)?.name ?? c.template;
      out.push(
        finding(rule, 'warning', `申请人已持有有效的${name}（编号${c.documentNo}，${c.issuedOn}核发），请确认是否重复申请“${matter?.name ?? rule.matter}”${staleNote(answer)}`, [registryEvidence(answer, c.documentNo, name)]),
      );
    }
  }
  return out;
}
