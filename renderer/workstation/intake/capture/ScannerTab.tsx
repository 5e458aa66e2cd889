import { useEffect, useState, type MutableRefObject } from 'react';
import type { ScanPageEvent, ScannerOptionsView, ScannerView } from '../../../../shared/case/capture-contract.js';
import { invoke, onEvent } from './capture-api.js';
import { remember, remembered } from '../../../common/remember.js';

export interface ScanSettings {
  device: string;
  source: 'glass' | 'feeder' | 'duplex';
  dpi: number;
  mode: 'color' | 'gray' | 'lineart';
}

const SOURCE_LABEL: Record<ScanSettings['source'], string> = { glass: '平板（玻璃面）', feeder: '进纸器（单面）', duplex: '进纸器（双面）' };
const MODE_LABEL: Record<ScanSettings['mode'], string> = { color: '彩色', gray: '灰度', lineart: '黑白' };

/**
 * 扫描仪: the scanners of this workstation (SANE), glass / feeder / both sides, resolution and colour
 * mode (remembered), and the pages as they come off the scanner.
 */
export function ScannerTab({
  caseId,
  materialId,
  busy,
  action,
  onScan,
}: {
  caseId: string;
  materialId: string;
  busy: boolean;
  action: MutableRefObject<(() => void) | null>;
  onScan: (s: ScanSettings) => void;
}) {
  const [scanners, setScanners] = useState<ScannerView[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [options, setOptions] = useState<ScannerOptionsView | null>(null);
  const [s, setS] = useState<ScanSettings>(() => remembered<ScanSettings>('capture.scanner', { device: '', source: 'glass', dpi: 300, mode: 'color' }));
  const [pages, setPages] = useState<ScanPageEvent[]>([]);
  const update = (patch: Partial<ScanSettings>) => {
    const next = { ...s, ...patch };
    setS(next);
    remember('capture.scanner', next);
  };

  useEffect(() => {
    void invoke('capture.scanners', {}).then((r) => {
      if (!r.ok) return setProblem(r.error.message);
      setScanners(r.value.scanners);
      if (r.value.scanners.length === 0) setProblem('未找到扫描仪，请检查扫描仪电源和数据线后重试。');
      else if (!r.value.scanners.some((x) => x.id === s.device)) update({ device: r.value.scanners[0]!.id });
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (!s.device) return;
    setOptions(null);
    void invoke('capture.scannerOptions', { device: s.device }).then((r) => {
      if (!r.ok) return setProblem(r.error.message);
      setOptions(r.value);
      const o = r.value;
      const patch: Partial<ScanSettings> = {};
      if (!o.paperSources.includes(s.source) && o.paperSources[0]) patch.source = o.paperSources[0];
      if (o.resolutions.length > 0 && !o.resolutions.includes(s.dpi)) patch.dpi = o.resolutions.includes(300) ? 300 : o.resolutions[0]!;
      if (!o.modes.includes(s.mode) && o.modes[0]) patch.mode = o.modes[0];
      if (Object.keys(patch).length > 0) update(patch);
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [s.device]);

  useEffect(
    () => onEvent('capture.scanPage', (p) => p.caseId === caseId && p.materialId === materialId && setPages((list) => [...list, p].sort((a, b) => a.index - b.index))),
    [caseId, materialId],
  );

  useEffect(() => {
    action.current = () => {
      if (!s.device || busy) return;
      setPages([]);
      onScan(s);
    };
    return () => {
      action.current = null;
    };
  }, [action, s, busy, onScan]);

  if (scanners === null && !problem) return <div className="muted small">正在查找扫描仪…</div>;
  return (
    <div className="cap-scanner">
      {problem && (
        <div className="cap-video-problem small" data-testid="capture-scanner-problem">
          {problem}
        </div>
      )}
      {scanners && scanners.length > 0 && (
        <div className="cap-row">
          <label className="cap-field cap-grow">
            扫描仪
            <select data-testid="capture-scanner" value={s.device} onChange={(e) => update({ device: e.target.value })}>
              {scanners.map((d) => (
                <option key={d.id} value={d.id}>
                  {[d.vendor, d.model].filter(Boolean).join(' ') || d.id}
                </option>
              ))}
            </select>
          </label>
          <label className="cap-field">
            纸张来源
            <select data-testid="capture-source" value={s.source} onChange={(e) => update({ source: e.target.value as ScanSettings['source'] })}>
              {(options?.paperSources ?? ['glass']).map((x) => (
                <option key={x} value={x}>
                  {SOURCE_LABEL[x]}
                </option>
              ))}
            </select>
          </label>
          <label className="cap-field">
            分辨率
            <select data-testid="capture-dpi" value={s.dpi} onChange={(e) => update({ dpi: Number(e.target.value) })}>
              {(options?.resolutions.length ? options.resolutions : [s.dpi]).map((x) => (
                <option key={x} value={x}>
                  {x} dpi
                </option>
              ))}
            </select>
          </label>
          <label className="cap-field">
            色彩
            <select data-testid="capture-mode" value={s.mode} onChange={(e) => update({ mode: e.target.value as ScanSettings['mode'] })}>
              {(options?.modes ?? ['color']).map((x) => (
                <option key={x} value={x}>
                  {MODE_LABEL[x]}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
      <div className="cap-scan-pages" data-testid="capture-scan-pages">
        {pages.length === 0 ? (
          <span className="muted small">{busy ? '等待第一页…' : '证件、身份证建议 300 dpi 彩色；多页材料放入进纸器。扫描的页面会逐页显示在这里。'}</span>
        ) : (
          pages.map((p) => (
            <figure key={p.index} className="cap-scan-page" data-testid="capture-scan-page">
              <img src={`data:image/jpeg;base64,${p.thumbBase64}`} alt={`第 ${p.index + 1} 页`} />
              <figcaption className="small">
                第 {p.index + 1} 页{p.docTypeName ? ` · ${p.docTypeName}` : ''}
              </figcaption>
            </figure>
          ))
        )}
      </div>
    </div>
  );
}
