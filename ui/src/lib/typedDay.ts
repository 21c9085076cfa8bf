// A day typed as a rep writes it — "2027-01-15", "Jan 15, 2027", "15 January 2027", "1/15/2027"
// (in the order their locale writes days) — read as an ISO day. A custom field that holds a date
// keeps holding one when edited, instead of the text typed.

const MONTHS_EN = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** The month (1–12) a word names, in English or the rep's language ("Jan", "January", "janv."). */
function monthOf(word: string, locale?: string): number | null {
  const w = word.toLowerCase().replace(/\.$/, '');
  const en = MONTHS_EN.findIndex((m) => w.startsWith(m) && w.length >= 3);
  if (en >= 0) return en + 1;
  for (const style of ['long', 'short'] as const) {
    const f = new Intl.DateTimeFormat(locale, { month: style, timeZone: 'UTC' });
    for (let m = 0; m < 12; m++) {
      const name = f.format(Date.UTC(2001, m, 15)).toLowerCase().replace(/\.$/, '');
      if (name === w) return m + 1;
    }
  }
  return null;
}

/** Whether the locale writes numeric days day first (22/11/2001) rather than month first. */
function dayFirst(locale?: string): boolean {
  const parts = new Intl.DateTimeFormat(locale, { timeZone: 'UTC' }).formatToParts(Date.UTC(2001, 10, 22));
  const order = parts.filter((p) => p.type === 'day' || p.type === 'month').map((p) => p.type);
  return order[0] === 'day';
}

function iso(y: number, m: number, d: number): string | null {
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d || y < 1000) return null;
  return t.toISOString().slice(0, 10);
}

/** The ISO day `text` names, or null when it names none. */
export function parseTypedDay(text: string, locale?: string): string | null {
  const t = text.trim();
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(t);
  if (m) return iso(+m[1], +m[2], +m[3]);
  // "Jan 15, 2027", "January 15 2027"
  m = /^(\p{L}+\.?)\s+(\d{1,2}),?\s+(\d{4})$/u.exec(t);
  if (m) {
    const month = monthOf(m[1], locale);
    return month ? iso(+m[3], month, +m[2]) : null;
  }
  // "15 Jan 2027", "15. Januar 2027"
  m = /^(\d{1,2})\.?\s+(\p{L}+\.?)\s+(\d{4})$/u.exec(t);
  if (m) {
    const month = monthOf(m[2], locale);
    return month ? iso(+m[3], month, +m[1]) : null;
  }
  // "1/15/2027", "15/01/2027", "15.01.2027": dots are written day first; slashes and dashes in
  // the locale's order, or the other when only that one is a day (15/01 has no 15th month).
  m = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/.exec(t);
  if (m) {
    const [a, b, y] = [+m[1], +m[3], +m[4]];
    const dayFirstHere = m[2] === '.' || dayFirst(locale);
    const first = dayFirstHere ? iso(y, b, a) : iso(y, a, b);
    return first ?? (m[2] === '.' ? null : dayFirstHere ? iso(y, a, b) : iso(y, b, a));
  }
  return null;
}

/** Whether `text` is written as a day is ("2027-02-30", "30 Feb 2027"): numbers in a day's
 *  shape, or a month's name with a day and a year ("Sprint 14 2025" is no day). */
export function looksLikeDay(text: string, locale?: string): boolean {
  const t = text.trim();
  if (/^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$/.test(t) || /^\d{1,2}([/.-])\d{1,2}\1\d{4}$/.test(t)) return true;
  const m = /^(?:(\p{L}+\.?)\s+\d{1,2},?|\d{1,2}\.?\s+(\p{L}+\.?))\s+\d{4}$/u.exec(t);
  return m !== null && monthOf(m[1] ?? m[2], locale) !== null;
}
