import { describe, expect, it } from 'vitest';
import { decimalSeparator, formatAmount, parseAmount } from './amount';

describe('amounts as people write them', () => {
  it('takes the last of "." and "," as the decimal separator', () => {
    expect(parseAmount('12.500,50')).toBe('12500.50');
    expect(parseAmount('1.234,56')).toBe('1234.56');
    expect(parseAmount('$12,500.50')).toBe('12500.50');
    expect(parseAmount('1,234,567.8')).toBe('1234567.8');
    expect(parseAmount('1.234.567,89 €')).toBe('1234567.89');
  });

  it('reads a single comma before 1–2 digits as decimals, else as thousands', () => {
    expect(parseAmount('12,5')).toBe('12.5');
    expect(parseAmount('12,50')).toBe('12.50');
    expect(parseAmount('12,500')).toBe('12500');
    expect(parseAmount('1,234,567')).toBe('1234567');
    expect(parseAmount('12,34,567')).toBe('1234567');
    expect(parseAmount('12,5000')).toBeNull();
  });

  it('reads several dots, or one before exactly 3 digits, as thousands in every locale', () => {
    expect(parseAmount('1.234.567')).toBe('1234567');
    expect(parseAmount('12.5')).toBe('12.5');
    expect(parseAmount('1234.567')).toBe('1234.567');
    expect(parseAmount('12.500')).toBe('12500');
    expect(parseAmount('1.5')).toBe('1.5');
    expect(parseAmount('0.125')).toBe('0.125');
    expect(parseAmount('0,125')).toBe('0.125');
    expect(parseAmount('2.000 eur')).toBe('2000');
    expect(parseAmount('-EUR 50')).toBe('-50');
    expect(parseAmount('12.')).toBeNull();
    expect(parseAmount('12.50')).toBe('12.50');
    expect(parseAmount('12.500')).toBe('12500');
    expect(parseAmount('12.500')).toBe('12500');
  });

  it('leaves out spaces, apostrophes and currency', () => {
    expect(parseAmount('1 000 000')).toBe('1000000');
    expect(parseAmount('12\u202f500,50')).toBe('12500.50');
    expect(parseAmount('12\u00a0500')).toBe('12500');
    expect(parseAmount("1'000")).toBe('1000');
    expect(parseAmount('1’000.50')).toBe('1000.50');
    expect(parseAmount('EUR 2.000')).toBe('2000');
    expect(parseAmount('2000USD')).toBe('2000');
    expect(parseAmount('£ 99')).toBe('99');
    expect(parseAmount('¥5000')).toBe('5000');
  });

  it('keeps a minus for the store to refuse', () => {
    expect(parseAmount('-2,000,000')).toBe('-2000000');
    expect(parseAmount('-$50')).toBe('-50');
    expect(parseAmount('\u22125,5')).toBe('-5.5');
  });

  it('finds nothing in what is not an amount', () => {
    for (const t of ['a lot', '', '-', '12.', '1,,000', '1.2.3', '5-', '--5', '1,234.567,8', '12 apples', 'EURO 5']) {
      expect(parseAmount(t), t).toBeNull();
    }
  });

  it('knows the locale’s decimal separator', () => {
    expect(decimalSeparator('en-US')).toBe('.');
    expect(decimalSeparator('de-DE')).toBe(',');
  });

  it('shows a stored amount grouped as the locale writes it, reading back the same', () => {
    expect(formatAmount('29000', 'en-US')).toBe('29,000');
    expect(formatAmount('12500.50', 'en-US')).toBe('12,500.50');
    expect(formatAmount('12500.50', 'de-DE')).toBe('12.500,50');
    expect(formatAmount('29000', 'de-DE')).toBe('29.000');
    expect(formatAmount('1234567', 'fr-FR')).toBe('1\u202f234\u202f567');
    expect(formatAmount('500', 'en-US')).toBe('500');
    expect(formatAmount('99999999999999999999', 'en-US')).toBe('99,999,999,999,999,999,999');
    expect(formatAmount('not a number', 'en-US')).toBe('not a number');
    for (const [stored, locale] of [['29000', 'de-DE'], ['12500.50', 'fr-FR'], ['1000', 'de-CH'], ['100000', 'en-IN']]) {
      expect(parseAmount(formatAmount(stored, locale))).toBe(stored);
    }
  });
});
