import { useCallback, useEffect, useState } from 'react';
import type { InvokeResult } from '../../../shared/contract.js';
import {
  SEAL_IMAGE_MAX_BYTES,
  SEAL_P12_MAX_BYTES,
  type OfficeSealStatus,
  type SealMethodInput,
  type SealMethodName,
  type SealMethodOutput,
  type SealSettingsView,
} from '../../../shared/certificates/seal-contract.js';
import { formatClock, formatDate } from '../../common/format.js';

/** Calls a seal settings method of the workstation backend. */
export type SealInvoke = <M extends SealMethodName>(method: M, input: SealMethodInput<M>) => Promise<InvokeResult<SealMethodOutput<M>>>;

interface PickedFile {
  name: string;
  size: number;
  base64: string;
  /** data: URL for the preview (seal image only). */
  url: string;
}

const DAY = 24 * 3600_000;

function readFile(file: File): Promise<PickedFile> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onerror = () => reject(new Error('读取文件失败'));
    r.onload = () => {
      const url = String(r.result);
      resolve({ name: file.name, size: file.size, base64: url.slice(url.indexOf(',') + 1), url });
    };
    r.readAsDataURL(file);
  });
}

/** "2026年12月6日" (no weekday). */
const day = (ms: number) => formatDate(ms).replace(/\s*星期.$/, '');
const dateOf = (iso: string | null) => (iso ? day(Date.parse(iso)) : '—');
const fingerprint = (hex: string) => hex.toUpperCase().match(/.{2}/g)!.join(':');
const when = (ms: number) => `${day(ms)} ${formatClock(ms)}`;

/** How the office's certificate stands today: expired, soon, fine. */
function validity(s: OfficeSealStatus, now: number): { label: string; className: string } | null {
  if (!s.configured || !s.notAfter) return null;
  const left = Date.parse(s.notAfter) - now;
  if (left < 0) return { label: '证书已过期，出具文书将被拒绝，请更换证书', className: 'chip seal-chip-bad' };
  if (left < 30 * DAY) return { label: `证书 ${Math.ceil(left / DAY)} 天后到期，请及时更换`, className: 'chip chip-warn' };
  return null;
}

/** A file input in Chinese (the browser's own says "Choose File" in an English locale). */
function FilePicker({ label, accept, picked, testId, onPick }: { label: string; accept: string; picked: PickedFile | null; testId: string; onPick: (f: File | undefined) => void }) {
  return (
    <label className="field seal-file">
      {label}
      <span className="seal-file-row">
        <span className="btn btn-sm">选择文件…</span>
        <span className={picked ? '' : 'muted'}>{picked ? `${picked.name}（${Math.max(1, Math.round(picked.size / 1024))} KB）` : '未选择文件'}</span>
        <input type="file" accept={accept} onChange={(e) => onPick(e.target.files?.[0])} data-testid={testId} />
      </span>
    </label>
  );
}

function OfficeCard({ office, busy, onRemove }: { office: OfficeSealStatus; busy: boolean; onRemove: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const v = validity(office, Date.now());
  return (
    <section className="card seal-office" data-testid={`seal-office-${office.officeId}`}>
      <div className="card-head">
        <h3>{office.officeName}</h3>
        {office.configured ? (
          <span className="chip chip-ok" data-testid="seal-state">
            已使用本单位印章和数字证书
          </span>
        ) : (
          <span className="chip chip-warn" data-testid="seal-state">
            未设置 · 文书加盖“样章”并标注“样本”
          </span>
        )}
      </div>
      <p className="muted small">出具文书所用的单位名称。印章图片和数字证书应属于该单位。</p>
      {v && <p className={v.className}>{v.label}</p>}
      {office.configured && office.subject && !office.subject.includes(office.officeName) && (
        <p className="chip chip-warn" data-testid="seal-name-warning">
          证书持有单位“{office.subject}”与出证单位名称不一致，请确认导入的是本单位的证书。
        </p>
      )}
      {office.configured ? (
        <dl className="seal-facts">
          <dt>证书持有单位</dt>
          <dd data-testid="seal-subject">{office.subject}</dd>
          <dt>颁发机构</dt>
          <dd>{office.issuer}</dd>
          <dt>有效期</dt>
          <dd data-testid="seal-validity">
            {dateOf(office.notBefore)} 至 {dateOf(office.notAfter)}
          </dd>
          <dt>证书指纹（SHA-256）</dt>
          <dd className="mono seal-fingerprint" data-testid="seal-fingerprint">
            {office.fingerprint ? fingerprint(office.fingerprint) : '—'}
          </dd>
          <dt>印章图片</dt>
          <dd>{office.imageKind === 'svg' ? 'SVG 矢量图' : 'PNG 透明背景图片'}</dd>
          <dt>导入</dt>
          <dd>
            {office.importedAt ? when(office.importedAt) : '—'}
            {office.importedBy ? ` · ${office.importedBy.name}（${office.importedBy.staffId}）` : ''}
          </dd>
        </dl>
      ) : (
        <p className="muted small">
          本单位尚未导入印章和数字证书。在此之前出具的文书加盖系统绘制的样章（印章中标有“样章”），页面带“样本”水印，仅供演示和核对版式，不能作为正式文书使用。
        </p>
      )}
      {office.configured &&
        (confirming ? (
          <div className="seal-confirm">
            <span>删除后，本单位之后出具的文书将改用样章（标注“样本”）。确定删除吗？</span>
            <button type="button" className="btn btn-sm seal-btn-danger" disabled={busy} onClick={onRemove} data-testid="seal-remove-confirm">
              确定删除
            </button>
            <button type="button" className="btn btn-sm" onClick={() => setConfirming(false)}>
              取消
            </button>
          </div>
        ) : (
          <div>
            <button type="button" className="btn btn-sm" disabled={busy} onClick={() => setConfirming(true)} data-testid="seal-remove">
              删除印章设置（改回样章）
            </button>
          </div>
        ))}
    </section>
  );
}

/**
 * 印章设置 (administrator only): each office this workstation serves — the specimen seal or its own
 * imported seal image and signing certificate — an import form with a preview of the image, and
 * the record of imports and removals. The backend checks everything again and refuses anyone else.
 */
export function SealSettings({ invoke }: { invoke: SealInvoke }) {
  const [view, setView] = useState<SealSettingsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [image, setImage] = useState<PickedFile | null>(null);
  const [p12, setP12] = useState<PickedFile | null>(null);
  const [password, setPassword] = useState('');
  const [formKey, setFormKey] = useState(0);

  const load = useCallback(async () => {
    const r = await invoke('seal.status', {});
    if (r.ok) setView(r.value);
    else setError(r.error.message);
  }, [invoke]);
  useEffect(() => void load(), [load]);

  const pick = async (file: File | undefined, max: number, what: string, set: (f: PickedFile | null) => void) => {
    setError(null);
    setDone(null);
    if (!file) return set(null);
    if (file.size > max) {
      set(null);
      return setError(`${what}过大（${Math.round(file.size / 1024)} KB），不能超过 ${Math.round(max / 1024)} KB。`);
    }
    try {
      set(await readFile(file));
    } catch {
      setError(`无法读取所选的${what}，请重新选择。`);
    }
  };

  const office = view?.offices[0];
  const submit = async () => {
    if (!office || !image || !p12) return;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const r = await invoke('seal.import', { officeId: office.officeId, sealImage: image.base64, p12: p12.base64, password });
      if (r.ok) {
        setView(r.value);
        setImage(null);
        setP12(null);
        setPassword('');
        setFormKey((k) => k + 1);
        setDone('已导入。本单位之后出具的文书加盖本单位印章，并用该数字证书签名。');
      } else setError(r.error.message);
    } finally {
      setBusy(false);
    }
  };
  const remove = async (officeId: string) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const r = await invoke('seal.remove', { officeId });
      if (r.ok) {
        setView(r.value);
        setDone('已删除印章设置。之后出具的文书加盖样章并标注“样本”。');
      } else setError(r.error.message);
    } finally {
      setBusy(false);
    }
  };

  if (!view) {
    return <div className="card sv-empty">{error ? <p className="form-error">{error}</p> : <p className="muted">正在读取印章设置…</p>}</div>;
  }
  return (
    <div className="seal-settings" data-testid="seal-settings">
      {view.offices.length === 0 && <p className="form-warn">本工作站尚未登记到办理机构，不能设置印章。</p>}
      {view.offices.map((o) => (
        <OfficeCard key={o.officeId} office={o} busy={busy} onRemove={() => void remove(o.officeId)} />
      ))}
      {office && (
        <section className="card" data-testid="seal-import">
          <div className="card-head">
            <h3>{office.configured ? '更换印章和数字证书' : '导入印章和数字证书'}</h3>
            <span className="muted small">{office.officeName}</span>
          </div>
          <div className="seal-form" key={formKey}>
            <div className="seal-fields">
              <FilePicker
                label="印章图片（透明背景 PNG，不小于 400×400 像素；或 SVG）"
                accept=".png,.svg,image/png,image/svg+xml"
                picked={image}
                testId="seal-image-file"
                onPick={(f) => void pick(f, SEAL_IMAGE_MAX_BYTES, '印章图片', setImage)}
              />
              <FilePicker
                label="数字证书（PKCS#12：.p12 / .pfx，含签名私钥）"
                accept=".p12,.pfx,application/x-pkcs12"
                picked={p12}
                testId="seal-p12-file"
                onPick={(f) => void pick(f, SEAL_P12_MAX_BYTES, '数字证书文件', setP12)}
              />
              <label className="field">
                证书密码
                <input type="password" autoComplete="off" value={password} maxLength={200} onChange={(e) => setPassword(e.target.value)} data-testid="seal-password" />
              </label>
              <p className="muted small">
                导入时逐项检查：图片能否使用、证书密码、证书是否在有效期内、私钥与证书是否匹配。任何一项不通过都不会保存，原有设置保持不变。
              </p>
              {error && (
                <p className="form-error" data-testid="seal-error">
                  {error}
                </p>
              )}
              {done && (
                <p className="seal-done" data-testid="seal-done">
                  {done}
                </p>
              )}
              <div>
                <button type="button" className="btn btn-primary" disabled={busy || !image || !p12} onClick={() => void submit()} data-testid="seal-import-submit">
                  {busy ? '正在检查…' : '检查并导入'}
                </button>
              </div>
            </div>
            <figure className="seal-preview" data-testid="seal-preview">
              {image ? <img src={image.url} alt="印章图片预览" /> : <span className="muted small">选择印章图片后在此预览</span>}
              <figcaption className="muted small">{image ? `${image.name}（盖在纸面上的效果）` : '印章图片预览'}</figcaption>
            </figure>
          </div>
          <p className="muted small">
            {view.passwordProtection === 'safeStorage'
              ? '证书密码由操作系统的密钥库加密后保存在本机，不会显示，也不会上传到大厅服务器。'
              : '证书密码加密后保存在本机数据目录，密钥文件仅本机账户可读（浏览器预览版）。请妥善保管本机数据目录及其备份。'}
          </p>
        </section>
      )}
      <section className="card" data-testid="seal-history">
        <div className="card-head">
          <h3>操作记录</h3>
          <span className="muted small">本工作站的印章导入和删除</span>
        </div>
        {view.history.length === 0 ? (
          <p className="muted small">暂无记录。</p>
        ) : (
          <table className="sv-table">
            <thead>
              <tr>
                <th>时间</th>
                <th>操作</th>
                <th>操作人</th>
                <th>证书持有单位</th>
                <th>证书指纹</th>
              </tr>
            </thead>
            <tbody>
              {view.history.map((h) => (
                <tr key={`${h.at}-${h.action}`}>
                  <td>{when(h.at)}</td>
                  <td>{h.action === 'imported' ? '导入' : '删除（改回样章）'}</td>
                  <td>
                    {h.name}（{h.staffId}）
                  </td>
                  <td>{h.subject ?? '—'}</td>
                  <td className="mono">{h.fingerprint ? `${fingerprint(h.fingerprint).slice(0, 23)}…` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
