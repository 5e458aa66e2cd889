import { useCallback, useEffect, useRef, useState, type MutableRefObject } from 'react';
import { blobBase64, stillName } from './capture-format.js';
import { cameraError, cameras, openCamera, RESOLUTIONS, takeStill, type ResolutionId } from './camera.js';
import type { PickedFile } from './ImportTab.js';
import { remember, remembered } from '../../../common/remember.js';

/**
 * 高拍仪拍照: live preview; the camera and resolution chosen once and remembered on this
 * workstation; Space (or the dialog's button) takes a full-resolution still, which is read at once.
 */
export function CameraTab({
  material,
  busy,
  action,
  onStill,
}: {
  material: string;
  busy: boolean;
  action: MutableRefObject<(() => void) | null>;
  onStill: (file: PickedFile) => void;
}) {
  const video = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | null>(null);
  const [devices, setDevices] = useState<Array<{ id: string; label: string }>>([]);
  const [deviceId, setDeviceId] = useState<string | null>(() => remembered<string | null>('capture.camera', null));
  const [resolution, setResolution] = useState<ResolutionId>(() => remembered<ResolutionId>('capture.resolution', 'max'));
  const [problem, setProblem] = useState<string | null>(null);
  const [size, setSize] = useState<string>('');
  /** The resolution of the stream now playing in the preview (null while none is, e.g. switching). */
  const [playing, setPlaying] = useState<ResolutionId | null>(null);

  useEffect(() => {
    let stopped = false;
    setProblem(null);
    if (!navigator.mediaDevices?.getUserMedia) {
      setProblem(cameraError(null));
      return;
    }
    openCamera(deviceId, resolution)
      .then(async (s) => {
        if (stopped) return s.getTracks().forEach((t) => t.stop());
        stream.current = s;
        if (video.current) {
          video.current.srcObject = s;
          await video.current.play().catch(() => undefined);
        }
        if (!stopped) setPlaying(resolution);
        const set = s.getVideoTracks()[0]?.getSettings();
        setSize(set?.width ? `${set.width} × ${set.height}` : '');
        setDevices(await cameras());
      })
      .catch((err: unknown) => !stopped && setProblem(cameraError(err)));
    return () => {
      stopped = true;
      setPlaying(null);
      stream.current?.getTracks().forEach((t) => t.stop());
      stream.current = null;
    };
  }, [deviceId, resolution]);

  const shoot = useCallback(async () => {
    const s = stream.current;
    if (!s || !video.current || busy) return;
    try {
      const blob = await takeStill(s, video.current);
      onStill({ name: stillName(material), mime: blob.type || 'image/jpeg', dataBase64: await blobBase64(blob) });
    } catch {
      setProblem('拍照失败，请重试。');
    }
  }, [busy, material, onStill]);

  useEffect(() => {
    action.current = () => void shoot();
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.code !== 'Space' || (t && /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName))) return;
      e.preventDefault();
      void shoot();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      action.current = null;
    };
  }, [action, shoot]);

  return (
    <div className="cap-camera">
      <div className="cap-row">
        <label className="cap-field">
          摄像头
          <select
            data-testid="capture-camera"
            value={deviceId ?? ''}
            onChange={(e) => {
              setDeviceId(e.target.value || null);
              remember('capture.camera', e.target.value || null);
            }}
          >
            <option value="">默认摄像头</option>
            {devices.map((d) => (
              <option key={d.id} value={d.id}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
        <label className="cap-field">
          分辨率
          <select
            data-testid="capture-resolution"
            value={resolution}
            onChange={(e) => {
              setResolution(e.target.value as ResolutionId);
              remember('capture.resolution', e.target.value);
            }}
          >
            {RESOLUTIONS.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        {size && <span className="muted small cap-size">实际 {size}</span>}
      </div>
      <div className="cap-video">
        {problem ? (
          <div className="cap-video-problem" data-testid="capture-camera-problem">
            {problem}
          </div>
        ) : (
          <video ref={video} muted playsInline data-testid="capture-video" data-playing={playing ?? undefined} />
        )}
      </div>
      <div className="muted small">将材料平放在高拍仪下、对齐取景框，按 <kbd>空格</kbd> 拍照；拍照后自动识别。</div>
    </div>
  );
}
