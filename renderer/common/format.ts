/** Small pure formatting helpers shared by the workstation and the public pages. */

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Elapsed time as the window shows it: "0:07", "12:05", "1:02:09" (h:mm:ss once past an hour). */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad2(m)}:${pad2(s)}` : `${m}:${pad2(s)}`;
}

/** A duration in whole minutes for people: "不到 1 分钟", "12 分钟", "1 小时 5 分钟". */
export function formatMinutes(ms: number): string {
  const min = Math.floor(Math.max(0, ms) / 60_000);
  if (min < 1) return '不到 1 分钟';
  if (min < 60) return `${min} 分钟`;
  const h = Math.floor(min / 60);
  const rest = min % 60;
  return rest === 0 ? `${h} 小时` : `${h} 小时 ${rest} 分钟`;
}

/**
 * How long ago something happened, coarse but meaningful from the first second:
 * "25 秒前", "3 分钟前", "2 小时前", "3 天前" (rounded down; never below "1 秒前", even when clocks disagree).
 */
export function formatAgo(ms: number): string {
  const s = Math.max(1, Math.floor(ms / 1000));
  if (s < 60) return `${s} 秒前`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} 分钟前`;
  const h = Math.floor(min / 60);
  if (h < 24) return `${h} 小时前`;
  return `${Math.floor(h / 24)} 天前`;
}

/** A size in megabytes for people: "0.2 MB", "3.4 MB", "120 MB" (never "0 MB" for something). */
export function formatMegabytes(bytes: number): string {
  if (bytes <= 0) return '0 MB';
  const mb = bytes / (1024 * 1024);
  if (mb >= 100) return `${Math.round(mb)} MB`;
  return `${Math.max(0.1, Math.round(mb * 10) / 10).toFixed(1)} MB`;
}

/** Wall-clock time "HH:MM" (or "HH:MM:SS") in the hall's time zone. */
export function formatClock(epochMs: number, withSeconds = false, timeZone = 'Asia/Shanghai'): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    second: withSeconds ? '2-digit' : undefined,
    hour12: false,
  }).format(new Date(epochMs));
  return parts.replace(/^24:/, '00:');
}

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

/** "2025年3月4日 星期二" in the hall's time zone. */
export function formatDate(epochMs: number, timeZone = 'Asia/Shanghai'): string {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', weekday: 'short' });
  const p = Object.fromEntries(f.formatToParts(new Date(epochMs)).map((x) => [x.type, x.value]));
  const dayIndex = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(p.weekday ?? '');
  return `${p.year}年${Number(p.month)}月${Number(p.day)}日 星期${WEEKDAYS[dayIndex] ?? ''}`;
}

/**
 * Masks a personal name for public screens (无声叫号 "张*丰"): keeps the first and last character,
 * hides the middle; a two-character name keeps the first ("张*").
 */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return '';
  if (chars.length === 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}
