import { CAPTURE_MAX_BYTES, type CaptureSuggestion } from '../../../../shared/case/capture-contract.js';
import { CAPTURE_MESSAGES } from '../../../../electron/backend/capture/errors.js';

/** Small pure helpers of the capture dialog (labels, file checks, reading files). */

export const ACCEPTED_CAPTURE_FILES = 'image/jpeg,image/png,image/tiff,image/webp,image/bmp,application/pdf,.jpg,.jpeg,.png,.tif,.tiff,.webp,.bmp,.pdf';

export const percent = (c: number): string => `${Math.round(c * 100)}%`;

/** Why a file is refused before it is sent (capture's own message), or null. */
export function refuseCaptureFile(f: { name: string; size: number }): string | null {
  if (f.size === 0) return CAPTURE_MESSAGES.empty;
  if (f.size > CAPTURE_MAX_BYTES) return CAPTURE_MESSAGES.tooLarge(Math.round(CAPTURE_MAX_BYTES / 1024 / 1024));
  return null;
}

export function blobBase64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => {
      const s = String(r.result ?? '');
      resolve(s.slice(s.indexOf(',') + 1));
    };
    r.onerror = () => reject(r.error ?? new Error('read failed'));
    r.readAsDataURL(blob);
  });
}

export const KIND_LABEL: Record<CaptureSuggestion['kind'], string> = {
  new: '新填',
  same: '一致',
  replace: '更新识别值',
  conflict: '与已填不同',
};

/** The suggestions "全部采用" takes: confident ones that fill, confirm or update a capture value. */
export const acceptAllKeys = (list: readonly CaptureSuggestion[]): string[] => list.filter((s) => s.acceptAll && s.kind !== 'same').map((s) => s.key);

/** A file name for a camera still: 材料名-时分秒.jpg */
export function stillName(material: string, at = new Date()): string {
  const t = [at.getHours(), at.getMinutes(), at.getSeconds()].map((n) => String(n).padStart(2, '0')).join('');
  return `${material.slice(0, 60)}-拍照${t}.jpg`;
}
