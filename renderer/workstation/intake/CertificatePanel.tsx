import { useEffect, useRef, useState } from 'react';
import { NOTICE_KIND_LABEL, type NoticeKind } from '../../../shared/case/document-contract.js';
import type { CaseStatus } from '../../../shared/case/types.js';
import type { CaseView } from '../../../shared/case/view.js';
import type { InvokeResult, OneWindowApi } from '../../../shared/contract.js';
import { installBridge } from '../../bridge-client.js';
import { formatClock } from '../../common/format.js';
import './certificate-panel.css';
import { pdfFromBase64, PreviewDialog, PrintDialog, RevokeDialog, savePdf, type PdfDoc, type PrinterChoice } from './CertificatePanelDialogs.js';
import type { CaseAct } from './useIntake.js';

type Cert = CaseView['certificates'][number];
type Dialog = { kind: 'preview'; doc: PdfDoc; cert: Cert | null } | { kind: 'print'; cert: Cert } | { kind: 'revoke'; cert: Cert } | null;

/** The notices a case has for its status (rendered on demand by the backend). */
function noticesFor(status: CaseStatus): NoticeKind[] {
  if (status === 'NOTICE_ISSUED') return ['one_time_notice'];
  if (status === 'NOT_ACCEPTED') return ['rejection_notice'];
  if (status === 'ACCEPTED' || status === 'APPROVED' || status === 'REFUSED' || status === 'CERTIFIED' || status === 'DELIVERED') return ['acceptance_notice'];
  return [];
}

const ISSUABLE: readonly CaseStatus[] = ['APPROVED', 'CERTIFIED'];

/**
 * 证照与文书: for an approved case 制证 (its result documents, numbered, sealed, signed, with the QR
 * code of the hall's verification page); the documents issued with their number, prints and
 * whether revoked, each to 预览, 打印 (printer and copies, every print recorded), 保存, 撤销; and
 * the notices of the case (受理通知书, 一次性告知书, 不予受理通知书) to preview and save.
 */
export function CertificatePanel({ view, act, notify }: { view: CaseView; act: CaseAct; notify: (text: string, kind?: 'error' | 'info') => void }) {
  const api = useRef<OneWindowApi | undefined>(undefined);
  api.current ??= installBridge();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [printers, setPrinters] = useState<PrinterChoice[] | null>(null);
  const caseId = view.summary.caseId;
  const status = view.summary.status;
  const notices = noticesFor(status);
  const certs = view.certificates;
  // A preview's blob URL lives until the dialog closes.
  const shown = dialog?.kind === 'preview' ? dialog.doc.url : null;
  useEffect(() => (shown ? () => URL.revokeObjectURL(shown) : undefined), [shown]);

  if (notices.length === 0 && certs.length === 0 && !ISSUABLE.includes(status)) return null;

  const call = async <T,>(what: string, fn: () => Promise<InvokeResult<T>>): Promise<T | null> => {
    if (busy) return null;
    setBusy(what);
    try {
      const r = await fn();
      if (!r.ok) notify(r.error.message, 'error');
      return r.ok ? r.value : null;
    } finally {
      setBusy(null);
    }
  };
  const fetchDoc = (cert: Cert) =>
    call(`doc-${cert.documentNo}`, () => api.current!.invoke('case.document', { caseId, documentNo: cert.documentNo })).then((v) =>
      v ? pdfFromBase64(v.pdfBase64, v.fileName, cert.title ?? cert.documentNo) : null,
    );
  const fetchNotice = (kind: NoticeKind) =>
    call(`notice-${kind}`, () => api.current!.invoke('case.noticeDocument', { caseId, kind })).then((v) => (v ? pdfFromBase64(v.pdfBase64, v.fileName, NOTICE_KIND_LABEL[kind]) : null));
  const saveOnce = async (doc: Promise<PdfDoc | null>) => {
    const d = await doc;
    if (!d) return;
    savePdf(d);
    setTimeout(() => URL.revokeObjectURL(d.url), 60_000);
    notify(`已保存 ${d.fileName}`, 'info');
  };
  const openPrint = (cert: Cert) => {
    setDialog({ kind: 'print', cert });
    setPrinters(null);
    void api.current!.invoke('case.printers', {}).then((r) => {
      if (r.ok) setPrinters(r.value.printers);
      else {
        setPrinters([]);
        notify(r.error.message, 'error');
      }
    });
  };
  const issue = async () => {
    if (busy) return;
    setBusy('issue');
    try {
      const r = await act('case.issueDocuments', { caseId });
      if (r.ok) notify(`已制证 ${r.value.certificates.filter((c) => !c.revoked).length} 件`, 'info');
    } finally {
      setBusy(null);
    }
  };
  const canIssue = status === 'APPROVED' || (status === 'CERTIFIED' && certs.some((c) => c.revoked && !certs.some((x) => !x.revoked && x.template === c.template)));

  return (
    <section className="card cert-panel" data-testid="certificate-panel">
      <div className="cert-head">
        <h3>证照与文书</h3>
        {view.automated && status !== 'APPROVED' && certs.length > 0 && <span className="tag tag-green">秒批自动制证</span>}
        <span className="case-head-spacer" />
        {notices.map((k) => (
          <span key={k} className="cert-notice" data-testid={`notice-${k}`}>
            <button type="button" className="btn btn-sm" disabled={busy !== null} onClick={() => void fetchNotice(k).then((doc) => doc && setDialog({ kind: 'preview', doc, cert: null }))}>
              {NOTICE_KIND_LABEL[k]}
            </button>
            <button type="button" className="btn btn-sm btn-quiet" title={`保存${NOTICE_KIND_LABEL[k]}（PDF）`} disabled={busy !== null} onClick={() => void saveOnce(fetchNotice(k))}>
              保存
            </button>
          </span>
        ))}
        {canIssue && (
          <button type="button" className="btn btn-primary" data-testid="btn-issue-documents" disabled={busy !== null} onClick={() => void issue()}>
            {busy === 'issue' ? '正在制证…' : status === 'APPROVED' ? '制证' : '重新制证'}
          </button>
        )}
      </div>
      {status === 'APPROVED' && certs.length === 0 && <p className="small muted cert-empty">已批准，请点“制证”出具结果文书（加盖印章、附核验二维码和电子签名）。</p>}
      {certs.length > 0 && (
        <table className="cert-table" data-testid="certificate-list">
          <thead>
            <tr>
              <th>文书</th>
              <th>文号</th>
              <th>出具</th>
              <th>打印</th>
              <th>状态</th>
              <th className="cert-actions-h">操作</th>
            </tr>
          </thead>
          <tbody>
            {certs.map((c) => (
              <tr key={c.documentNo} className={c.revoked ? 'revoked' : ''} data-testid="certificate-row" data-document-no={c.documentNo} data-prints={c.prints} data-revoked={c.revoked ? '1' : '0'}>
                <td className="cert-title">{c.title ?? c.template}</td>
                <td className="mono">{c.documentNo}</td>
                <td className="muted small">{c.issuedAt ? formatClock(c.issuedAt) : '—'}</td>
                <td data-testid="certificate-prints">{c.prints > 0 ? `已打印 ${c.prints} 份` : <span className="muted">未打印</span>}</td>
                <td>{c.revoked ? <span className="tag tag-red" title={c.revoked.reason}>已撤销：{c.revoked.reason}</span> : <span className="tag tag-green">有效</span>}</td>
                <td className="cert-actions">
                  <button type="button" className="btn btn-sm" data-testid="btn-cert-preview" disabled={busy !== null} onClick={() => void fetchDoc(c).then((doc) => doc && setDialog({ kind: 'preview', doc, cert: c }))}>
                    预览
                  </button>
                  <button type="button" className="btn btn-sm" data-testid="btn-cert-print" disabled={busy !== null || !!c.revoked} onClick={() => openPrint(c)}>
                    {c.prints > 0 ? '补打' : '打印'}
                  </button>
                  <button type="button" className="btn btn-sm" data-testid="btn-cert-save" disabled={busy !== null} onClick={() => void saveOnce(fetchDoc(c))}>
                    保存
                  </button>
                  {!c.revoked && (
                    <button type="button" className="btn btn-sm btn-quiet" data-testid="btn-cert-revoke" disabled={busy !== null} onClick={() => setDialog({ kind: 'revoke', cert: c })}>
                      撤销
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {dialog?.kind === 'preview' && (
        <PreviewDialog doc={dialog.doc} onClose={() => setDialog(null)} {...(dialog.cert && !dialog.cert.revoked ? { onPrint: () => openPrint(dialog.cert!) } : {})} />
      )}
      {dialog?.kind === 'print' && (
        <PrintDialog
          title={dialog.cert.title ?? dialog.cert.template}
          documentNo={dialog.cert.documentNo}
          prints={dialog.cert.prints}
          printers={printers}
          onClose={() => setDialog(null)}
          onConfirm={(printer, copies) =>
            void act('case.print', { caseId, documentNo: dialog.cert.documentNo, copies, printer }).then((r) => {
              if (!r.ok) return;
              setDialog(null);
              notify(`已发送到 ${printer}，${copies} 份`, 'info');
            })
          }
        />
      )}
      {dialog?.kind === 'revoke' && (
        <RevokeDialog
          title={dialog.cert.title ?? dialog.cert.template}
          documentNo={dialog.cert.documentNo}
          onClose={() => setDialog(null)}
          onConfirm={(reason) => void act('case.revokeDocument', { caseId, documentNo: dialog.cert.documentNo, reason }).then((r) => r.ok && setDialog(null))}
        />
      )}
    </section>
  );
}
