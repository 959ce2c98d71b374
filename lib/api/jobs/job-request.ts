// Jobs request bodies -> engine inputs (reference §7), with the reference's validation messages, in its order.
// Pure: the schedule parser comes in as a function (it needs the jobs clock and time zone).
import type { JobPatch, NewJob } from '../../engine/jobs/job-records.js';
import { GatewayError } from '../../errors.js';
import type { components } from '../../generated/openapi.gen.js';
import type { JobSchedule } from '../../store/job-store.js';

type CreateJobRequest = components['schemas']['CreateJobRequest'];
type UpdateJobRequest = components['schemas']['UpdateJobRequest'];

export const MAX_NAME = 200;
export const MAX_PROMPT = 5000;
const JOB_ID = /^[0-9a-f]{12}$/;

/** reference §7: PATCH keeps these fields and silently drops any other. */
const UPDATABLE = ['name', 'schedule', 'prompt', 'deliver', 'skills', 'skill', 'repeat', 'enabled'] as const;

/** Where API-created jobs say they came from (reference §7 `origin`). */
export const API_ORIGIN = { platform: 'agent-gateway', chat_id: 'api' };

export type ParseSchedule = (text: string) => JobSchedule;

/** reference §7: exactly 12 lowercase hex, checked after auth. */
export function checkJobId(id: string): string {
  if (!JOB_ID.test(id)) throw GatewayError.invalidJobId();
  return id;
}

/** POST /api/jobs -> a new job (its model is checked by the caller, against the key and the routes). */
export function createJobInput(body: CreateJobRequest, parseSchedule: ParseSchedule): NewJob {
  const name = checkName(body.name);
  const scheduleText = checkScheduleText(body.schedule);
  const prompt = checkPrompt(body.prompt ?? '');
  const repeat = checkRepeat(body.repeat);
  const schedule = parseSchedule(scheduleText);
  return {
    name,
    prompt,
    schedule,
    skills: skillList(body.skill, body.skills),
    model: body.model ?? null,
    repeat,
    deliver: body.deliver ?? 'local',
    paused: body.paused ?? false,
    pausedReason: body.paused_reason ?? null,
    origin: API_ORIGIN,
  };
}

/** PATCH /api/jobs/{id} -> the kept fields, checked; none kept is 400 "No valid fields to update". */
export function updateJobInput(body: UpdateJobRequest, parseSchedule: ParseSchedule): JobPatch {
  const given = Object.fromEntries(
    UPDATABLE.filter((field) => body[field] !== undefined).map((field) => [field, body[field]]),
  ) as Pick<UpdateJobRequest, (typeof UPDATABLE)[number]>;
  if (Object.keys(given).length === 0) throw GatewayError.invalid('No valid fields to update');
  const patch: JobPatch = {};
  if (given.name !== undefined) patch.name = checkName(given.name);
  if (given.prompt !== undefined) patch.prompt = checkPrompt(given.prompt);
  if (given.schedule !== undefined) patch.schedule = parseSchedule(checkScheduleText(given.schedule));
  if (given.repeat !== undefined) patch.repeat = checkRepeat(given.repeat);
  if (given.deliver !== undefined) patch.deliver = given.deliver;
  if (given.skills !== undefined || given.skill !== undefined) patch.skills = skillList(given.skill, given.skills);
  if (given.enabled !== undefined) patch.enabled = given.enabled;
  return patch;
}

/** POST /api/jobs/{id}/run: the optional extra prompt, same limit as a job's prompt. */
export function runJobPrompt(body: { prompt?: string } | undefined): string | null {
  const prompt = body?.prompt;
  if (prompt === undefined) return null;
  return checkPrompt(prompt) || null;
}

function checkName(value: string | undefined): string {
  const name = (value ?? '').trim();
  if (!name) throw GatewayError.invalid('Name is required', 'name');
  if (chars(name) > MAX_NAME) throw GatewayError.invalid(`Name must be ≤ ${MAX_NAME} characters`, 'name');
  return name;
}

function checkScheduleText(value: string | undefined): string {
  const schedule = (value ?? '').trim();
  if (!schedule) throw GatewayError.invalid('Schedule is required', 'schedule');
  return schedule;
}

function checkPrompt(prompt: string): string {
  if (chars(prompt) > MAX_PROMPT) throw GatewayError.invalid(`Prompt must be ≤ ${MAX_PROMPT} characters`, 'prompt');
  return prompt;
}

/** A positive integer, or null/absent (forever); anything else is refused with the reference's message. */
function checkRepeat(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw GatewayError.invalid('Repeat must be a positive integer', 'repeat');
  }
  return value;
}

/** `skill` (legacy) and `skills` as one list: trimmed, without blanks or repeats. */
function skillList(skill: string | null | undefined, skills: string[] | undefined): string[] {
  const list: string[] = [];
  for (const item of [skill, ...(skills ?? [])]) {
    const text = (item ?? '').trim();
    if (text && !list.includes(text)) list.push(text);
  }
  return list;
}

/** Characters as Python counts them (code points), not UTF-16 units. */
const chars = (text: string) => [...text].length;
