// Wall clocks of an IANA time zone, with Intl only: epoch ms <-> local date-time fields, and ISO 8601 text with the
// zone's offset (Python's `isoformat()` shape, as Hermes stores job times). Pure; knows nothing of jobs.

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** Throws a one-line error for a zone Intl does not know (checked once, at start-up). */
export function checkTimeZone(timeZone: string): void {
  try {
    formatter(timeZone);
  } catch {
    throw new Error(`jobs.timezone: unknown time zone '${timeZone}' (use an IANA name such as UTC or Europe/Paris)`);
  }
}

/** The local date-time fields of an instant in a zone. */
export function wallClockAt(ms: number, timeZone: string): WallClock {
  const fields: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return {
    year: fields.year,
    month: fields.month,
    day: fields.day,
    hour: fields.hour,
    minute: fields.minute,
    second: fields.second,
    millisecond: ((ms % 1000) + 1000) % 1000,
  };
}

/** The zone's offset from UTC at an instant, in minutes (east positive). */
export function offsetMinutesAt(ms: number, timeZone: string): number {
  const wall = wallClockAt(ms, timeZone);
  return Math.round((wallAsUtc(wall) - ms) / 60_000);
}

/**
 * The instant a local date-time names in a zone. In a DST gap the wall time does not exist and is read with the
 * offset before the gap (it lands after the gap); in a fall-back overlap the earlier instant wins.
 */
export function wallClockToEpoch(wall: WallClock, timeZone: string): number {
  const asUtc = wallAsUtc(wall);
  // A zone's offset changes at most once in any two days, so the offsets a day before and a day after are the only
  // ones this wall time can mean: both valid in an overlap (the earlier wins), neither in a gap (read it with the
  // offset before the gap, as Python's fold=0 does).
  const before = asUtc - offsetMinutesAt(asUtc - DAY_MS, timeZone) * 60_000;
  const after = asUtc - offsetMinutesAt(asUtc + DAY_MS, timeZone) * 60_000;
  const valid = [before, after].filter((t) => wallAsUtc(wallClockAt(t, timeZone)) === asUtc);
  return valid.length > 0 ? Math.min(...valid) : before;
}

const DAY_MS = 86_400_000;

/** `2026-02-03T14:00:00+01:00` (milliseconds only when there are some), in the zone's offset at that instant. */
export function isoInZone(ms: number, timeZone: string): string {
  return isoWithOffset(ms, offsetMinutesAt(ms, timeZone));
}

/** The instant as ISO 8601 in a fixed offset from UTC. */
export function isoWithOffset(ms: number, offsetMinutes: number): string {
  const wall = new Date(ms + offsetMinutes * 60_000);
  const date = `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}`;
  const time = `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}`;
  const millis = wall.getUTCMilliseconds();
  const fraction = millis === 0 ? '' : `.${pad(millis, 3)}`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${date}T${time}${fraction}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function wallAsUtc(wall: WallClock): number {
  const utc = new Date(0);
  utc.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  utc.setUTCHours(wall.hour, wall.minute, wall.second, wall.millisecond);
  return utc.getTime();
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
