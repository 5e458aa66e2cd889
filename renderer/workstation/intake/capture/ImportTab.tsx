import { useEffect, useRef, useState, type DragEvent, type MutableRefObject } from 'react';
import { ACCEPTED_CAPTURE_FILES, blobBase64, refuseCaptureFile } from './capture-format.js';

export interface PickedFile {
  name: string;
  mime: string;
  dataBase64: string;
}

/** 导入文件: drop images or PDFs on the zone, or pick them (Enter on the zone, or the dialog's button). */
export function ImportTab({
  busy,
  action,
  onFiles,
  onRefused,
}: {
  busy: boolean;
  action: MutableRefObject<(() => void) | null>;
  onFiles: (files: PickedFile[]) => void;
  onRefused: (message: string) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  useEffect(() => {
    action.current = () => input.current?.click();
    return () => {
      action.current = null;
    };
  }, [action]);

  const take = async (list: File[]) => {
    const picked: PickedFile[] = [];
    for (const f of list) {
      const why = refuseCaptureFile(f);
      if (why) {
        onRefused(`${f.name}：${why}`);
        continue;
      }
      try {
        picked.push({ name: f.name.slice(0, 200) || '材料', mime: f.type || 'application/octet-stream', dataBase64: await blobBase64(f) });
      } catch {
        onRefused(`无法读取文件“${f.name}”，请重新选择。`);
      }
    }
    if (picked.length > 0) onFiles(picked);
  };

  return (
    <div
      className={`cap-drop ${over ? 'over' : ''} ${busy ? 'busy' : ''}`}
      data-testid="capture-drop"
      tabIndex={0}
      role="button"
      aria-label="拖入或选择图片、PDF 文件"
      onKeyDown={(e) => {
        if ((e.key === 'Enter' || e.key === ' ') && !busy) {
          e.preventDefault();
          input.current?.click();
        }
      }}
      onClick={() => !busy && input.current?.click()}
      onDragOver={(e: DragEvent) => {
        if (!Array.from(e.dataTransfer.types).includes('Files')) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e: DragEvent) => {
        e.preventDefault();
        setOver(false);
        if (!busy && e.dataTransfer.files.length > 0) void take(Array.from(e.dataTransfer.files));
      }}
    >
      <div className="cap-drop-title">把材料的图片或 PDF 拖到这里</div>
      <div className="muted small">或按 Enter 选择文件 · 支持 JPG、PNG、TIFF、WebP、BMP、PDF（PDF 逐页识别，空白页自动跳过）</div>
      <input
        ref={input}
        type="file"
        hidden
        multiple
        accept={ACCEPTED_CAPTURE_FILES}
        data-testid="capture-file"
        onChange={(e) => {
          const files = e.target.files;
          if (files && files.length > 0) void take(Array.from(files));
          e.target.value = '';
        }}
      />
    </div>
  );
}
