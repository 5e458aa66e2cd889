/**
 * The document camera (高拍仪) through getUserMedia: the device and resolution the clerk chose,
 * and full-resolution stills — ImageCapture.takePhoto where the browser has it (the sensor's own
 * still), else a frame of the video drawn on a canvas.
 */

export const RESOLUTIONS = [
  { id: 'max', label: '最高（推荐）', width: 4096, height: 3072 },
  { id: '1080p', label: '1920 × 1080', width: 1920, height: 1080 },
  { id: '720p', label: '1280 × 720（较快）', width: 1280, height: 720 },
] as const;
export type ResolutionId = (typeof RESOLUTIONS)[number]['id'];

export async function openCamera(deviceId: string | null, resolution: ResolutionId): Promise<MediaStream> {
  const r = RESOLUTIONS.find((x) => x.id === resolution) ?? RESOLUTIONS[0];
  return navigator.mediaDevices.getUserMedia({
    audio: false,
    video: { ...(deviceId ? { deviceId: { exact: deviceId } } : {}), width: { ideal: r.width }, height: { ideal: r.height } },
  });
}

export async function cameras(): Promise<Array<{ id: string; label: string }>> {
  const list = await navigator.mediaDevices.enumerateDevices();
  return list.filter((d) => d.kind === 'videoinput').map((d, i) => ({ id: d.deviceId, label: d.label || `摄像头 ${i + 1}` }));
}

interface ImageCaptureLike {
  takePhoto(): Promise<Blob>;
}
type ImageCaptureCtor = new (track: MediaStreamTrack) => ImageCaptureLike;

/** A still at the camera's full resolution. */
export async function takeStill(stream: MediaStream, video: HTMLVideoElement): Promise<Blob> {
  const track = stream.getVideoTracks()[0];
  const Ctor = (window as unknown as { ImageCapture?: ImageCaptureCtor }).ImageCapture;
  if (track && Ctor) {
    try {
      return await new Ctor(track).takePhoto();
    } catch {
      /* some cameras refuse stills: take a frame instead */
    }
  }
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext('2d')!.drawImage(video, 0, 0);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('no frame'))), 'image/jpeg', 0.92));
}

/** Why the camera cannot be used, in words a clerk can act on. */
export function cameraError(err: unknown): string {
  const name = (err as { name?: string })?.name ?? '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return '没有使用摄像头的权限，请联系管理员开启后重试，或改用扫描仪 / 导入文件。';
  if (name === 'NotReadableError') return '摄像头（高拍仪）正被其他程序占用，请关闭该程序后重试。';
  if (name === 'OverconstrainedError') return '所选摄像头不可用，请重新选择摄像头。';
  return '未检测到摄像头（高拍仪），请检查连接后重试，或改用扫描仪 / 导入文件。';
}
