import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { CaseState } from '../../../shared/case/types.js';
import { visibleOffices, type HallConfig } from '../../../shared/office/config.js';
import { blobPath, sha256OfFile } from '../../../upstream/attachments/blob-files.js';

/**
 * Judges a sync run from the databases alone, not from anything the hall answered: the hall's
 * database (opened read-only after the hall process stopped) against each window's own.
 *  - lost: a mutation a window wrote (its case_action_local / audit_local rows, each with its
 *    (client id, mutation id)) that the hall neither applied nor recorded as failed; an attachment a
 *    window stored that the hall does not hold complete with the right hash;
 *  - duplicated: a hall event of a client that the window never wrote under that id, or with other
 *    content (case, key, type); an idempotency key applied twice to a case; an audit event twice;
 *  - failed: mutations the hall refused (mutation_result) — a valid workload has none;
 *  - numbering: cases without exactly one official number (one `numbered` event, a case_no, unique),
 *    or whose number the window did not learn from the acknowledgement;
 *  - diverged (with replicas): a case visible to a window whose replica state differs from the hall's.
 */
export interface WindowDb {
  file: string;
  office: string;
}

export interface Verdict {
  written: number;
  applied: number;
  lost: number;
  duplicated: number;
  failed: number;
  numbering: number;
  casesNumbered: number;
  attachmentsVerified: number;
  attachmentsLost: number;
  diverged: number | null;
  replicaCases: number;
  problems: string[];
}

interface LocalRow {
  mutation_id: number | null;
  client_id: string;
  case_id: string;
  key: string | null;
  type: string;
  outcome: string | null;
}

/** Key order does not matter when comparing states. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : x,
  );
}

export async function verifyRun(hallDir: string, windows: readonly WindowDb[], o: { config: HallConfig; replicas: boolean }): Promise<Verdict> {
  const problems: string[] = [];
  const note = (p: string) => {
    if (problems.length < 20) problems.push(p);
  };
  const hall = new Database(path.join(hallDir, 'hall.db'), { readonly: true, fileMustExist: true });
  const c = { written: 0, applied: 0, lost: 0, duplicated: 0, failed: 0, numbering: 0, casesNumbered: 0, diverged: 0, replicaCases: 0 };
  const shas = new Map<string, number>();
  try {
    const hallEventsOf = hall.prepare("SELECT event_id, case_id, key, type FROM case_event WHERE event_id LIKE ? || ':%'");
    const hallAuditsOf = hall.prepare("SELECT event_id, case_id FROM audit WHERE event_id LIKE ? || ':%'");
    const failedOf = hall.prepare('SELECT mutation_id, reason FROM mutation_result WHERE client_id = ?');
    const progressOf = hall.prepare('SELECT last_applied FROM client_progress WHERE client_id = ?');
    const numberedOf = hall.prepare("SELECT COUNT(*) AS n FROM case_event WHERE case_id = ? AND type = 'numbered'");
    const caseOf = hall.prepare('SELECT case_no, json FROM "case" WHERE case_id = ?');

    for (const w of windows) {
      const ws = new Database(w.file, { readonly: true, fileMustExist: true });
      try {
        const clientId = (ws.prepare("SELECT value FROM meta WHERE key = 'outbox.client_id'").get() as { value: string }).value;
        const local = [
          ...(ws.prepare('SELECT mutation_id, client_id, case_id, key, json, outcome FROM case_action_local').all() as Array<LocalRow & { json: string }>).map((r) => ({
            ...r,
            type: (JSON.parse(r.json) as { type: string }).type,
          })),
          ...(ws.prepare("SELECT mutation_id, client_id, case_id, NULL AS key, 'audit' AS type, outcome FROM audit_local").all() as LocalRow[]),
        ];
        const mine = new Map<string, LocalRow>();
        for (const r of local) {
          if (r.mutation_id === null) {
            note(`${w.file}: a ${r.type} of ${r.case_id} has no mutation id (parked unconsumed)`);
            c.lost++;
            continue;
          }
          mine.set(`${r.client_id}:${r.mutation_id}`, r);
        }
        c.written += mine.size;
        const onHall = new Map<string, number>();
        const seen = (id: string) => onHall.set(id, (onHall.get(id) ?? 0) + 1);
        for (const h of hallEventsOf.all(clientId) as Array<{ event_id: string; case_id: string; key: string; type: string }>) {
          seen(h.event_id);
          const q = mine.get(h.event_id);
          if (!q || q.case_id !== h.case_id || q.key !== h.key || q.type !== h.type) {
            c.duplicated++;
            note(`hall event ${h.event_id} (${h.type} on ${h.case_id}) is not what the window wrote under that id`);
          }
        }
        for (const h of hallAuditsOf.all(clientId) as Array<{ event_id: string; case_id: string }>) {
          seen(h.event_id);
          const q = mine.get(h.event_id);
          if (!q || q.type !== 'audit' || q.case_id !== h.case_id) {
            c.duplicated++;
            note(`hall audit ${h.event_id} is not what the window wrote under that id`);
          }
        }
        for (const [id, n] of onHall) {
          if (n > 1) {
            c.duplicated += n - 1;
            note(`hall applied ${id} ${n} times`);
          }
        }
        const refused = new Map((failedOf.all(clientId) as Array<{ mutation_id: number; reason: string }>).map((r) => [`${clientId}:${r.mutation_id}`, r.reason]));
        c.failed += refused.size;
        for (const [id, reason] of [...refused].slice(0, 5)) note(`hall refused ${id}: ${reason}`);
        for (const [id, q] of mine) {
          if (onHall.has(id)) c.applied++;
          else if (!refused.has(id)) {
            c.lost++;
            note(`${id} (${q.type} on ${q.case_id}) never reached the hall`);
          }
          if (q.outcome !== 'applied' && !refused.has(id)) note(`${id}: the window's outcome is ${q.outcome ?? 'pending'}`);
        }
        const last = (progressOf.get(clientId) as { last_applied: number } | undefined)?.last_applied ?? 0;
        const maxLocal = Math.max(0, ...[...mine.values()].map((r) => r.mutation_id ?? 0));
        if (last !== maxLocal) note(`${clientId}: hall's last applied ${last} ≠ window's last id ${maxLocal}`);
        const pending = (ws.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;
        if (pending > 0) note(`${w.file}: ${pending} outbox entr(y/ies) left`);

        // Every case this window opened: exactly one official number, known to the window too.
        const opened = ws.prepare("SELECT DISTINCT case_id FROM case_action_local WHERE json_extract(json, '$.type') = 'opened'").all() as Array<{ case_id: string }>;
        const localNo = ws.prepare('SELECT case_no FROM case_local WHERE case_id = ?');
        for (const { case_id } of opened) {
          const n = (numberedOf.get(case_id) as { n: number }).n;
          const row = caseOf.get(case_id) as { case_no: string | null } | undefined;
          const mineNo = (localNo.get(case_id) as { case_no: string | null } | undefined)?.case_no ?? null;
          if (n !== 1 || !row?.case_no || mineNo !== row.case_no) {
            c.numbering++;
            note(`case ${case_id}: ${n} numbered event(s), hall number ${row?.case_no ?? 'none'}, window's ${mineNo ?? 'none'}`);
          } else c.casesNumbered++;
        }

        for (const { sha256 } of ws.prepare('SELECT sha256 FROM attachment').all() as Array<{ sha256: string }>) shas.set(sha256, (shas.get(sha256) ?? 0) + 1);

        if (o.replicas) {
          // The replica: every case of the offices this window may see, equal to the hall's.
          const offices = visibleOffices(o.config, w.office);
          const hallCases = hall.prepare(`SELECT case_id, json FROM "case" WHERE office IN (${offices.map(() => '?').join(', ')})`).all(...offices) as Array<{
            case_id: string;
            json: string;
          }>;
          const replica = ws.prepare('SELECT state_json FROM case_local WHERE case_id = ?');
          for (const h of hallCases) {
            c.replicaCases++;
            const r = replica.get(h.case_id) as { state_json: string } | undefined;
            const hs = JSON.parse(h.json) as CaseState;
            if (!r || canonical(JSON.parse(r.state_json)) !== canonical(hs)) {
              c.diverged++;
              note(`${w.file}: case ${h.case_id} ${r ? 'differs from' : 'missing from'} the replica`);
            }
          }
        }
      } finally {
        ws.close();
      }
    }

    // Attachments: stored once on the hall, complete, hash verified from the bytes on disk.
    const hallRow = hall.prepare('SELECT size FROM attachment WHERE sha256 = ?');
    let attachmentsVerified = 0;
    let attachmentsLost = 0;
    for (const sha of shas.keys()) {
      const f = blobPath(path.join(hallDir, 'attachments'), sha);
      if (hallRow.get(sha) && existsSync(f) && (await sha256OfFile(f)) === sha) attachmentsVerified++;
      else {
        attachmentsLost++;
        note(`attachment ${sha} not verified on the hall`);
      }
    }
    const dupNumbers = (hall.prepare('SELECT COUNT(*) - COUNT(DISTINCT case_no) AS d FROM "case" WHERE case_no IS NOT NULL').get() as { d: number }).d;
    if (dupNumbers > 0) {
      c.numbering += dupNumbers;
      note(`${dupNumbers} official number(s) given twice`);
    }
    return { ...c, lost: c.lost + attachmentsLost, attachmentsVerified, attachmentsLost, diverged: o.replicas ? c.diverged : null, problems };
  } finally {
    hall.close();
  }
}
