import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { canonicalJson, SignedRecord } from '../electron/backend/certificates/record.js';
import { verifyPdf, type Revocation, type VerificationTrust } from '../electron/backend/certificates/verify.js';

/**
 * `onewindow verify FILE.pdf [--hall URL] [--trust FILE.json]`: checks a OneWindow PDF and prints
 * one JSON object {"signature", "qr_record", "hash_match", "revoked", "office", "number", ...}.
 * Offline it checks the CMS signature, the SM2-signed record and the hash; with --hall it also
 * asks the hall for its copy of the record, the office's registered keys and revocation.
 * Exit 0 when everything asked for checks out, 1 when not, 2 on a usage error.
 */

export const VERIFY_USAGE = `  onewindow verify FILE.pdf [--hall URL] [--trust FILE.json]
      check a certificate or notice PDF (signature, verification record, hash, revocation);
      prints JSON {"signature","qr_record","hash_match","revoked","office","number",...}; exit 1 if it fails
`;

const TrustFile = z.strictObject({
  officeKeys: z.record(z.string(), z.array(z.string())).optional(),
  certificates: z.array(z.string()).optional(),
  revoked: z.array(z.strictObject({ id: z.string(), reason: z.string(), revokedAt: z.string() })).optional(),
});

const HallAnswer = z.object({
  found: z.boolean(),
  record: SignedRecord.optional(),
  officeKeys: z.array(z.string()).optional(),
  revoked: z.boolean().optional(),
  revocation: z.object({ reason: z.string(), revokedAt: z.string() }).nullable().optional(),
});

type HallState = 'checked' | 'not_found' | 'unreachable' | 'differs' | null;

async function askHall(hall: string, id: string, fetchImpl: typeof fetch): Promise<{ state: HallState; answer?: z.infer<typeof HallAnswer>; detail?: string }> {
  const url = `${hall.replace(/\/+$/, '')}/verify/${encodeURIComponent(id)}?format=json`;
  try {
    const res = await fetchImpl(url, { signal: AbortSignal.timeout(8000) });
    if (res.status === 404) return { state: 'not_found' };
    if (!res.ok) return { state: 'unreachable', detail: `hall answered ${res.status}` };
    const answer = HallAnswer.parse(await res.json());
    return { state: answer.found ? 'checked' : 'not_found', answer };
  } catch (err) {
    return { state: 'unreachable', detail: err instanceof Error ? err.message : String(err) };
  }
}

export async function verifyCommand(argv: string[], out: (s: string) => void, err: (s: string) => void, fetchImpl: typeof fetch = fetch): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { hall: { type: 'string' }, trust: { type: 'string' } }, allowPositionals: true, strict: true });
  } catch (e) {
    err(`error: ${e instanceof Error ? e.message : String(e)}\n\nusage:\n${VERIFY_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) {
    err(`error: verify takes one PDF file\n\nusage:\n${VERIFY_USAGE}`);
    return 2;
  }
  let bytes: Uint8Array;
  let trust: VerificationTrust = {};
  try {
    bytes = new Uint8Array(readFileSync(positionals[0] as string));
    if (values.trust) {
      const t = TrustFile.parse(JSON.parse(readFileSync(values.trust, 'utf8')));
      const revoked = new Map<string, Revocation>((t.revoked ?? []).map((r) => [r.id, r]));
      trust = { officeKeys: t.officeKeys, certificates: t.certificates, ...(t.revoked ? { revocation: (id: string) => revoked.get(id) } : {}) };
    }
  } catch (e) {
    err(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  let result = await verifyPdf(bytes, trust);
  let hall: HallState = null;
  const hallProblems: string[] = [];
  if (values.hall) {
    const record = result.record;
    const asked = record ? await askHall(values.hall, record.id, fetchImpl) : { state: 'not_found' as const };
    hall = asked.state;
    if ('detail' in asked && asked.detail) hallProblems.push(`hall: ${asked.detail}`);
    if (asked.state === 'not_found') hallProblems.push('hall: no record with this id');
    const a = 'answer' in asked ? asked.answer : undefined;
    if (record && a?.found && a.record) {
      if (canonicalJson(a.record.record) !== canonicalJson(record)) {
        hall = 'differs';
        hallProblems.push("hall: its record differs from the one in the file");
      }
      const revocation = a.revoked && a.revocation ? { id: record.id, ...a.revocation } : undefined;
      result = await verifyPdf(bytes, {
        ...trust,
        officeKeys: { ...(trust.officeKeys ?? {}), [record.officeId]: a.officeKeys ?? [] },
        revocation: () => revocation,
      });
    }
  }
  const problems = [...result.problems, ...hallProblems];
  const report = {
    signature: result.signature,
    qr_record: result.qr_record,
    hash_match: result.hash_match,
    revoked: result.revoked,
    office: result.office,
    number: result.number,
    id: result.id,
    specimen: result.specimen,
    trusted: result.recordTrusted || result.signatureTrusted,
    signer: result.signer?.subject ?? null,
    hall,
    problems,
  };
  out(`${JSON.stringify(report)}\n`);
  const hallOk = !values.hall || hall === 'checked';
  return result.ok && hallOk ? 0 : 1;
}
