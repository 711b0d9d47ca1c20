/** Dates, times and numbers in the UI language. */
import { locale, t } from './i18n.ts';
import { browserNow } from './clock.js';

const DATE_ONLY = /^\d{4}(-\d{2}(-\d{2})?)?$/;

/**
 * A FHIR date or dateTime for a person: "3 november 2014", or with time "3 nov 2014, 11:15".
 * Date-only values are shown as written (no time-zone shift); partial dates (2014, 2014-11) too.
 */
export function formatDate(value: string | undefined, opts: { time?: boolean; short?: boolean } = {}): string {
  if (!value) return '';
  if (DATE_ONLY.test(value)) {
    const [y, m, d] = value.split('-').map(Number) as [number, number | undefined, number | undefined];
    const date = new Date(Date.UTC(y, (m ?? 1) - 1, d ?? 1));
    const fmt: Intl.DateTimeFormatOptions = { timeZone: 'UTC', year: 'numeric' };
    if (m !== undefined) fmt.month = opts.short ? 'short' : 'long';
    if (d !== undefined) fmt.day = 'numeric';
    return new Intl.DateTimeFormat(locale(), fmt).format(date);
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locale(), {
    year: 'numeric',
    month: opts.short ? 'short' : 'long',
    day: 'numeric',
    ...(opts.time ? { hour: '2-digit', minute: '2-digit' } : {}),
  }).format(date);
}

/** A period "3 nov 2014 – 5 jan 2015", "vanaf 3 nov 2014" / "since 3 Nov 2014". */
export function formatPeriod(period: { start?: string; end?: string } | undefined, opts: { time?: boolean } = {}): string {
  if (!period) return '';
  const start = formatDate(period.start, { short: true, ...opts });
  const end = formatDate(period.end, { short: true, ...opts });
  if (start && end) return start === end ? start : `${start} – ${end}`;
  if (start) return `${t('vanaf', 'since')} ${start}`;
  if (end) return `${t('tot', 'until')} ${end}`;
  return '';
}

/** Clock time with milliseconds, for the inspector: 12:04:17.442 */
export function formatClock(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const time = new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(date);
  return `${time}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

/** "3 minuten geleden" / "3 minutes ago", relative to now. */
export function formatAge(iso: string | undefined, now = browserNow()): string {
  if (!iso) return '';
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return '';
  const seconds = Math.round((then - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(seconds, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86400), 'day');
}

export function formatNumber(value: number): string {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: 2 }).format(value);
}

/** Age in whole years on a date (default today). */
export function ageInYears(birthDate: string, on: Date = new Date(browserNow())): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(birthDate);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  let age = on.getFullYear() - y;
  if (on.getMonth() + 1 < mo || (on.getMonth() + 1 === mo && on.getDate() < d)) age -= 1;
  return age;
}
