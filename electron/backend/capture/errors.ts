import { AppError } from '../../../shared/errors.js';

/**
 * What capture tells the clerk when a file or a page cannot be used. Each message says what
 * happened and what to do; the English detail goes to the log.
 */
export const CAPTURE_MESSAGES = {
  empty: '文件为空（0 字节），请重新扫描或选择文件。',
  tooLarge: (mb: number) => `文件过大（超过 ${mb} MB），请降低扫描分辨率或拆分后再导入。`,
  tooManyPixels: (mp: number) => `图片尺寸过大（超过 ${mp} 百万像素），请降低分辨率后重新拍摄或扫描。`,
  unsupported: '不支持的文件格式：只能导入 JPG、PNG、TIFF、WebP、BMP 图片或 PDF 文件。',
  mislabelled: (ext: string) => `文件扩展名为 .${ext}，但内容不是图片或 PDF，可能是改了扩展名的其他文件，请选择正确的文件。`,
  corrupt: '图片文件已损坏或不完整，无法读取，请重新扫描或重新拍摄。',
  tooSmall: '图片尺寸过小，无法识别，请重新拍摄（建议长边不少于 600 像素）。',
  pdfEncrypted: 'PDF 文件已加密（设有打开密码或权限限制），无法读取，请提供未加密的文件。',
  pdfCorrupt: 'PDF 文件已损坏或不完整，无法读取，请重新获取文件。',
  pdfTooManyPages: (n: number) => `PDF 页数过多（超过 ${n} 页），请拆分后分批导入。`,
  pdfToolMissing: '本机缺少 PDF 转换组件（poppler-utils），无法导入 PDF，请联系管理员安装。',
  blank: '这是一张空白页，已跳过。',
  unknownType: '未能识别证件类型，请选择证件类型后重试，或手工录入。',
  ocrFailed: '文字识别失败，请重试；如持续出现请联系管理员。',
  ocrBusy: '识别任务过多，请稍候再试。',
  ocrTimeout: '文字识别超时，请重试；如持续出现请联系管理员。',
  scannerMissing: '本机未安装扫描组件（sane-utils），无法使用扫描仪，请联系管理员安装。',
  scannerNotFound: '未找到扫描仪，请检查扫描仪电源和数据线后重试。',
  scannerBusy: '扫描仪正忙或被其他程序占用，请稍候再试。',
  scannerNoPaper: '进纸器中没有纸张，请放入材料后重试。',
  scannerJammed: '扫描仪卡纸，请取出卡住的纸张后重试。',
  scannerCoverOpen: '扫描仪盖板未合上，请合上后重试。',
  scannerFailed: (why: string) => `扫描失败：${why}。请检查扫描仪后重试。`,
  scannerOption: (what: string) => `扫描仪不支持所选设置：${what}。`,
  fontMissing: '本机缺少中文字体（fonts-noto-cjk），无法生成可检索 PDF，请联系管理员安装。',
} as const;

export function captureError(code: 'bad_request' | 'payload_too_large' | 'internal' | 'conflict' | 'offline', message: string, detail?: string): AppError {
  return new AppError(code, message, detail);
}
