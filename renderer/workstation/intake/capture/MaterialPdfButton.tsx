import { useState } from 'react';
import type { MaterialView } from '../../../../shared/case/view.js';
import { pdfFromBase64, savePdf } from '../CertificatePanelDialogs.js';
import { invoke } from './capture-api.js';

/**
 * 下载 PDF on a material row that has pages: the case file's searchable PDF of the material (its
 * pages with the recognised text laid invisibly over them), saved through a blob link. The backend
 * records the export in the audit log.
 */
export function MaterialPdfButton({ caseId, material, notify }: { caseId: string; material: MaterialView; notify: (text: string, kind?: 'error' | 'info') => void }) {
  const [busy, setBusy] = useState(false);
  if (material.attachments.length === 0) return null;
  const download = async () => {
    setBusy(true);
    try {
      const r = await invoke('case.materialPdf', { caseId, materialId: material.id });
      if (!r.ok) {
        notify(r.error.message, 'error');
        return;
      }
      const doc = pdfFromBase64(r.value.pdfBase64, r.value.fileName, material.name);
      savePdf(doc);
      setTimeout(() => URL.revokeObjectURL(doc.url), 60_000);
      notify(`已保存 ${r.value.fileName}（${r.value.pages} 页，可检索文字）`, 'info');
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      className="btn btn-sm"
      data-testid={`material-pdf-${material.id}`}
      title="生成本材料的可检索 PDF（页面图像与识别文字），用于归档"
      disabled={busy}
      onClick={() => void download()}
    >
      {busy ? '正在生成…' : '下载 PDF'}
    </button>
  );
}
