import { useCallback, useEffect, useState } from 'react';
import { FOLLOWUP_OUTCOME_LABEL, FOLLOWUP_REASON_LABEL, type FollowupList, type FollowupOutcome, type FollowupRow } from '../../../shared/dashboard/followup.js';
import { addDays, weekStart } from '../../../shared/dashboard/period.js';
import { formatClock } from '../../common/format.js';
import type { DashboardInvoke } from './SupervisorView.js';

/**
 * 回访: the week's services to call back (every low rating and a fixed sample), with what each
 * call-back found. A new record replaces nothing: the latest one is shown.
 */
export function FollowupPanel({ invoke, today, offices }: { invoke: DashboardInvoke; today: string | null; offices: Array<{ id: string; name: string }> }) {
  // Normally last week's services are called back this week.
  const [week, setWeek] = useState<string | null>(today ? addDays(weekStart(today), -7) : null);
  const [office, setOffice] = useState<string | undefined>(undefined);
  const [list, setList] = useState<FollowupList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  useEffect(() => {
    if (week === null && today) setWeek(addDays(weekStart(today), -7));
  }, [today, week]);

  const load = useCallback(async () => {
    if (!week) return;
    const r = await invoke('dashboard.followups', { office, week });
    if (r.ok) {
      setList(r.value);
      setError(null);
    } else setError(r.error.message);
  }, [invoke, office, week]);
  useEffect(() => void load(), [load]);

  const save = async (row: FollowupRow, outcome: FollowupOutcome, satisfaction: number | undefined, note: string) => {
    if (!week) return;
    const r = await invoke('dashboard.recordFollowup', { ticketId: row.ticketId, outcome, satisfaction: outcome === 'reached' ? satisfaction : undefined, note: note.trim() || undefined, office, week });
    if (r.ok) {
      setList(r.value);
      setEditing(null);
      setError(null);
    } else setError(r.error.message);
  };

  return (
    <div className="sv-followups" data-testid="followup-panel">
      <div className="sv-toolbar">
        {offices.length > 1 && (
          <select value={office ?? offices[0]!.id} onChange={(e) => setOffice(e.target.value)}>
            {offices.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        )}
        <button type="button" className="btn btn-sm" onClick={() => week && setWeek(addDays(week, -7))}>
          上一周
        </button>
        <strong data-testid="followup-week">{list ? `${list.week} 至 ${list.weekEnd}` : week}</strong>
        <button type="button" className="btn btn-sm" disabled={!week || !today || addDays(week, 7) > today} onClick={() => week && setWeek(addDays(week, 7))}>
          下一周
        </button>
        {list && (
          <span className="muted small">
            共 {list.rows.length} 件，已回访 {list.recorded} 件（差评全部回访，其余按号码抽样）
          </span>
        )}
      </div>
      {error && <p className="form-error">{error}</p>}
      <section className="card">
        <table className="sv-table">
          <thead>
            <tr>
              <th>办结日期</th>
              <th>号码</th>
              <th>办件号</th>
              <th>窗口</th>
              <th>工作人员</th>
              <th>类型</th>
              <th>评价</th>
              <th>回访结果</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list?.rows.map((r) => (
              <tr key={r.ticketId} data-testid={`followup-${r.number}`}>
                <td>
                  {r.day} {formatClock(r.finishedAt)}
                </td>
                <td className="strong">{r.number}</td>
                <td>{r.caseNo ?? '—'}</td>
                <td>{r.window}</td>
                <td>{r.staff}</td>
                <td className={r.reason === 'low_rating' ? 'danger' : ''}>{FOLLOWUP_REASON_LABEL[r.reason]}</td>
                <td>{r.rating ? `${r.rating} 星${r.ratingReason ? `：${r.ratingReason}` : ''}` : '未评价'}</td>
                <td>
                  {editing === r.ticketId ? (
                    <RecordForm onSave={(o, s, n) => void save(r, o, s, n)} onCancel={() => setEditing(null)} />
                  ) : r.record ? (
                    `${FOLLOWUP_OUTCOME_LABEL[r.record.outcome]}${r.record.satisfaction ? ` · ${r.record.satisfaction} 星` : ''}${r.record.note ? ` · ${r.record.note}` : ''}（${r.record.staffName}）`
                  ) : (
                    <span className="muted">未回访</span>
                  )}
                </td>
                <td>
                  {editing !== r.ticketId && (
                    <button type="button" className="btn btn-sm" onClick={() => setEditing(r.ticketId)}>
                      {r.record ? '再次记录' : '记录回访'}
                    </button>
                  )}
                </td>
              </tr>
            ))}
            {list && list.rows.length === 0 && (
              <tr>
                <td colSpan={9} className="muted">
                  这一周没有办结的服务。
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </section>
    </div>
  );
}

function RecordForm({ onSave, onCancel }: { onSave: (o: FollowupOutcome, s: number | undefined, note: string) => void; onCancel: () => void }) {
  const [outcome, setOutcome] = useState<FollowupOutcome>('reached');
  const [satisfaction, setSatisfaction] = useState(5);
  const [note, setNote] = useState('');
  return (
    <div className="sv-record">
      <select value={outcome} onChange={(e) => setOutcome(e.target.value as FollowupOutcome)} aria-label="回访结果">
        {(Object.keys(FOLLOWUP_OUTCOME_LABEL) as FollowupOutcome[]).map((o) => (
          <option key={o} value={o}>
            {FOLLOWUP_OUTCOME_LABEL[o]}
          </option>
        ))}
      </select>
      {outcome === 'reached' && (
        <select value={satisfaction} onChange={(e) => setSatisfaction(Number(e.target.value))} aria-label="满意程度">
          {[5, 4, 3, 2, 1].map((n) => (
            <option key={n} value={n}>
              {n} 星
            </option>
          ))}
        </select>
      )}
      <input value={note} maxLength={300} onChange={(e) => setNote(e.target.value)} placeholder="回访情况" aria-label="回访情况" />
      <button type="button" className="btn btn-sm btn-primary" onClick={() => onSave(outcome, satisfaction, note)}>
        保存
      </button>
      <button type="button" className="btn btn-sm" onClick={onCancel}>
        取消
      </button>
    </div>
  );
}
