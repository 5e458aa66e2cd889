/** One figure: a label, the value, a line of detail; clickable when it drills down to its tickets. */
export function KpiCard({ label, value, sub, tone, onClick, testId }: { label: string; value: string; sub?: string; tone?: 'good' | 'bad'; onClick?: () => void; testId?: string }) {
  const body = (
    <>
      <span className="sv-card-label">{label}</span>
      <span className={`sv-card-value num${tone ? ` ${tone}` : ''}`}>{value}</span>
      {sub && <span className="sv-card-sub">{sub}</span>}
    </>
  );
  return onClick ? (
    <button type="button" className="sv-card clickable" onClick={onClick} data-testid={testId} title="查看对应号码">
      {body}
    </button>
  ) : (
    <div className="sv-card" data-testid={testId}>
      {body}
    </div>
  );
}
