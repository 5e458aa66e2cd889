import type Database from 'better-sqlite3';
import { AppError } from '../../shared/errors.js';
import { canonicalJson, SignedRecord, verifyRecordSignature } from '../../electron/backend/certificates/record.js';

/**
 * The hall's store of verification records (what the QR code leads to) and revocations, over the
 * tables of CERTIFICATE_MIGRATION. A record is accepted only when its SM2 signature verifies with
 * a key registered for its office; sending the same record again is harmless.
 */

export interface StoredRecord {
  signed: SignedRecord;
  receivedAt: number;
  revocation?: StoredRevocation;
}

export interface StoredRevocation {
  seq: number;
  id: string;
  reason: string;
  revokedAt: number;
  revokedBy: string;
}

export type CertificateStore = ReturnType<typeof createCertificateStore>;

interface RevocationRow {
  seq: number;
  id: string;
  reason: string;
  revoked_at: number;
  revoked_by: string;
}

const toRevocation = (r: RevocationRow): StoredRevocation => ({ seq: r.seq, id: r.id, reason: r.reason, revokedAt: r.revoked_at, revokedBy: r.revoked_by });

export function createCertificateStore(db: Database.Database) {
  const q = {
    addKey: db.prepare('INSERT OR IGNORE INTO certificate_office_key (office, public_key, added_at) VALUES (?, ?, ?)'),
    keys: db.prepare<[string], { public_key: string }>('SELECT public_key FROM certificate_office_key WHERE office = ? ORDER BY added_at'),
    getRecord: db.prepare<[string], { json: string; received_at: number }>('SELECT json, received_at FROM certificate_record WHERE id = ?'),
    putRecord: db.prepare('INSERT INTO certificate_record (id, office, number, template_id, issued_at, json, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    getRevocation: db.prepare<[string], RevocationRow>('SELECT seq, id, reason, revoked_at, revoked_by FROM certificate_revocation WHERE id = ?'),
    revoke: db.prepare('INSERT INTO certificate_revocation (id, reason, revoked_at, revoked_by) VALUES (?, ?, ?, ?)'),
    since: db.prepare<[number, number], RevocationRow>('SELECT seq, id, reason, revoked_at, revoked_by FROM certificate_revocation WHERE seq > ? ORDER BY seq LIMIT ?'),
  };

  function officeKeys(office: string): string[] {
    return q.keys.all(office).map((r) => r.public_key);
  }

  function getRecord(id: string): StoredRecord | undefined {
    const row = q.getRecord.get(id);
    if (!row) return undefined;
    const rev = q.getRevocation.get(id);
    return { signed: SignedRecord.parse(JSON.parse(row.json)), receivedAt: row.received_at, ...(rev ? { revocation: toRevocation(rev) } : {}) };
  }

  return {
    /** Registers an office's SM2 public key (from its settings; kept while older records need it). */
    addOfficeKey(office: string, publicKey: string, at: number): void {
      if (!/^04[0-9a-f]{128}$/.test(publicKey)) throw new AppError('bad_request', 'SM2 公钥格式有误。', 'bad public key');
      q.addKey.run(office, publicKey, at);
    },
    officeKeys,
    getRecord,

    /** Stores a record sent by a workstation. Returns 'duplicate' for the same record sent again. */
    putRecord(input: unknown, receivedAt: number): 'stored' | 'duplicate' {
      const parsed = SignedRecord.safeParse(input);
      if (!parsed.success) throw new AppError('bad_request', '核验记录格式有误。', parsed.error.issues[0]?.message);
      const signed = parsed.data;
      const r = signed.record;
      if (!officeKeys(r.officeId).includes(r.publicKey)) {
        throw new AppError('forbidden', '核验记录的签名密钥未在大厅登记，不予接收。', `key of ${r.officeId} not registered`);
      }
      if (!verifyRecordSignature(signed)) throw new AppError('bad_request', '核验记录签名无效，不予接收。', `record ${r.id} signature`);
      const json = canonicalJson(signed);
      const existing = q.getRecord.get(r.id);
      if (existing) {
        if (canonicalJson(JSON.parse(existing.json)) === json) return 'duplicate';
        throw new AppError('conflict', '已有同一核验编号的不同记录，不予接收。', `record ${r.id} differs`);
      }
      q.putRecord.run(r.id, r.officeId, r.number, r.templateId, r.issuedAt, json, receivedAt);
      return 'stored';
    },

    /** Marks a record revoked (撤销). Revoking again returns the first revocation unchanged. */
    revoke(id: string, reason: string, by: string, at: number): StoredRevocation {
      const text = reason.trim();
      if (text === '' || text.length > 500) throw new AppError('bad_request', '请填写撤销原因（500 字以内）。', 'bad reason');
      return db.transaction(() => {
        if (!q.getRecord.get(id)) throw new AppError('not_found', '没有该核验编号的文书。', `record ${id}`);
        const existing = q.getRevocation.get(id);
        if (existing) return toRevocation(existing);
        q.revoke.run(id, text, at, by);
        return toRevocation(q.getRevocation.get(id) as RevocationRow);
      })();
    },

    /** Revocations after cursor `seq`, for workstations' offline revocation lists. */
    revocationsSince(seq: number, limit = 500): StoredRevocation[] {
      return q.since.all(seq, limit).map(toRevocation);
    },
  };
}
