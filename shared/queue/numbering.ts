/** Ticket numbers: office prefix + board letter + three digits, per board and business day. */
export function formatTicketNumber(prefix: string, board: string, seq: number): string {
  return `${prefix}${board}${String(seq).padStart(seq > 999 ? 4 : 3, '0')}`;
}

// Building an Intl.DateTimeFormat costs far more than formatting with one; the hall server asks for
// the business day on every request, so keep one formatter per time zone.
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The business day in the hall's time zone, as YYYY-MM-DD. */
export function businessDate(epochMs: number, timeZone = 'Asia/Shanghai'): string {
  let f = dayFormats.get(timeZone);
  if (f === undefined) {
    // en-CA formats as YYYY-MM-DD.
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, f);
  }
  return f.format(new Date(epochMs));
}

const DIGITS = '零一二三四五六七八九';

/**
 * What the call display says aloud. Digits are read one by one ("A 零一二"), the way halls announce
 * them, so "012" is never read as "twelve" or "O-one-two".
 */
export function announcementText(number: string, windowNo: number): { display: string; speech: string } {
  const spoken = number.replace(/\d/g, (d) => DIGITS[Number(d)]!).replace(/([A-Z])/g, '$1 ');
  return {
    display: `请 ${number} 号到 ${windowNo} 号窗口办理`,
    speech: `请 ${spoken.trim()} 号，到 ${windowNo} 号窗口办理`,
  };
}
