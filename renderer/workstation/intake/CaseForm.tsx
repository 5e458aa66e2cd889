import type { CaseView, FieldView } from '../../../shared/case/view.js';
import { formatClock } from '../../common/format.js';
import { SourcePeek } from './capture/SourcePeek.js';
import { neededByHint, normalizeDateInput, visibleError } from './intake-format.js';
import type { FormDraft } from './useFormDraft.js';

const WIDE_TYPES = new Set(['address']);
const CODE_TYPES = new Set(['idNumber', 'uscc', 'phone']);

/**
 * The one merged form of the case: each field once, with the matters it serves ("用于：…"), the
 * error of a wrong value inline, autosaved as the clerk types.
 */
export function CaseForm({ view, draft, showAll, readOnly }: { view: CaseView; draft: FormDraft; showAll: boolean; readOnly: boolean }) {
  const fields = view.fields;
  const filled = fields.filter((f) => (draft.edits[f.key] ?? f.value).trim() !== '').length;
  const required = fields.filter((f) => f.required);
  const requiredLeft = required.filter((f) => (draft.edits[f.key] ?? f.value).trim() === '').length;
  const wrong = fields.filter((f) => f.error && f.value.trim() !== '').length;
  return (
    <section className="card case-form" data-testid="case-form">
      <div className="card-head">
        <h3>
          申请表 <span className="muted small">（一张表，共 {fields.length} 项，每项只填一次）</span>
        </h3>
        <SaveState draft={draft} readOnly={readOnly} />
      </div>
      <div className="form-progress small">
        <span>
          已填 <strong className="num">{filled}</strong> / {fields.length}
        </span>
        {requiredLeft > 0 && <span className="warn-text">必填未填 {requiredLeft}</span>}
        {wrong > 0 && <span className="danger">有误 {wrong}</span>}
      </div>
      {fields.length === 0 ? (
        <p className="muted small">请先回答上面的情形问题，表单随之确定。</p>
      ) : (
        <SourcePeek view={view} /* the source page of a field filled from a page */>
          <div className="form-grid">
            {fields.map((f) => (
              <FormField key={f.key} field={f} view={view} draft={draft} showAll={showAll} readOnly={readOnly} />
            ))}
          </div>
        </SourcePeek>
      )}
    </section>
  );
}

function SaveState({ draft, readOnly }: { draft: FormDraft; readOnly: boolean }) {
  if (readOnly) return <span className="muted small">已提交，不可修改</span>;
  const unsaved = Object.keys(draft.edits).length;
  let text: string;
  let cls = 'muted';
  if (draft.saving) text = '正在保存…';
  else if (draft.failed) {
    text = '保存失败，将在下次修改时重试';
    cls = 'danger';
  } else if (unsaved > 0) text = '有未保存的修改';
  else if (draft.savedAt) text = `已自动保存 ${formatClock(draft.savedAt, true)}`;
  else text = '修改自动保存';
  return (
    <span className={`small ${cls}`} data-testid="form-save-state" data-unsaved={unsaved} data-saving={draft.saving ? '1' : '0'}>
      {text}
    </span>
  );
}

function FormField({ field: f, view, draft, showAll, readOnly }: { field: FieldView; view: CaseView; draft: FormDraft; showAll: boolean; readOnly: boolean }) {
  const value = draft.edits[f.key] ?? f.value;
  const error = visibleError(f, value, draft.touched.has(f.key), showAll);
  const hint = neededByHint(f.neededBy, view.matters.length);
  const id = `ff-${f.key}`;
  const common = {
    id,
    'data-testid': `field-${f.key}`,
    'data-type': f.type,
    'data-required': f.required ? '1' : '0',
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-err` : undefined,
    disabled: readOnly,
    onBlur: () => {
      draft.touch(f.key);
      if (f.type === 'date') {
        const normalized = normalizeDateInput(value);
        if (normalized !== value) draft.set(f.key, normalized);
      }
      void draft.flush();
    },
  };
  let control;
  if (f.type === 'enum' || f.type === 'boolean') {
    const options = f.type === 'boolean' ? [{ value: 'true', label: '是' }, { value: 'false', label: '否' }] : (f.options ?? []);
    control = (
      <select {...common} value={value} onChange={(e) => draft.set(f.key, e.target.value)}>
        <option value="">请选择</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  } else {
    // Dates are typed (20350630, 2035/6/30 → 2035-06-30 on leaving the field): faster at a counter than a picker.
    const type = f.type === 'phone' ? 'tel' : 'text';
    const numeric = f.type === 'number' || f.type === 'money' || f.type === 'area';
    control = (
      <input
        {...common}
        type={type}
        className={CODE_TYPES.has(f.type) || f.type === 'date' ? 'mono' : undefined}
        inputMode={numeric ? 'decimal' : f.type === 'date' ? 'numeric' : undefined}
        placeholder={f.type === 'date' ? '年-月-日，如 2026-03-02' : undefined}
        maxLength={f.type === 'idNumber' || f.type === 'uscc' ? 18 : 2000}
        autoComplete="off"
        spellCheck={false}
        value={value}
        onChange={(e) => draft.set(f.key, e.target.value)}
      />
    );
  }
  const unit = f.type === 'money' ? '元' : f.type === 'area' ? '㎡' : null;
  return (
    <div className={`ff ${WIDE_TYPES.has(f.type) ? 'ff-wide' : ''} ${error ? 'has-error' : ''}`} data-testid={`field-row-${f.key}`}>
      <label htmlFor={id} className="ff-label">
        <span className="ff-name">
          {f.label}
          {f.required && <i className="req" aria-label="必填">*</i>}
        </span>
        {f.source?.kind === 'extracted' && (
          <span className="tag tag-blue" title={`从材料识别，置信度 ${Math.round(f.source.confidence * 100)}%`}>
            识别
          </span>
        )}
        {hint && (
          <span className="ff-hint" data-testid={`field-hint-${f.key}`} title={`用于：${f.neededBy.join('、')}`}>
            {hint}
          </span>
        )}
      </label>
      <div className="ff-control">
        {control}
        {unit && <span className="ff-unit">{unit}</span>}
      </div>
      {error && (
        <div className="ff-error" id={`${id}-err`} data-testid={`field-error-${f.key}`} role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
