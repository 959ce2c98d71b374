// The port the runs surface implements: a run's engine events and outcome -> its journal payloads. The engine
// journals what the encoder returns and never reads a payload's event name for meaning.
import type { EngineEvent } from '../port/engine-event.js';
import type { RunEventPayload } from './run-journal.js';
import type { RunOutcome } from './run-record.js';

export interface RunEncoder {
  started(): RunEventPayload[];
  push(event: EngineEvent): RunEventPayload[];
  finish(outcome: RunOutcome): RunEventPayload[];
  /** Steer text was accepted for the run (`delivered`: it reached the running turn at once). */
  steered?(delivered: boolean): RunEventPayload[];
}

export interface RunEncoderTarget {
  runId: string;
  sessionId: string;
  model: string;
}

/** A fresh encoder for one run (each keeps its own state, e.g. tool start times). */
export type RunEncoderFactory = (run: RunEncoderTarget) => RunEncoder;
