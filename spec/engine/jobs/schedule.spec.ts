// The Jobs schedule grammar (reference §7), table-driven: every form, every error message, and the occurrences.
import { expect } from 'chai';
import {
  firstRun,
  type JobSchedule,
  latestDue,
  naturalToCron,
  nextAfter,
  parseClockTime,
  parseSchedule,
} from '../../../lib/engine/jobs/schedule.js';
import { isoInZone, offsetMinutesAt, wallClockToEpoch } from '../../../lib/engine/jobs/time-zone.js';
import { GatewayError } from '../../../lib/errors.js';

// Monday 2 March 2026, 08:59:30 UTC.
const NOW = Date.parse('2026-03-02T08:59:30Z');
const UTC = { now: NOW, timeZone: 'UTC' };
const PARIS = { now: NOW, timeZone: 'Europe/Paris' };
const MIN = 60_000;

describe('the schedule grammar', () => {
  const forms: Array<[string, JobSchedule, typeof UTC?]> = [
    // intervals (recurring)
    ['30m', { kind: 'interval', minutes: 30, display: 'every 30m' }],
    ['2h', { kind: 'interval', minutes: 120, display: 'every 120m' }],
    ['1d', { kind: 'interval', minutes: 1440, display: 'every 1440m' }],
    ['hour', { kind: 'interval', minutes: 60, display: 'every 60m' }],
    ['45 mins', { kind: 'interval', minutes: 45, display: 'every 45m' }],
    ['every 30m', { kind: 'interval', minutes: 30, display: 'every 30m' }],
    ['every 2 hours', { kind: 'interval', minutes: 120, display: 'every 120m' }],
    ['Every 10 Minutes', { kind: 'interval', minutes: 10, display: 'every 10m' }],
    ['every day', { kind: 'interval', minutes: 1440, display: 'every 1440m' }],
    ['  every 3 hrs  ', { kind: 'interval', minutes: 180, display: 'every 180m' }],
    // one-shots by delay
    ['in 30m', { kind: 'once', run_at: '2026-03-02T09:29:30+00:00', display: 'once in 30m' }],
    ['in 2h', { kind: 'once', run_at: '2026-03-02T10:59:30+00:00', display: 'once in 2h' }],
    ['In 1 Day', { kind: 'once', run_at: '2026-03-03T08:59:30+00:00', display: 'once in 1 Day' }],
    ['in 30m', { kind: 'once', run_at: '2026-03-02T10:29:30+01:00', display: 'once in 30m' }, PARIS],
    // one-shots at a time: naive = the jobs time zone; an explicit offset is kept
    ['2026-03-05T14:00:00', { kind: 'once', run_at: '2026-03-05T14:00:00+00:00', display: 'once at 2026-03-05 14:00' }],
    [
      '2026-03-05T14:00:00',
      { kind: 'once', run_at: '2026-03-05T14:00:00+01:00', display: 'once at 2026-03-05 14:00' },
      PARIS,
    ],
    [
      '2026-07-05T14:00',
      { kind: 'once', run_at: '2026-07-05T14:00:00+02:00', display: 'once at 2026-07-05 14:00' },
      PARIS,
    ],
    [
      '2026-03-05T14:00:00Z',
      { kind: 'once', run_at: '2026-03-05T14:00:00+00:00', display: 'once at 2026-03-05 14:00' },
    ],
    [
      '2026-03-05T14:00:00-05:00',
      { kind: 'once', run_at: '2026-03-05T14:00:00-05:00', display: 'once at 2026-03-05 14:00' },
      PARIS,
    ],
    ['2026-03-05 14:30', { kind: 'once', run_at: '2026-03-05T14:30:00+00:00', display: 'once at 2026-03-05 14:30' }],
    ['2026-03-05', { kind: 'once', run_at: '2026-03-05T00:00:00+00:00', display: 'once at 2026-03-05 00:00' }],
    [
      '2026-03-05T14:00:00.250',
      { kind: 'once', run_at: '2026-03-05T14:00:00.250+00:00', display: 'once at 2026-03-05 14:00' },
    ],
    // cron: five fields, six (seconds last, croniter's order), names
    ['0 9 * * *', { kind: 'cron', expr: '0 9 * * *', display: '0 9 * * *' }],
    ['*/15 * * * * *', { kind: 'cron', expr: '*/15 * * * * *', display: '*/15 * * * * *' }],
    ['0 9 * * MON-FRI', { kind: 'cron', expr: '0 9 * * MON-FRI', display: '0 9 * * MON-FRI' }],
    ['30 8 1 JAN *', { kind: 'cron', expr: '30 8 1 JAN *', display: '30 8 1 JAN *' }],
    // English: compiled to cron (dow 0 = Sunday), displayed as typed
    ['every monday 9am', { kind: 'cron', expr: '0 9 * * 1', display: 'every monday 9am' }],
    ['Every Monday 9AM', { kind: 'cron', expr: '0 9 * * 1', display: 'Every Monday 9AM' }],
    ['weekdays at 9am', { kind: 'cron', expr: '0 9 * * 1-5', display: 'weekdays at 9am' }],
    ['every day at noon', { kind: 'cron', expr: '0 12 * * *', display: 'every day at noon' }],
    ['monday, wednesday at 9:30pm', { kind: 'cron', expr: '30 21 * * 1,3', display: 'monday, wednesday at 9:30pm' }],
    ['every weekend at midnight', { kind: 'cron', expr: '0 0 * * 0,6', display: 'every weekend at midnight' }],
    ['every tue and thu at 7', { kind: 'cron', expr: '0 7 * * 2,4', display: 'every tue and thu at 7' }],
    ['every sunday 12am', { kind: 'cron', expr: '0 0 * * 0', display: 'every sunday 12am' }],
    ['daily at 18:45', { kind: 'cron', expr: '45 18 * * *', display: 'daily at 18:45' }],
    ['every friday at 5:15 pm', { kind: 'cron', expr: '15 17 * * 5', display: 'every friday at 5:15 pm' }],
  ];
  for (const [text, stored, clock = UTC] of forms) {
    it(`parses '${text}' (${clock.timeZone})`, () => {
      expect(parseSchedule(text, clock)).to.deep.equal(stored);
    });
  }

  const errors: Array<[string, string]> = [
    ['', 'Schedule is required'],
    [
      'every banana',
      "Invalid duration: 'banana'. Use format like '30m', '2h', '1d', or a bare unit like 'hour' (defaults to 1).",
    ],
    [
      'every monday',
      "Invalid duration: 'monday'. Use format like '30m', '2h', '1d', or a bare unit like 'hour' (defaults to 1).",
    ],
    ['in soon', "Invalid duration 'soon' after 'in '. Use e.g. 'in 30m', 'in 2h'."],
    ['61 * * * *', "Invalid cron expression '61 * * * *': CronPattern: Invalid value for minute: 61"],
    ['0 0 30 2 *', "Invalid cron expression '0 0 30 2 *': it never fires."],
    [
      '* * * * * * *',
      "Invalid cron expression '* * * * * * *': five or six fields are required (six: seconds last, as croniter reads them)",
    ],
    ['2026-13-01T00:00:00', "Invalid timestamp '2026-13-01T00:00:00': month must be in 1..12"],
    ['2026-02-30T00:00:00', "Invalid timestamp '2026-02-30T00:00:00': day is out of range for month"],
    ['2026-02-03T25:00', "Invalid timestamp '2026-02-03T25:00': hour must be in 0..23"],
    ['Tomorrow', "Invalid timestamp 'Tomorrow': Invalid isoformat string: 'Tomorrow'"],
    ['0m', "Invalid schedule '0m': an interval must be at least 1m."],
    [
      'whenever',
      "Invalid schedule 'whenever'. Use:\n" +
        "  - Interval: '30m', 'every 30m', 'every 2h' (recurring)\n" +
        "  - One-shot delay: 'in 30m', 'in 2h' (fires once)\n" +
        "  - Weekly/daily: 'every monday 9am', 'weekdays at 9am' (recurring)\n" +
        "  - Cron: '0 9 * * *' (cron expression)\n" +
        "  - Timestamp: '2026-02-03T14:00:00' (one-shot at time)",
    ],
  ];
  for (const [text, message] of errors) {
    it(`refuses '${text}' with 400 invalid_schedule and the parser's message`, () => {
      let caught: unknown;
      try {
        parseSchedule(text, UTC);
      } catch (error) {
        caught = error;
      }
      expect(caught).to.be.instanceOf(GatewayError);
      const error = caught as GatewayError;
      expect([error.status, error.code, error.param, error.message]).to.deep.equal([
        400,
        'invalid_schedule',
        'schedule',
        message,
      ]);
    });
  }

  const clocks: Array<[string, [number, number] | null]> = [
    ['9am', [9, 0]],
    ['9:30pm', [21, 30]],
    ['12am', [0, 0]],
    ['12pm', [12, 0]],
    ['14:00', [14, 0]],
    ['7', [7, 0]],
    ['noon', [12, 0]],
    ['midday', [12, 0]],
    ['midnight', [0, 0]],
    ['13pm', null],
    ['24:00', null],
    ['9:60', null],
    ['soon', null],
  ];
  for (const [text, parsed] of clocks) {
    it(`reads the clock time '${text}'`, () => expect(parseClockTime(text)).to.deep.equal(parsed));
  }

  it('leaves phrases without a time or without days to the other forms', () => {
    expect(naturalToCron('monday')).to.equal(null);
    expect(naturalToCron('30m')).to.equal(null);
    expect(naturalToCron('at 9am')).to.equal(null);
  });
});

describe('schedule occurrences', () => {
  const every = (minutes: number): JobSchedule => ({ kind: 'interval', minutes, display: `every ${minutes}m` });
  const cron = (expr: string): JobSchedule => ({ kind: 'cron', expr, display: expr });
  const once = (iso: string): JobSchedule => ({ kind: 'once', run_at: iso, display: 'once' });
  const at = (iso: string) => Date.parse(iso);

  it('first fires an interval one interval from now, cron at its next occurrence, a one-shot at its time', () => {
    expect(firstRun(every(30), NOW, 'UTC')).to.equal(NOW + 30 * MIN);
    expect(firstRun(cron('0 9 * * *'), NOW, 'UTC')).to.equal(at('2026-03-02T09:00:00Z'));
    expect(firstRun(cron('0 9 * * *'), NOW, 'Europe/Paris')).to.equal(at('2026-03-03T08:00:00Z'));
    expect(firstRun(once('2026-03-02T10:00:00+00:00'), NOW, 'UTC')).to.equal(at('2026-03-02T10:00:00Z'));
  });

  it('reads six cron fields as croniter (Hermes) does: seconds last', () => {
    expect(firstRun(cron('0 9 * * * 30'), NOW, 'UTC')).to.equal(at('2026-03-02T09:00:30Z'));
  });

  it('accepts a one-shot up to 120 s in the past and no older', () => {
    expect(firstRun(once('2026-03-02T08:57:30+00:00'), NOW, 'UTC')).to.equal(at('2026-03-02T08:57:30Z'));
    expect(firstRun(once('2026-03-02T08:57:29+00:00'), NOW, 'UTC')).to.equal(null);
  });

  const grace = 10 * MIN;
  const latest: Array<[string, JobSchedule, string, string, string | null]> = [
    ['an interval on time', every(60), '09:00', '09:00:01', '09:00'],
    ['an interval 3 min late', every(60), '09:00', '09:03', '09:00'],
    ['an interval that missed several: the latest one', every(5), '09:00', '09:23', '09:20'],
    ['an interval whose latest miss is beyond the grace window', every(60), '09:00', '10:15', null],
    ['cron: the latest occurrence inside the window', cron('*/5 * * * *'), '09:00', '09:23', '09:20'],
    ['cron beyond the window', cron('0 * * * *'), '09:00', '10:15', null],
    ['cron 9 min late', cron('0 * * * *'), '09:00', '09:09', '09:00'],
    ['a one-shot inside the window', once('2026-03-02T09:00:00+00:00'), '09:00', '09:10', '09:00'],
    ['a one-shot beyond it', once('2026-03-02T09:00:00+00:00'), '09:00', '09:10:01', null],
    ['nothing due yet', every(60), '09:00', '08:59', null],
  ];
  for (const [name, schedule, due, now, expected] of latest) {
    it(`fires ${name}`, () => {
      const day = (time: string) => at(`2026-03-02T${time.length === 5 ? `${time}:00` : time}Z`);
      expect(latestDue(schedule, day(due), day(now), grace, 'UTC')).to.equal(expected === null ? null : day(expected));
    });
  }

  it('moves on to the first occurrence after now, on the interval lattice of the last firing', () => {
    expect(nextAfter(every(60), at('2026-03-02T09:00:00Z'), at('2026-03-02T09:00:01Z'), 'UTC')).to.equal(
      at('2026-03-02T10:00:00Z'),
    );
    expect(nextAfter(every(60), at('2026-03-02T09:00:00Z'), at('2026-03-02T12:30:00Z'), 'UTC')).to.equal(
      at('2026-03-02T13:00:00Z'),
    );
    expect(nextAfter(cron('0 9 * * 1'), at('2026-03-02T09:00:00Z'), at('2026-03-02T09:00:01Z'), 'UTC')).to.equal(
      at('2026-03-09T09:00:00Z'),
    );
    expect(nextAfter(once('2026-03-02T09:00:00+00:00'), at('2026-03-02T09:00:00Z'), NOW, 'UTC')).to.equal(null);
  });

  it('keeps a daily wall-clock time across a DST change', () => {
    const nineParis = cron('0 9 * * *');
    // Paris moves to summer time on 29 March 2026: 9:00 is 08:00Z before and 07:00Z after.
    expect(nextAfter(nineParis, at('2026-03-28T08:00:00Z'), at('2026-03-28T08:00:01Z'), 'Europe/Paris')).to.equal(
      at('2026-03-29T07:00:00Z'),
    );
  });
});

describe('time zones', () => {
  const wall = (iso: string) => {
    const [date, time] = iso.split('T');
    const [year, month, day] = date.split('-').map(Number);
    const [hour, minute] = time.split(':').map(Number);
    return { year, month, day, hour, minute, second: 0, millisecond: 0 };
  };

  it('reads a wall clock in a zone, taking the earlier instant in an overlap and skipping a gap', () => {
    expect(wallClockToEpoch(wall('2026-07-01T12:00'), 'America/New_York')).to.equal(Date.parse('2026-07-01T16:00Z'));
    // 02:30 does not exist in Paris on 29 March 2026: read before the gap, it is 03:30 summer time.
    expect(isoInZone(wallClockToEpoch(wall('2026-03-29T02:30'), 'Europe/Paris'), 'Europe/Paris')).to.equal(
      '2026-03-29T03:30:00+02:00',
    );
    // 02:30 happens twice on 25 October 2026: the first one (summer time).
    expect(wallClockToEpoch(wall('2026-10-25T02:30'), 'Europe/Paris')).to.equal(Date.parse('2026-10-25T00:30Z'));
  });

  it('writes ISO 8601 with the zone offset, milliseconds only when there are some', () => {
    expect(isoInZone(Date.parse('2026-01-15T12:00:00Z'), 'Asia/Kolkata')).to.equal('2026-01-15T17:30:00+05:30');
    expect(isoInZone(Date.parse('2026-01-15T12:00:00.042Z'), 'UTC')).to.equal('2026-01-15T12:00:00.042+00:00');
    expect(offsetMinutesAt(Date.parse('2026-07-01T00:00:00Z'), 'America/New_York')).to.equal(-240);
  });
});
