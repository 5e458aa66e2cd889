import { useEffect, useState } from 'react';
import { pageUrl } from './capture-api.js';

export interface Outline {
  /** x, y, width, height on the stored page, in its pixels. */
  region: readonly [number, number, number, number];
  active?: boolean;
  label?: string;
}

/**
 * A stored page with regions outlined on it (where values were read). The page is fetched once
 * (capture.page, audited) and scaled to the box; the outlines are placed in the page's own pixels.
 */
export function PageFigure({
  caseId,
  sha256,
  outlines,
  testId = 'page-figure',
  zoom = false,
}: {
  caseId: string;
  sha256: string;
  outlines: readonly Outline[];
  testId?: string;
  /** Also show the active region enlarged above the page (the text itself, readable). */
  zoom?: boolean;
}) {
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const [size, setSize] = useState<{ w: number; h: number } | null>(null);
  useEffect(() => {
    let live = true;
    setUrl(null);
    setSize(null);
    setFailed(false);
    void pageUrl(caseId, sha256).then((u) => {
      if (!live) return;
      if (u) setUrl(u);
      else setFailed(true);
    });
    return () => {
      live = false;
    };
  }, [caseId, sha256]);

  if (failed) return <div className="page-fig page-fig-empty small muted">页面无法显示</div>;
  if (!url) return <div className="page-fig page-fig-empty small muted">正在载入页面…</div>;
  const active = outlines.find((o) => o.active);
  return (
    <>
    {zoom && size && active && <Zoom url={url} size={size} region={active.region} />}
    <div className="page-fig" data-testid={testId} data-sha256={sha256}>
      <img src={url} alt="材料页面" data-testid={`${testId}-img`} onLoad={(e) => setSize({ w: e.currentTarget.naturalWidth, h: e.currentTarget.naturalHeight })} />
      {size &&
        outlines.map((o, i) => (
          <span
            key={i}
            className={`page-region ${o.active ? 'active' : ''}`}
            data-testid={o.active ? 'page-region-active' : 'page-region'}
            data-region={o.region.join(',')}
            title={o.label}
            style={{
              left: `${(o.region[0] / size.w) * 100}%`,
              top: `${(o.region[1] / size.h) * 100}%`,
              width: `${(o.region[2] / size.w) * 100}%`,
              height: `${(o.region[3] / size.h) * 100}%`,
            }}
          />
        ))}
    </div>
    </>
  );
}

/** The region and a margin around it, enlarged to the box's width (CSS background, in percentages). */
function Zoom({ url, size, region }: { url: string; size: { w: number; h: number }; region: Outline['region'] }) {
  const [x, y, w, h] = region;
  const pad = Math.max(8, h * 0.35);
  const cx = Math.max(0, x - pad);
  const cy = Math.max(0, y - pad);
  const cw = Math.min(size.w - cx, w + 2 * pad);
  const ch = Math.min(size.h - cy, h + 2 * pad);
  const pos = (c: number, crop: number, total: number) => (total > crop ? (c / (total - crop)) * 100 : 0);
  return (
    <div
      className="page-zoom"
      data-testid="page-zoom"
      role="img"
      aria-label="识别位置放大"
      style={{
        aspectRatio: `${cw} / ${ch}`,
        backgroundImage: `url("${url}")`,
        backgroundSize: `${(size.w / cw) * 100}% auto`,
        backgroundPosition: `${pos(cx, cw, size.w)}% ${pos(cy, ch, size.h)}%`,
      }}
    />
  );
}
