import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CaseAction } from '../../../shared/case/types.js';
import { sha256Of } from '../../../upstream/attachments/blob-files.js';
import { CaseStore, type WindowCaseAction } from '../cases/case-store.js';
import { openDatabase } from '../store/database.js';
import { Outbox } from '../store/outbox.js';
import { tempDir } from '../test-helpers.js';
import { AttachmentStore } from './attachment-store.js';
import { caseAttachmentSync } from './case-attachments.js';

const actor = { staffId: '1001', windowId: 'qihe-county/1', office: 'qihe-county' };
const CLIENT = 'c-11111111-2222-3333-4444-555555555555';

function fresh() {
  const dir = tempDir('case-att');
  const db = openDatabase(path.join(dir, 'workstation.db'));
  const now = () => 1_772_400_000_000;
  let cases: CaseStore;
  const outbox = new Outbox(db, now, { casesSettled: (c) => cases.settled(c) });
  outbox.bindClient(CLIENT);
  cases = new CaseStore(db, outbox, () => 'Asia/Shanghai', now);
  const attachments = new AttachmentStore(db, dir, now);
  const caseId = cases.newCaseId(CLIENT);
  const act = (action: WindowCaseAction) => cases.write(caseId, actor, () => [{ action, summary: action.type }], '2026-03-02');
  act({ type: 'opened', subject: { kind: 'matter', code: '37142500-XZSP-007' }, title: '食品经营许可', provisionalNo: '临01-20260302-001', catalogVersion: null });
  return { db, attachments, caseId, act };
}

function added(bytes: Buffer, materialId: string): CaseAction & WindowCaseAction {
  return { type: 'attachment_added', materialId, attachment: { sha256: sha256Of(bytes), name: '扫描件.jpg', mime: 'image/jpeg', size: bytes.length } };
}

describe('a case’s attachments as the window knows them', () => {
  it('lists what is stored here and not yet confirmed by the hall, and what only another window holds', async () => {
    const { db, attachments, caseId, act } = fresh();
    expect(caseAttachmentSync(db, caseId)).toEqual({ referenced: 0, pending: [], elsewhere: [], pendingBytes: 0 });
    const [a, b, c] = [randomBytes(1000), randomBytes(2000), randomBytes(3000)];
    await attachments.put(a, { mime: 'image/jpeg' });
    await attachments.put(b, { mime: 'image/jpeg' });
    act(added(a, 'm1'));
    act(added(b, 'm1'));
    act(added(a, 'm2')); // the same page for a second material counts once
    act(added(c, 'm2')); // as if another window scanned it: not stored here
    expect(caseAttachmentSync(db, caseId)).toEqual({
      referenced: 3,
      pending: [sha256Of(a), sha256Of(b)].sort(),
      elsewhere: [sha256Of(c)],
      pendingBytes: 3000,
    });
    attachments.markUploaded(sha256Of(a));
    expect(caseAttachmentSync(db, caseId)).toMatchObject({ pending: [sha256Of(b)], pendingBytes: 2000 });
    attachments.markUploaded(sha256Of(b));
    act({ type: 'attachment_removed', materialId: 'm2', sha256: sha256Of(c) });
    expect(caseAttachmentSync(db, caseId)).toEqual({ referenced: 2, pending: [], elsewhere: [], pendingBytes: 0 });
    expect(caseAttachmentSync(db, 'c-unknown')).toBeUndefined();
    db.close();
  });
});
