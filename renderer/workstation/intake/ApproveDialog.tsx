import { useState } from 'react';
import { decisionValueProblem } from '../../../shared/case/decision.js';
import type { CaseView } from '../../../shared/case/view.js';
import { compactCode } from '../../../shared/checks/normalize-chars.js';
import { Modal } from './Modal.js';

type DecisionFieldView = NonNullable<CaseView['decision']>['fields'][number];

/** As the backend stores it: identity codes compacted and upper-cased (the check reads them so). */
const stored = (f: DecisionFieldView, raw: string) => (f.type === 'uscc' || f.type === 'idNumber' ? compactCode(raw) : raw.trim());

/**
 * 批准 of a case whose matters assign values at the decision (catalog decision fields: the
 * 统一社会信用代码 of a 设立登记): each asked with its catalog label and checked as it is typed (a
 * wrong check character is shown at once); the approval gives them (`case.approve {decision}`).
 */
export function ApproveDialog({ view, onClose, onConfirm }: { view: CaseView; onClose: () => void; onConfirm: (decision: Record<string, string>) => void }) {
  const fields = view.decision?.fields ?? [];
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(fields.map((f) => [f.key, f.value])));
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const problems = Object.fromEntries(
    fields.map((f) => {
      const v = stored(f, values[f.key] ?? '');
      return [f.key, v === '' ? (f.required ? '请填写' : null) : decisionValueProblem(f.type, v)];
    }),
  );
  const ok = fields.every((f) => problems[f.key] === null);
  const decision = Object.fromEntries(fields.map((f) => [f.key, stored(f, values[f.key] ?? '')]).filter(([, v]) => v !== ''));
  return (
    <Modal
      title={`批准：${view.summary.title}`}
      onClose={onClose}
      onConfirm={() => onConfirm(decision)}
      testId="approve-dialog"
      confirm={{ text: <>确认批准 <kbd>Ctrl+Enter</kbd></>, testId: 'btn-approve-confirm', kind: 'success', disabled: !ok }}
    >
      <p className="hint">以下事项在作出决定时确定（受理时不填写），批准后打印在结果文书上，请按登记系统赋予的内容逐位填写。</p>
      {fields.map((f) => {
        const raw = values[f.key] ?? '';
        // A wrong check character shows at once once the code is complete; an empty box only after leaving it.
        const shown = problems[f.key] && (touched[f.key] || (f.type === 'uscc' ? stored(f, raw).length >= 18 : raw.trim() !== '')) ? problems[f.key] : null;
        return (
          <label key={f.key} className="field">
            <span>
              {f.label}
              {f.required && <em className="req">*</em>}
            </span>
            <input
              data-testid={`decision-${f.key}`}
              className={f.type === 'uscc' || f.type === 'idNumber' ? 'mono' : undefined}
              maxLength={f.type === 'uscc' ? 24 : 200}
              value={raw}
              aria-invalid={shown ? true : undefined}
              style={shown ? { borderColor: 'var(--red)', background: '#fffafa' } : undefined}
              onChange={(e) => setValues({ ...values, [f.key]: e.target.value })}
              onBlur={() => setTouched({ ...touched, [f.key]: true })}
            />
            {shown && (
              <div className="ff-error" role="alert" data-testid={`decision-error-${f.key}`}>
                {shown}
              </div>
            )}
          </label>
        );
      })}
    </Modal>
  );
}

/** The approval needs values the case has not got yet: ask them before approving. */
export function approvalAsks(view: CaseView): boolean {
  return (view.decision?.fields ?? []).some((f) => f.value === '');
}
