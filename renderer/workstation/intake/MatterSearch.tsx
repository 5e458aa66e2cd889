import { useEffect, useRef, useState } from 'react';
import type { CatalogHit, SituationView } from '../../../shared/case/view.js';
import type { TicketView } from '../../../shared/hall/views.js';
import type { Run } from '../App.js';
import { promisedLabel } from './intake-format.js';
import type { CaseAct } from './useIntake.js';

const SCOPES = ['跨省通办', '全省通办', '市域通办', '异地代收'];

/**
 * 受理办件, first step: find the matter or bundle (name, code, pinyin initials such as qykb, alias),
 * then open a draft case for the ticket being served — optionally 代收代办 for another jurisdiction.
 * Keyboard: F6 focuses the search, ↑/↓ choose, Enter picks, Enter again opens, Esc goes back.
 */
export function MatterSearch({ run, act, ticket }: { run: Run; act: CaseAct; ticket: TicketView | null }) {
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<CatalogHit[] | null>(null);
  /** The query `hits` answer: Enter on a list that does not answer what is typed waits for the answer. */
  const [hitsFor, setHitsFor] = useState('');
  const enterPending = useRef(false);
  const [active, setActive] = useState(0);
  const [picked, setPicked] = useState<{ hit: CatalogHit; situations: SituationView[] } | null>(null);
  const [bundles, setBundles] = useState<CatalogHit[]>([]);
  const input = useRef<HTMLInputElement>(null);
  const seq = useRef(0);

  // With nothing typed, the bundles (一件事) are listed: the hall's most frequent starting points.
  useEffect(() => {
    void run('catalog.search', { query: '' }).then((r) => r.ok && setBundles(r.value.hits));
  }, [run]);
  // The bundles of the ticket's own board first: that is what this applicant most likely came for.
  const ownBoardFirst = ticket ? [...bundles].sort((a, b) => Number(b.board === ticket.board) - Number(a.board === ticket.board)) : bundles;
  const shown = hits ?? ownBoardFirst;

  useEffect(() => {
    const q = query.trim();
    const mine = ++seq.current;
    if (!q) {
      setHits(null);
      setHitsFor('');
      return;
    }
    const id = setTimeout(() => {
      void run('catalog.search', { query: q.slice(0, 60) }).then((r) => {
        if (mine !== seq.current) return;
        const list = r.ok ? r.value.hits : [];
        setHits(list);
        setHitsFor(q);
        setActive(0);
        if (enterPending.current) {
          enterPending.current = false;
          if (list[0]) void pick(list[0]);
        }
      });
    }, 150);
    return () => clearTimeout(id);
  }, [query, run]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'F6') return;
      e.preventDefault();
      setPicked(null);
      input.current?.focus();
      input.current?.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  useEffect(() => {
    if (!picked) input.current?.focus();
  }, [picked]);

  const pick = async (hit: CatalogHit) => {
    const r = await run('catalog.subject', { kind: hit.kind, code: hit.code });
    if (r.ok) setPicked(r.value);
  };

  if (picked) return <StartCase picked={picked} ticket={ticket} act={act} onBack={() => setPicked(null)} />;

  return (
    <section className="card intake-search" data-testid="intake-search-panel">
      <div className="card-head">
        <h3>受理办件</h3>
        <span className="muted small">
          {ticket ? (
            <>
              为 <span className="num strong">{ticket.number}</span> 办理
            </>
          ) : (
            '当前没有正在办理的号码'
          )}
        </span>
      </div>
      <div className="search-box">
        <span className="search-icon" aria-hidden>
          ⌕
        </span>
        <input
          ref={input}
          data-testid="intake-search"
          value={query}
          maxLength={60}
          autoComplete="off"
          spellCheck={false}
          placeholder="事项名称、编码、拼音首字母（如 qykb）或别名"
          aria-label="搜索事项或一件事"
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              setQuery('');
              setActive(0);
              return;
            }
            if (e.key === 'ArrowDown') {
              if (shown.length === 0) return;
              e.preventDefault();
              setActive((a) => Math.min(shown.length - 1, a + 1));
            } else if (e.key === 'ArrowUp') {
              if (shown.length === 0) return;
              e.preventDefault();
              setActive((a) => Math.max(0, a - 1));
            } else if (e.key === 'Enter') {
              e.preventDefault();
              if (query.trim() !== hitsFor) {
                enterPending.current = true; // typed faster than the search answered: take its first hit
                return;
              }
              const h = shown[active];
              if (h) void pick(h);
            }
          }}
        />
        <kbd>F6</kbd>
      </div>
      {hits !== null && hits.length === 0 && <p className="muted search-tip">没有找到“{query.trim()}”，请换个名称、编码或拼音首字母。</p>}
      {hits === null && bundles.length > 0 && <div className="list-caption small muted">一件事 · 一次告知、一表申请、一窗受理</div>}
      {shown.length > 0 && (
        <ul className="hit-list" role="listbox" aria-label={hits ? '搜索结果' : '一件事'}>
          {shown.map((h, i) => (
            <li
              key={`${h.kind}:${h.code}`}
              role="option"
              aria-selected={i === active}
              className={`hit ${i === active ? 'active' : ''}`}
              data-testid={`intake-hit-${h.code}`}
              onMouseEnter={() => setActive(i)}
              onClick={() => void pick(h)}
            >
              <HitLine hit={h} showMatch={hits !== null} />
            </li>
          ))}
        </ul>
      )}
      {hits === null && (
        <div className="search-help">
          <p className="muted small search-tip">
            例：<code>qykb</code> 企业开办 · <code>cyd</code> 餐饮店开办 · <code>37142500-XZSP-002</code> · 别名“开公司”“上户口”。
          </p>
          <ul className="key-help small">
            <li>
              <kbd>↑</kbd>
              <kbd>↓</kbd> 选择，<kbd>Enter</kbd> 选定，再按 <kbd>Enter</kbd> 开始受理 · <kbd>F8</kbd> 受理 · <kbd>F9</kbd> 一次性告知 · <kbd>F6</kbd> 回到搜索 · <kbd>F4</kbd> 办结当前号码
            </li>
            <li>表单自动保存；中途离开或重启后，从右侧“今日办件”继续办理草稿。</li>
          </ul>
        </div>
      )}
    </section>
  );
}

function HitLine({ hit, showMatch = true }: { hit: CatalogHit; showMatch?: boolean }) {
  return (
    <>
      <span className={`kind-badge ${hit.kind}`}>{hit.kind === 'bundle' ? '一件事' : '事项'}</span>
      <span className="hit-main">
        <span className="hit-name">{hit.name}</span>
        <span className="hit-sub muted small">
          {hit.kind === 'bundle' ? `最多 ${hit.matterCount} 个事项联办` : hit.code}
          {showMatch && hit.matchedBy && ` · 按${hit.matchedBy}匹配`}
        </span>
      </span>
      <span className="hit-board">
        <span className="board-code">{hit.board}</span> <span className="small">{hit.boardName}</span>
      </span>
      <span className="hit-days small">
        承诺 <strong>{promisedLabel(hit.promisedDays)}</strong>
      </span>
      <span className="hit-badges">
        {hit.instantApproval && <span className="tag tag-green">秒批</span>}
        {hit.branchMayDecide && <span className="tag tag-blue">县镇同权</span>}
        {hit.crossRegion && <span className="tag tag-purple">{hit.crossRegion}</span>}
      </span>
    </>
  );
}

function StartCase({
  picked,
  ticket,
  act,
  onBack,
}: {
  picked: { hit: CatalogHit; situations: SituationView[] };
  ticket: TicketView | null;
  act: CaseAct;
  onBack: () => void;
}) {
  const { hit, situations } = picked;
  const [behalf, setBehalf] = useState(false);
  const [jurisdiction, setJurisdiction] = useState('');
  const [scope, setScope] = useState(SCOPES[0]!);
  const [busy, setBusy] = useState(false);
  const invalid = behalf && jurisdiction.trim() === '';
  const start = async () => {
    if (busy || invalid) return;
    setBusy(true);
    try {
      await act('case.open', {
        subject: { kind: hit.kind, code: hit.code },
        ...(behalf ? { onBehalfOf: { jurisdiction: jurisdiction.trim(), scope } } : {}),
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section
      className="card intake-start"
      data-testid="intake-start"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onBack();
      }}
    >
      <div className="card-head">
        <h3>受理办件</h3>
        <button type="button" className="btn btn-sm" data-testid="btn-back-search" onClick={onBack}>
          ← 重新选择 <kbd>Esc</kbd>
        </button>
      </div>
      <div className="start-hit">
        <HitLine hit={hit} />
      </div>
      {situations.length > 0 && (
        <p className="small muted start-note">
          开始后先回答 {situations.length} 个情形问题（{situations.map((s) => s.question.replace(/[？?]$/, '')).join('；')}），材料清单和表单随之确定。
        </p>
      )}
      <div className="start-row">
        <label className="check">
          <input type="checkbox" data-testid="intake-behalf" checked={behalf} onChange={(e) => setBehalf(e.target.checked)} />
          代收代办（为其他地区受理，转报有权机关办理）
        </label>
        {behalf && (
          <>
            <input
              className="input"
              data-testid="intake-behalf-jurisdiction"
              placeholder="受理地区，例如 济南市历城区"
              maxLength={60}
              value={jurisdiction}
              onChange={(e) => setJurisdiction(e.target.value)}
            />
            <select className="input" data-testid="intake-behalf-scope" value={scope} onChange={(e) => setScope(e.target.value)} aria-label="通办范围">
              {SCOPES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </>
        )}
      </div>
      <div className="start-foot">
        <span className="muted small">
          {ticket ? `办件将关联当前号码 ${ticket.number}` : '当前没有正在办理的号码，办件不关联号码。'}
        </span>
        <button
          type="button"
          className="btn btn-primary"
          data-testid="btn-open-case"
          data-autofocus
          autoFocus
          disabled={busy || invalid}
          onClick={() => void start()}
        >
          开始受理 <kbd>Enter</kbd>
        </button>
      </div>
    </section>
  );
}
