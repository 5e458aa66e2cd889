import { useState, type FocusEvent, type ReactNode } from 'react';
import type { CaseView } from '../../../../shared/case/view.js';
import { DOC_TYPE_NAMES } from '../../../../electron/backend/capture/extract/doc-types.js';
import { percent } from './capture-format.js';
import { PageFigure } from './PageFigure.js';
import './capture.css';

const DOC_NAMES: Readonly<Record<string, string>> = DOC_TYPE_NAMES;

/**
 * Wraps the form: while a field filled from a page has the focus, that page is shown beside the form
 * with the region the value was read from outlined — the clerk checks the value against the paper.
 */
export function SourcePeek({ view, children }: { view: CaseView; children: ReactNode }) {
  const [key, setKey] = useState<string | null>(null);
  const onFocus = (e: FocusEvent<HTMLDivElement>) => {
    const id = (e.target as HTMLElement).id ?? '';
    setKey(id.startsWith('ff-') ? id.slice(3) : null);
  };
  const onBlur = (e: FocusEvent<HTMLDivElement>) => {
    if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setKey(null);
  };
  const field = key ? view.fields.find((f) => f.key === key) : undefined;
  const src = field?.source?.kind === 'extracted' ? field.source : null;
  const page = src ? view.materials.flatMap((m) => m.attachments.map((a) => ({ m, a }))).find((x) => x.a.sha256 === src.sha256) : undefined;
  return (
    <div className="source-host" onFocus={onFocus} onBlur={onBlur}>
      {children}
      {field && src && page && (
        <aside className="source-peek" data-testid="source-peek" data-field={field.key} aria-label={`“${field.label}”的来源`}>
          <div className="source-peek-head small">
            <strong>{field.label}</strong>
            <span className="muted"> · 识别置信度 {percent(src.confidence)}</span>
            <div className="muted">
              来源：{page.m.name}（{DOC_NAMES[src.docType] ?? src.docType}）
            </div>
          </div>
          {src.region ? (
            <PageFigure caseId={view.summary.caseId} sha256={src.sha256} outlines={[{ region: src.region, active: true, label: field.label }]} testId="source-page" zoom />
          ) : (
            <div className="small muted">该值未记录所在位置。</div>
          )}
          <div className="small muted source-peek-foot">上方为识别位置放大，下图红框为其在材料上的位置；如有不符，直接在表中修改。</div>
        </aside>
      )}
    </div>
  );
}
