import type { z } from 'zod';
import { Contract, type InvokeResult, type MethodName, type MethodOutput } from '../../shared/contract.js';
import { describeIssues, toErrorBody } from '../../shared/errors.js';
import { createLogger } from './log.js';

const log = createLogger('handlers');

/** Every contract method as a function that validates its input and never throws. */
export type Handlers = { [M in MethodName]: (input: unknown) => Promise<InvokeResult<MethodOutput<M>>> };

/** What the backend implements: each method with its input already validated. */
export type HandlerImpl = { [M in MethodName]: (input: z.infer<(typeof Contract)[M]['input']>) => Promise<MethodOutput<M>> };

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(Contract, name);
}

/**
 * Wraps the implementation as the handler map served over IPC and the bridge: input checked with
 * the contract (bad → bad_request, nothing runs), session-only methods refused without a session,
 * errors turned into `{ok:false}` with the Chinese message (the English detail goes to the log),
 * outputs checked against the contract too.
 */
export function buildHandlers(impl: HandlerImpl, hasSession: () => boolean): Handlers {
  const out: Partial<Record<MethodName, (input: unknown) => Promise<InvokeResult<unknown>>>> = {};
  for (const name of Object.keys(Contract) as MethodName[]) {
    const spec = Contract[name];
    const run = impl[name] as (input: unknown) => Promise<unknown>;
    out[name] = async (input: unknown): Promise<InvokeResult<unknown>> => {
      const parsed = spec.input.safeParse(input === undefined ? {} : input);
      if (!parsed.success) {
        log.warn(`${name}: bad input: ${describeIssues(parsed.error.issues)}`);
        return { ok: false, error: { code: 'bad_request', message: `请求参数有误：${describeIssuesZh(parsed.error.issues)}` } };
      }
      if (spec.session && !hasSession()) return { ok: false, error: { code: 'unauthorized', message: '请先登录' } };
      try {
        const value = await run(parsed.data);
        const checked = spec.output.safeParse(value);
        if (!checked.success) {
          log.error(`${name}: output does not match the contract: ${describeIssues(checked.error.issues)}`);
          return { ok: false, error: { code: 'internal', message: '系统内部错误，请稍后重试；如持续出现请联系管理员。' } };
        }
        return { ok: true, value: checked.data };
      } catch (err) {
        const body = toErrorBody(err);
        if (body.code === 'internal') log.error(`${name} failed`, err);
        else log.info(`${name} refused: ${body.code}${body.detail ? ` (${body.detail})` : ''}`);
        return { ok: false, error: { code: body.code, message: body.message } };
      }
    };
  }
  return out as Handlers;
}

type Issue = z.core.$ZodIssue;

/** Zod issues in words a clerk can read (field names stay as they are). */
export function describeIssuesZh(issues: readonly Issue[]): string {
  return issues
    .slice(0, 3)
    .map((i) => {
      const field = i.path.length ? `“${i.path.map(String).join('.')}”` : '请求';
      switch (i.code) {
        case 'unrecognized_keys':
          return `不认识的字段 ${i.keys.map((k) => `“${k}”`).join('、')}`;
        case 'invalid_type':
          return /received undefined/.test(i.message) ? `缺少字段 ${field}` : `${field} 的类型不对`;
        case 'too_big':
          return `${field} 过长或过大`;
        case 'too_small':
          return `${field} 过短或过小`;
        case 'invalid_format':
          return /[\u4e00-\u9fff]/.test(i.message) ? `${field}：${i.message}` : `${field} 的格式不对`;
        case 'invalid_value':
          return `${field} 不是可选的值`;
        default:
          return /[\u4e00-\u9fff]/.test(i.message) ? `${field}：${i.message}` : `${field} 不符合要求`;
      }
    })
    .join('；');
}
