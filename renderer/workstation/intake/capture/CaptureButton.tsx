import { useState } from 'react';
import type { CaseView, MaterialView } from '../../../../shared/case/view.js';
import type { CaseAct } from '../useIntake.js';
import { CaptureDialog } from './CaptureDialog.js';
import './capture.css';

/**
 * The capture entry point on a material row of the checklist: 拍照/扫描 opens the capture dialog
 * (document camera, scanner, or a file), whose pages are stored on this material and read for the form.
 */
export function CaptureButton({ view, material, act, notify }: { view: CaseView; material: MaterialView; act: CaseAct; notify: (text: string, kind?: 'error' | 'info') => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="btn btn-sm btn-capture"
        data-testid={`material-capture-${material.id}`}
        title="用高拍仪拍照、扫描仪扫描或导入文件，自动识别并填入申请表"
        onClick={() => setOpen(true)}
      >
        拍照/扫描
      </button>
      {open && (
        // The dialog is portalled, but React events still bubble to the material row: a file dropped in
        // the dialog must not also reach the row's own drop (case.attach).
        <span className="cap-events" onDragOver={(e) => e.stopPropagation()} onDrop={(e) => e.stopPropagation()}>
          <CaptureDialog view={view} material={material} act={act} notify={notify} onClose={() => setOpen(false)} />
        </span>
      )}
    </>
  );
}
