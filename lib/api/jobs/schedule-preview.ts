// POST /api/jobs/schedule/parse: a schedule parsed as POST /api/jobs would store it, and its first run, without
// creating a job (the web console shows `schedule_display` before saving). Nothing is stored.
import { firstRun, ONE_SHOT_GRACE_MS } from '../../engine/jobs/schedule.js';
import { isoInZone } from '../../engine/jobs/time-zone.js';
import { GatewayError } from '../../errors.js';
import type { Operation } from '../operation-types.js';
import type { Services } from '../services.js';

export function parseJobSchedule(services: Services): Operation<'parseJobSchedule'> {
  return ({ body }) => {
    const { jobs } = services;
    const schedule = jobs.schedule(body.schedule); // 400 invalid_schedule with the parser's message
    const { now, timeZone } = jobs.clock();
    const first = firstRun(schedule, now, timeZone);
    // A one-shot long past parses, but POST /api/jobs refuses it: so does its preview, with the same message.
    if (first === null) {
      const at = schedule.kind === 'once' ? schedule.run_at : schedule.display;
      throw GatewayError.invalidSchedule(
        `Requested one-shot time ${at} is more than ${ONE_SHOT_GRACE_MS / 1000}s in the past and cannot be scheduled.`,
      );
    }
    return { schedule, schedule_display: schedule.display, next_run_at: isoInZone(first, timeZone) };
  };
}
