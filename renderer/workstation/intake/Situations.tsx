import { useEffect, useState } from 'react';
import type { CaseView, SituationView } from '../../../shared/case/view.js';
import type { CaseAct } from './useIntake.js';

const question = (s: SituationView) => s.question.replace(/[？?]\s*$/, '');
const answerText = (s: SituationView) =>
  s.chosen.map((id) => s.answers.find((a) => a.id === id)?.label ?? id).join('、');

/**
 * 情形: the bundle's questions as radio (or checkbox) groups. Each answer is saved at once and the
 * case comes back with its matters, materials and fields for the new situation. Once every
 * question is answered the block folds into one line of answers (修改 opens it again), so the form
 * and the checklist get the room.
 */
export function Situations({ view, act, readOnly }: { view: CaseView; act: CaseAct; readOnly: boolean }) {
  const open = view.situations.filter((s) => s.chosen.length === 0).length;
  const complete = open === 0;
  const [expanded, setExpanded] = useState(!complete);
  useEffect(() => {
    if (complete) setExpanded(false);
    else setExpanded(true);
  }, [complete]);

  const answer = (s: SituationView, id: string) => {
    let value: string | string[];
    if (s.multiple) value = s.chosen.includes(id) ? s.chosen.filter((x) => x !== id) : [...s.chosen, id];
    else if (s.chosen.length === 1 && s.chosen[0] === id) return;
    else value = id;
    void act('case.answer', { caseId: view.summary.caseId, answers: { [s.id]: value } });
  };

  if (!expanded) {
    return (
      <section className="card situations folded" data-testid="situations">
        <div className="situations-line">
          <h3>情形</h3>
          <span className="situation-answers small" data-testid="situations-summary">
            {view.situations.map((s) => (
              <span key={s.id} className="situation-answer" title={s.question}>
                <span className="muted">{question(s)}：</span>
                <strong>{answerText(s)}</strong>
              </span>
            ))}
          </span>
          <span className="muted small nowrap" data-testid="situations-open">
            已全部回答
          </span>
          {!readOnly && (
            <button type="button" className="btn btn-sm" data-testid="situations-edit" onClick={() => setExpanded(true)}>
              修改
            </button>
          )}
        </div>
      </section>
    );
  }

  return (
    <section className="card situations" data-testid="situations">
      <div className="card-head">
        <h3>情形</h3>
        <span className={`small ${open > 0 ? 'warn-text' : 'muted'}`} data-testid="situations-open">
          {open > 0 ? `还有 ${open} 个问题未回答，回答后材料清单和表单随之确定` : '已全部回答'}
          {complete && (
            <button type="button" className="btn-link small situations-fold" data-testid="situations-fold" onClick={() => setExpanded(false)}>
              收起
            </button>
          )}
        </span>
      </div>
      <div className="situation-grid">
        {view.situations.map((s, qi) => (
          <div key={s.id} className={`situation ${s.chosen.length === 0 ? 'unanswered' : ''}`} data-testid={`situation-${s.id}`} tabIndex={-1}>
            <div className="situation-q" id={`sq-${s.id}`}>
              <span className="num muted">{qi + 1}.</span> {s.question}
              {s.multiple && <span className="muted small">（可多选）</span>}
            </div>
            <div className="seg" role={s.multiple ? 'group' : 'radiogroup'} aria-labelledby={`sq-${s.id}`}>
              {s.answers.map((a) => {
                const on = s.chosen.includes(a.id);
                return (
                  <button
                    key={a.id}
                    type="button"
                    role={s.multiple ? 'checkbox' : 'radio'}
                    aria-checked={on}
                    className={`seg-btn ${on ? 'on' : ''}`}
                    data-testid={`situation-${s.id}-${a.id}`}
                    disabled={readOnly}
                    onClick={() => answer(s, a.id)}
                  >
                    <span className={s.multiple ? 'box' : 'dot'} aria-hidden />
                    {a.label}
                  </button>
                );
              })}
            </div>
          </div>
        ))}
      </div>
    </section>
  );
}
