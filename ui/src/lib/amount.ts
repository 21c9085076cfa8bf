// A deal's value as people write it and as the store keeps it. Reps type amounts the way their
// country does ("12.500,50", "1'000", "€ 2 000"); the store holds plain decimal text ("12500.50").
// Read wrongly, "12.500,50" became 12.50050 — so the separators are read by where they stand. A
// single separator before exactly three digits groups thousands, "." as ","  ("12.500" is 12,500:
// no one writes a deal's value to a tenth of a cent, and read as 12.5 it was a deal 1,000× smaller).
import { numberLocale } from './format';

// Not part of the number: spaces (incl. the no-break ones locales group with), apostrophes (Swiss
// "1'000", "1’000") and currency signs and codes.
const NOISE = /[\s'’ʼ$€£¥]|(?<![a-z])(?:EUR|USD|GBP|CHF|JPY|CAD|AUD)(?![a-z])/gi;
// Digits, commas and dots, perhaps after a minus (the store refuses negatives in its own words).
const NUMBER = /^(-?)([\d.,]+)$/;

/** The decimal separator of the rep's locale: "." in en-US, "," in de-DE. */
export function decimalSeparator(locale?: string): string {
  const parts = new Intl.NumberFormat(numberLocale(locale)).formatToParts(1.1);
  return parts.find((p) => p.type === 'decimal')?.value ?? '.';
}

/** Digits grouped by `sep` as written: "1,234,567", or Indian "12,34,567". Returns the digits. */
function ungroup(int: string, sep: string): string | null {
  const groups = int.split(sep);
  const [first, ...rest] = groups;
  if (!/^\d{1,3}$/.test(first) || rest.length === 0) return null;
  const last = rest[rest.length - 1];
  if (!/^\d{3}$/.test(last) || !rest.slice(0, -1).every((g) => /^\d{2,3}$/.test(g))) return null;
  return groups.join('');
}

/** "12500" and "50" → "12500.50"; an integer part left out (".5") reads as 0. */
function decimal(sign: string, int: string | null, frac: string | null = null): string | null {
  if (int === null || (frac !== null && !/^\d+$/.test(frac))) return null;
  if (!int && frac === null) return null;
  return `${sign}${int || '0'}${frac !== null ? `.${frac}` : ''}`;
}

/**
 * The plain decimal text ("12500.50") an amount as typed stands for, or null when it is not one.
 * Both "." and "," → the last is the decimal separator; only "," → one "," before 1–2 digits is
 * the decimal separator, else they group thousands; only "." → likewise: one before 1–2 or 4+
 * digits is the decimal point, before exactly 3 ("12.500") or several group thousands.
 */
export function parseAmount(text: string): string | null {
  const m = NUMBER.exec(text.replace(/\u2212/g, '-').replace(NOISE, ''));
  if (!m || !/\d/.test(m[2])) return null;
  const [, sign, body] = m;
  const dot = body.lastIndexOf('.');
  const comma = body.lastIndexOf(',');
  if (dot < 0 && comma < 0) return decimal(sign, body);
  if (dot >= 0 && comma >= 0) {
    const [point, group] = dot > comma ? ['.', ','] : [',', '.'];
    const at = Math.max(dot, comma);
    const int = body.slice(0, at);
    if (int.includes(point)) return null;
    return decimal(sign, ungroup(int, group), body.slice(at + 1));
  }
  const sep = dot >= 0 ? '.' : ',';
  const parts = body.split(sep);
  if (parts.length === 2) {
    const [int, frac] = parts;
    // ("0.125" is a fraction: grouped digits never start with 0.)
    const grouping = frac.length === 3 && /^[1-9]\d{0,2}$/.test(int);
    // A single "," is a decimal comma before 1–2 digits; "1,234" and "1.234" group thousands.
    const isDecimal = sep === '.' ? !grouping : frac.length <= 2 || int === '0';
    if (isDecimal) return decimal(sign, /^\d*$/.test(int) ? int : null, frac);
  }
  return decimal(sign, ungroup(body, sep));
}

/**
 * A stored amount as the field shows it, grouped as the rep's locale writes numbers ("29000" →
 * "29,000", or "29.000" in de-DE), its decimals as stored. Anything that would not read back as
 * the same value (or is not plain decimal text) is shown as stored: the field must not look edited.
 */
export function formatAmount(stored: string, locale?: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(stored.trim());
  if (!m) return stored;
  const [, sign, int, frac] = m;
  const loc = numberLocale(locale);
  const grouped = new Intl.NumberFormat(loc, { useGrouping: true }).format(BigInt(`${sign}${int}`));
  const text = frac !== undefined ? `${grouped}${decimalSeparator(locale)}${frac}` : grouped;
  return parseAmount(text) === parseAmount(stored) ? text : stored;
}
