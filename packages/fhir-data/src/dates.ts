/**
 * Calendar arithmetic on 'YYYY-MM-DD' strings. Everything in this package is dated relative to the
 * reference date it is given; nothing here reads a clock (Date is only used with explicit UTC arguments).
 */

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseDate(date: string): { year: number; month: number; day: number } {
  const m = DATE.exec(date);
  if (!m) throw new RangeError(`invalid date '${date}': use YYYY-MM-DD`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) throw new RangeError(`invalid date '${date}': no such day`);
  return { year, month, day };
}

/** Throws a RangeError unless `date` is a real calendar date as YYYY-MM-DD. */
export function assertDate(date: string, what = 'date'): void {
  try {
    parseDate(date);
  } catch (e) {
    throw new RangeError(`${what}: ${(e as Error).message}`);
  }
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

function toEpochDay(date: string): number {
  const { year, month, day } = parseDate(date);
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

function fromEpochDay(epochDay: number): string {
  return new Date(epochDay * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return fromEpochDay(toEpochDay(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return toEpochDay(to) - toEpochDay(from);
}

/**
 * The same calendar day `years` years earlier. 29 February in a target year without one becomes
 * 28 February, so that someone born then has (just) had that birthday.
 */
export function subtractYears(date: string, years: number): string {
  const { year, month, day } = parseDate(date);
  const y = year - years;
  const d = Math.min(day, daysInMonth(y, month));
  return `${String(y).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * Age in whole years on `referenceDate`. The birthday counts from its month and day, so someone born on
 * 29 February turns a year older on 1 March in a year without 29 February.
 */
export function referenceAge(birthDate: string, referenceDate: string): number {
  const b = parseDate(birthDate);
  const r = parseDate(referenceDate);
  const hadBirthday = r.month > b.month || (r.month === b.month && r.day >= b.day);
  return r.year - b.year - (hadBirthday ? 0 : 1);
}

export function minDate(a: string, b: string): string {
  return a <= b ? a : b;
}

export function maxDate(a: string, b: string): string {
  return a >= b ? a : b;
}

/**
 * A FHIR dateTime for a wall-clock time in the Netherlands (Europe/Amsterdam: CET +01:00, CEST +02:00
 * from the last Sunday of March to the last Sunday of October), e.g. '2025-03-14T09:30:00+01:00'.
 */
export function dutchDateTime(date: string, hour: number, minute: number): string {
  const offset = isDutchSummerTime(date) ? '+02:00' : '+01:00';
  return `${date}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00${offset}`;
}

function lastSundayOf(year: number, month: number): string {
  const last = `${year}-${String(month).padStart(2, '0')}-${daysInMonth(year, month)}`;
  const weekday = new Date(toEpochDay(last) * DAY_MS).getUTCDay(); // 0 = Sunday
  return addDays(last, -weekday);
}

/** For day-time events (after 03:00), which is all this package generates. */
function isDutchSummerTime(date: string): boolean {
  const { year } = parseDate(date);
  return date >= lastSundayOf(year, 3) && date < lastSundayOf(year, 10);
}
