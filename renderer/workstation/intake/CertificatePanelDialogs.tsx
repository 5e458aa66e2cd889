import { useEffect, useState } from 'react';
import { Modal } from './Modal.js';

/** A PDF the page holds: a blob URL for the preview frame and the download, and the name to save it under. */
export interface PdfDoc {
  url: string;
  fileName: string;
  title: string;
}

/** Turns a PDF from the backend (base64) into a blob URL; the caller revokes it when done. */
export function pdfFromBase64(pdfBase64: string, fileName: string, title: string): PdfDoc {
  const bin = atob(pdfBase64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return { url: URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' })), fileName, title };
}

/** 保存: the browser's download of the blob (in Electron the same: the app asks where to save). */
export function savePdf(doc: PdfDoc): void {
  const a = document.createElement('a');
  a.href = doc.url;
  a.download = doc.fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** 预览: the PDF in a frame, with 保存 (and 打印 for an issued document) at hand. */
export function PreviewDialog({ doc, onClose, onPrint }: { doc: PdfDoc; onClose: () => void; onPrint?: () => void }) {
  return (
    <Modal
      title={`预览：${doc.title}`}
      wide
      testId="certificate-preview"
      onClose={onClose}
      onConfirm={() => savePdf(doc)}
      confirm={{ text: '保存 PDF', testId: 'btn-preview-save', kind: 'primary', autofocus: true }}
    >
      <div className="cert-preview-bar">
        <span className="mono small">{doc.fileName}</span>
        {onPrint && (
          <button type="button" className="btn btn-sm" data-testid="btn-preview-print" onClick={onPrint}>
            打印…
          </button>
        )}
      </div>
      <iframe className="cert-preview-frame" data-testid="certificate-preview-frame" src={`${doc.url}#toolbar=0&view=Fit`} title={doc.title} />
    </Modal>
  );
}

export interface PrinterChoice {
  name: string;
  isDefault: boolean;
}

/** 打印: printer and copies; each print is recorded in the case with its copies. */
export function PrintDialog({
  title,
  documentNo,
  prints,
  printers,
  onClose,
  onConfirm,
}: {
  title: string;
  documentNo: string;
  prints: number;
  /** null while the list is being read. */
  printers: PrinterChoice[] | null;
  onClose: () => void;
  onConfirm: (printer: string, copies: number) => void;
}) {
  const [printer, setPrinter] = useState('');
  const [copies, setCopies] = useState(1);
  useEffect(() => {
    if (printers && !printer) setPrinter((printers.find((p) => p.isDefault) ?? printers[0])?.name ?? '');
  }, [printers, printer]);
  const none = printers !== null && printers.length === 0;
  const okCopies = Number.isInteger(copies) && copies >= 1 && copies <= 20;
  return (
    <Modal
      title={`打印：${title}`}
      testId="print-dialog"
      onClose={onClose}
      onConfirm={() => onConfirm(printer, copies)}
      confirm={{ text: prints > 0 ? '补打' : '打印', testId: 'btn-print-confirm', kind: 'primary', disabled: none || !printer || !okCopies }}
    >
      <table className="kv">
        <tbody>
          <tr>
            <th>文号</th>
            <td className="mono">{documentNo}</td>
          </tr>
          <tr>
            <th>打印机</th>
            <td>
              {printers === null ? (
                <span className="muted">正在读取打印机…</span>
              ) : none ? (
                <span className="warn-text" data-testid="print-no-printer">
                  本机没有可用的打印机。可先“保存”文书，到有打印机的电脑上打印。
                </span>
              ) : (
                <select className="input" data-testid="print-printer" value={printer} onChange={(e) => setPrinter(e.target.value)}>
                  {printers.map((p) => (
                    <option key={p.name} value={p.name}>
                      {p.name}
                      {p.isDefault ? '（默认）' : ''}
                    </option>
                  ))}
                </select>
              )}
            </td>
          </tr>
          <tr>
            <th>份数</th>
            <td>
              <input
                className="input cert-copies"
                data-testid="print-copies"
                type="number"
                min={1}
                max={20}
                value={copies}
                onChange={(e) => setCopies(Number(e.target.value))}
              />
              <span className="muted small"> 1–20 份</span>
            </td>
          </tr>
        </tbody>
      </table>
      {prints > 0 && <p className="hint">已打印 {prints} 份。补打记入办件，不会另出新证。</p>}
    </Modal>
  );
}

const REVOKE_PRESETS = ['证载信息有误，收回重新出具', '申请人申请注销', '依法撤销行政许可'];

/** 撤销: with the reason; the verification page shows the document revoked once synced. */
export function RevokeDialog({ title, documentNo, onClose, onConfirm }: { title: string; documentNo: string; onClose: () => void; onConfirm: (reason: string) => void }) {
  const [reason, setReason] = useState('');
  return (
    <Modal
      title={`撤销：${title}`}
      testId="revoke-dialog"
      onClose={onClose}
      onConfirm={() => onConfirm(reason.trim())}
      confirm={{ text: '确认撤销', testId: 'btn-revoke-confirm', kind: 'danger', disabled: reason.trim() === '' }}
    >
      <p className="small">
        撤销 <span className="mono">{documentNo}</span> 后，扫描其二维码将显示“已撤销”，不能再打印。
      </p>
      <label className="field">
        <span>撤销原因</span>
        <textarea data-testid="revoke-reason" rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <div className="presets">
        {REVOKE_PRESETS.map((p) => (
          <button key={p} type="button" className="preset" onClick={() => setReason(p)}>
            {p}
          </button>
        ))}
      </div>
    </Modal>
  );
}
