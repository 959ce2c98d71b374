// The Jobs schedule grammar (reference §7, Hermes `parse_schedule`) and the occurrences of a parsed schedule.
// Pure: the clock and the time zone come in as arguments. Cron expressions are checked and walked with croner.
//   30m, 2h, 1d, hour, every 30m, every 2 hours     -> {kind:"interval", minutes, display:"every Nm"}
//   in 30m, in 2h                                   -> {kind:"once", run_at, display:"once in 30m"}
//   2026-02-03T14:00:00 (naive = the jobs time zone) -> {kind:"once", run_at, display:"once at 2026-02-03 14:00"}
//   0 9 * * *, */5 * * * * * (5 or 6 fields)        -> {kind:"cron", expr, display: the expression}
//   every monday 9am, weekdays at 9am, every day at noon, monday, wednesday at 9:30pm -> cron "<m> <h> * * <dow>"
import { Cron } from 'croner';
import { GatewayError } from '../../errors.js';
import type { JobSchedule } from '../../store/job-store.js';
import { isoWithOffset, offsetMinutesAt, type WallClock, wallClockToEpoch } from './time-zone.js';

export type { JobSchedule };

export interface ScheduleClock {
  /** Epoch ms. */
  now: number;
  /** IANA zone naive timestamps and cron fields are read in. */
  timeZone: string;
}

/** A one-shot up to this far in the past is still accepted (it fires at once); older ones are refused. */
export const ONE_SHOT_GRACE_MS = 120_000;

const DURATION = /^(\d*)\s*(m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days)$/;
const UNIT_MINUTES: Record<string, number> = { m: 1, h: 60, d: 1440 };

// Cron weekday numbering: 0 = Sunday … 6 = Saturday.
const WEEKDAYS: Record<string, string> = {
  sunday: '0',
  sun: '0',
  monday: '1',
  mon: '1',
  tuesday: '2',
  tue: '2',
  tues: '2',
  wednesday: '3',
  wed: '3',
  weds: '3',
  thursday: '4',
  thu: '4',
  thur: '4',
  thurs: '4',
  friday: '5',
  fri: '5',
  saturday: '6',
  sat: '6',
};
const DAY_SPECS: Record<string, string> = {
  day: '*',
  daily: '*',
  everyday: '*',
  weekday: '1-5',
  weekdays: '1-5',
  weekend: '0,6',
  weekends: '0,6',
};

const CRON_FIELD = /^[A-Za-z\d*\-,/?#]+$/;
const ISO_LIKE = /^\d{4}-\d{2}-\d{2}/;
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Parses a schedule string; an unparseable one throws 400 invalid_schedule with the parser's message. */
export function parseSchedule(text: string, clock: ScheduleClock): JobSchedule {
  const schedule = text.trim();
  const lower = schedule.toLowerCase();
  if (!schedule) throw GatewayError.invalidSchedule('Schedule is required');

  // A day/time phrase is cron ("every monday 9am", and without "every": "weekdays at 9am"); any other
  // "every X" is an interval.
  const every = lower.startsWith('every ');
  const rest = every ? schedule.slice(6).trim() : lower;
  const natural = naturalToCron(rest);
  if (natural !== null) return cronSchedule(natural, schedule, 'schedule', clock.timeZone);
  if (every) return intervalSchedule(parseDuration(rest), schedule);

  // Cron: five or six fields; letters reach croner, which knows JAN-DEC and SUN-SAT.
  const parts = schedule.split(/\s+/);
  if (parts.length >= 5 && parts.slice(0, 5).every((part) => CRON_FIELD.test(part))) {
    return cronSchedule(schedule, schedule, 'cron expression', clock.timeZone);
  }

  if (schedule.includes('T') || ISO_LIKE.test(schedule)) return timestampSchedule(schedule, clock.timeZone);

  if (lower.startsWith('in ')) {
    const duration = schedule.slice(3).trim();
    let minutes: number;
    try {
      minutes = parseDuration(duration);
    } catch {
      throw GatewayError.invalidSchedule(`Invalid duration '${duration}' after 'in '. Use e.g. 'in 30m', 'in 2h'.`);
    }
    const at = clock.now + minutes * 60_000;
    return {
      kind: 'once',
      run_at: isoWithOffset(at, offsetMinutesAt(at, clock.timeZone)),
      display: `once in ${duration}`,
    };
  }
  let minutes: number | null = null;
  try {
    minutes = parseDuration(schedule);
  } catch {
    // not a bare duration either: the message below lists every form
  }
  if (minutes !== null) return intervalSchedule(minutes, schedule);
  throw GatewayError.invalidSchedule(
    `Invalid schedule '${schedule}'. Use:\n` +
      "  - Interval: '30m', 'every 30m', 'every 2h' (recurring)\n" +
      "  - One-shot delay: 'in 30m', 'in 2h' (fires once)\n" +
      "  - Weekly/daily: 'every monday 9am', 'weekdays at 9am' (recurring)\n" +
      "  - Cron: '0 9 * * *' (cron expression)\n" +
      "  - Timestamp: '2026-02-03T14:00:00' (one-shot at time)",
  );
}

/** "30m" -> 30, "2 hours" -> 120, "1d" -> 1440, a bare unit ("hour") -> 1 of it. */
export function parseDuration(text: string): number {
  const s = text.trim().toLowerCase();
  const match = DURATION.exec(s);
  if (!match) {
    throw GatewayError.invalidSchedule(
      `Invalid duration: '${s}'. Use format like '30m', '2h', '1d', or a bare unit like 'hour' (defaults to 1).`,
    );
  }
  return (match[1] ? Number(match[1]) : 1) * UNIT_MINUTES[match[2][0]];
}

/** `9am`, `9:30pm`, `14:00`, `7` (24 h), `noon`, `midnight` -> [hour, minute], or null. */
export function parseClockTime(text: string): [number, number] | null {
  const t = text.trim().toLowerCase().replace(/\s+/g, '');
  if (t === 'noon' || t === 'midday') return [12, 0];
  if (t === 'midnight') return [0, 0];
  const match = /^(\d{1,2})(?::(\d{2}))?(am|pm)?$/.exec(t);
  if (!match) return null;
  let hour = Number(match[1]);
  const minute = Number(match[2] ?? 0);
  if (match[3]) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (match[3] === 'pm' ? 12 : 0);
  }
  if (hour > 23 || minute > 59) return null;
  return [hour, minute];
}

/** `<days> [at] <time>` -> a five-field cron expression, or null when the phrase is not one. */
export function naturalToCron(rest: string): string | null {
  const tokens = rest.toLowerCase().replace(/,/g, ' ').split(/\s+/).filter(Boolean);
  if (tokens.length === 0) return null;
  let dow = DAY_SPECS[tokens[0]];
  let index = 1;
  if (dow === undefined) {
    const days: string[] = [];
    index = tokens.length;
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i] === 'and') continue;
      const day = WEEKDAYS[tokens[i]];
      if (day === undefined) {
        index = i;
        break;
      }
      if (!days.includes(day)) days.push(day);
    }
    if (days.length === 0) return null;
    dow = days.join(',');
  }
  let time = tokens.slice(index);
  if (time[0] === 'at') time = time.slice(1);
  if (time.length === 0) return null;
  const clock = parseClockTime(time.join(' '));
  if (!clock) return null;
  return `${clock[1]} ${clock[0]} * * ${dow}`;
}

/**
 * When a new (or resumed) job first fires: an interval after a full interval, cron at its next occurrence, a
 * one-shot at its time, or null for a one-shot more than ONE_SHOT_GRACE_MS in the past.
 */
export function firstRun(schedule: JobSchedule, now: number, timeZone: string): number | null {
  switch (schedule.kind) {
    case 'interval':
      return now + schedule.minutes * 60_000;
    case 'cron':
      return cronOf(schedule.expr, timeZone).nextRun(new Date(now))?.getTime() ?? null;
    case 'once': {
      const at = Date.parse(schedule.run_at);
      return at >= now - ONE_SHOT_GRACE_MS ? at : null;
    }
  }
}

/**
 * The latest occurrence in [max(due, now - graceMs), now]: what fires now for a job due at `due` (the earliest
 * occurrence not fired yet). Null when every occurrence since `due` is older than the grace window: the job then
 * skips to its next occurrence instead of replaying what it missed.
 */
export function latestDue(
  schedule: JobSchedule,
  due: number,
  now: number,
  graceMs: number,
  timeZone: string,
): number | null {
  if (due > now) return null;
  const horizon = now - graceMs;
  switch (schedule.kind) {
    case 'once':
      return due >= horizon ? due : null;
    case 'interval': {
      const step = schedule.minutes * 60_000;
      const latest = due + Math.floor((now - due) / step) * step;
      return latest >= horizon ? latest : null;
    }
    case 'cron': {
      const cron = cronOf(schedule.expr, timeZone);
      let latest: number | null = due >= horizon ? due : null;
      // Walk the occurrences inside the window only: a long outage costs nothing more than the window.
      let cursor = Math.max(due, horizon - 1);
      for (let i = 0; i < 100_000; i++) {
        const next = cron.nextRun(new Date(cursor))?.getTime();
        if (next === undefined || next > now) break;
        if (next >= horizon) latest = next;
        cursor = next;
      }
      return latest;
    }
  }
}

/** The first occurrence after `now` of a schedule that last fired (or was due) at `anchor`; null for a one-shot. */
export function nextAfter(schedule: JobSchedule, anchor: number, now: number, timeZone: string): number | null {
  switch (schedule.kind) {
    case 'once':
      return null;
    case 'interval': {
      const step = schedule.minutes * 60_000;
      if (anchor > now) return anchor;
      return anchor + (Math.floor((now - anchor) / step) + 1) * step;
    }
    case 'cron':
      return (
        cronOf(schedule.expr, timeZone)
          .nextRun(new Date(Math.max(anchor, now)))
          ?.getTime() ?? null
      );
  }
}

function intervalSchedule(minutes: number, original: string): JobSchedule {
  if (minutes < 1)
    throw GatewayError.invalidSchedule(`Invalid schedule '${original}': an interval must be at least 1m.`);
  return { kind: 'interval', minutes, display: `every ${minutes}m` };
}

function cronSchedule(expr: string, display: string, label: string, timeZone: string): JobSchedule {
  const fields = expr.split(/\s+/).length;
  let next: Date | null;
  try {
    if (fields > 6) throw new Error('five or six fields are required (six: seconds last, as croniter reads them)');
    next = cronOf(expr, timeZone).nextRun();
  } catch (error) {
    throw GatewayError.invalidSchedule(`Invalid ${label} '${display}': ${(error as Error).message}`);
  }
  if (!next) throw GatewayError.invalidSchedule(`Invalid ${label} '${display}': it never fires.`);
  return { kind: 'cron', expr, display };
}

function timestampSchedule(text: string, timeZone: string): JobSchedule {
  let wall: WallClock;
  let offset: string | undefined;
  try {
    ({ wall, offset } = parseIsoTimestamp(text));
  } catch (error) {
    throw GatewayError.invalidSchedule(`Invalid timestamp '${text}': ${(error as Error).message}`);
  }
  let at: number;
  let offsetMinutes: number;
  if (offset === undefined) {
    // A naive timestamp means the configured zone's wall clock, not the server's (Hermes #51021).
    at = wallClockToEpoch(wall, timeZone);
    offsetMinutes = offsetMinutesAt(at, timeZone);
  } else {
    offsetMinutes = parseOffset(offset);
    at = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond);
    at -= offsetMinutes * 60_000;
  }
  const shown = isoWithOffset(at, offsetMinutes);
  return { kind: 'once', run_at: shown, display: `once at ${shown.slice(0, 10)} ${shown.slice(11, 16)}` };
}

/** Python's `datetime.fromisoformat` subset: a date, an optional time (to microseconds), an optional offset. */
function parseIsoTimestamp(text: string): { wall: WallClock; offset?: string } {
  const m = ISO.exec(text);
  if (!m) throw new Error(`Invalid isoformat string: '${text}'`);
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
  if (month < 1 || month > 12) throw new Error('month must be in 1..12');
  if (day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) {
    throw new Error('day is out of range for month');
  }
  if (hour > 23) throw new Error('hour must be in 0..23');
  if (minute > 59) throw new Error('minute must be in 0..59');
  if (second > 59) throw new Error('second must be in 0..59');
  if (m[8] && m[8] !== 'Z' && Math.abs(parseOffset(m[8])) >= 24 * 60) {
    throw new Error(`Invalid isoformat string: '${text}'`);
  }
  const millisecond = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  return { wall: { year, month, day, hour, minute, second, millisecond }, offset: m[8] };
}

function parseOffset(offset: string): number {
  if (offset === 'Z') return 0;
  const digits = offset.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0);
  return offset[0] === '-' ? -minutes : minutes;
}

const crons = new Map<string, Cron>();

/** One croner pattern per expression and zone (no callback: nothing is scheduled by croner itself). */
function cronOf(expr: string, timeZone: string): Cron {
  const key = `${timeZone}\n${expr}`;
  let cron = crons.get(key);
  if (!cron) {
    // Six fields are croniter's (Hermes): seconds last; croner wants them first.
    const fields = expr.split(/\s+/);
    const pattern = fields.length === 6 ? [fields[5], ...fields.slice(0, 5)].join(' ') : expr;
    // legacyMode: day-of-month and day-of-week are OR-ed, as in Vixie cron and croniter.
    cron = new Cron(pattern, { timezone: timeZone, legacyMode: true });
    if (crons.size >= 1000) crons.clear();
    crons.set(key, cron);
  }
  return cron;
}
