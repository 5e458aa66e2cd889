/**
 * Test worker for case-crash.test.ts: writes case actions into a workstation database as fast as it
 * can — each write two actions (a material marked, the form saved with a counter) in one transaction,
 * and every tenth a new case — until it is killed. `node --import tsx case-crash-writer.ts <db file>`;
 * prints `CRASH_WRITER_READY <file URL of the db>` once writing.
 */
import { pathToFileURL } from 'node:url';
import { CaseStore } from '../../electron/backend/cases/case-store.js';
import { openDatabase } from '../../electron/backend/store/database.js';
import { Outbox } from '../../electron/backend/store/outbox.js';

process.env.ONEWINDOW_LOG ??= 'silent';
const arg = process.argv[2];
if (!arg) throw new Error('usage: case-crash-writer.ts <db file>');
const file: string = arg;
const db = openDatabase(file);
let store: CaseStore;
const outbox = new Outbox(db, Date.now, { casesSettled: (c) => store.settled(c) });
if (outbox.clientId() === null) outbox.bindClient('c-crash-writer');
store = new CaseStore(db, outbox, () => 'Asia/Shanghai', Date.now);
const actor = { staffId: '1001', windowId: 'qihe-county/1', office: 'qihe-county' };
const filler = '经营范围：'.repeat(400);

let caseId = '';
let n = 0;
function step(): void {
  if (n % 10 === 0) {
    caseId = store.newCaseId('c-crash-writer');
    store.write(
      caseId,
      actor,
      () => {
        const counter = store.nextCounter(actor.windowId, '2026-03-02');
        const provisionalNo = `临01-20260302-${String(counter).padStart(3, '0')}`;
        return [{ action: { type: 'opened', subject: { kind: 'matter', code: '37142500-XZSP-007' }, title: '食品经营许可', provisionalNo, catalogVersion: null }, summary: provisionalNo }];
      },
      '2026-03-02',
    );
  }
  n++;
  store.write(caseId, actor, () => [
    { action: { type: 'material_marked', materialId: `m.n${n}`, status: 'present' }, summary: 'mark' },
    { action: { type: 'form_saved', values: { 'x.counter': String(n), 'x.scope': `${filler}${n}` } }, summary: 'form' },
  ]);
}

let announced = false;
function loop(): void {
  for (let i = 0; i < 20; i++) step();
  if (!announced) {
    announced = true;
    process.stdout.write(`CRASH_WRITER_READY ${pathToFileURL(file).href}\n`);
  }
  setImmediate(loop);
}
loop();
