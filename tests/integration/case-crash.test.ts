/**
 * A crash in the middle of saving a case action leaves the whole action or none of it: a worker
 * process writes two-action case writes (with their outbox entries and the case row) as fast as it
 * can and is killed with SIGKILL at a random moment, several times over the same database. After
 * each kill the database must be intact and consistent: every local case action has its outbox
 * entry and no entry lacks its action, both actions of every write are there or neither, the mutation
 * ids have no gap, and each case's cached row equals its state folded again from its log.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveCase, readCase } from '../../electron/backend/cases/case-store.js';
import { getMeta, openDatabase } from '../../electron/backend/store/database.js';
import { tempDir } from '../../electron/backend/test-helpers.js';
import { startNodeProcess } from '../support/hall-process.js';

const KILLS = 6;
const WORKER = path.join(path.dirname(new URL(import.meta.url).pathname), 'case-crash-writer.ts');

describe('a kill -9 in the middle of saving case actions', () => {
  it(
    'leaves every action whole or absent, with its outbox entry, and each case row equal to its log',
    async () => {
      const file = path.join(tempDir('case-crash'), 'workstation.db');
      let last = 0;
      for (let k = 0; k < KILLS; k++) {
        const worker = await startNodeProcess(WORKER, [file], 'CRASH_WRITER_READY', { env: { ONEWINDOW_LOG: 'silent' } });
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 250));
        expect((await worker.kill('SIGKILL')).signal).toBe('SIGKILL');

        const db = openDatabase(file);
        try {
          expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
          const actions = db.prepare('SELECT id, case_id, mutation_id, json FROM case_action_local ORDER BY id').all() as Array<{ id: number; case_id: string; mutation_id: number; json: string }>;
          const entries = db.prepare("SELECT mutation_id, event_id FROM outbox WHERE kind = 'case_action' ORDER BY mutation_id").all() as Array<{ mutation_id: number; event_id: number }>;
          expect(entries.map((e) => [e.mutation_id, e.event_id])).toEqual(actions.map((a) => [a.mutation_id, a.id]));
          expect(entries.map((e) => e.mutation_id)).toEqual(entries.map((_, i) => i + 1));
          expect(Number(getMeta(db, 'outbox.last_mutation_id'))).toBe(entries.length);
          expect(actions.length).toBeGreaterThan(last);
          last = actions.length;
          const byCase = new Map<string, string[]>();
          for (const a of actions) byCase.set(a.case_id, [...(byCase.get(a.case_id) ?? []), (JSON.parse(a.json) as { type: string }).type]);
          for (const [caseId, types] of byCase) {
            expect(types[0], caseId).toBe('opened');
            expect(types.filter((t) => t === 'material_marked').length, caseId).toBe(types.filter((t) => t === 'form_saved').length);
            expect(readCase(db, caseId)?.state, caseId).toEqual(deriveCase(db, caseId).state);
          }
          expect((db.prepare('SELECT COUNT(*) AS n FROM case_local').get() as { n: number }).n).toBe(byCase.size);
        } finally {
          db.close();
        }
      }
      console.info(`case-crash: ${KILLS} kills, ${last} case actions written, all whole`);
    },
    120_000,
  );
});
