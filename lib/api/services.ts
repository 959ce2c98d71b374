// What the API surfaces need from the rest of the gateway, passed in once at start-up.
import type { GatewayConfig } from '../config/config.js';
import type { Admission } from '../engine/admission.js';
import type { ApprovalRegistry } from '../engine/approval-registry.js';
import type { AgentRegistry } from '../engine/agent-registry.js';
import type { Conversations } from '../engine/conversations.js';
import type { Jobs } from '../engine/jobs/jobs.js';
import type { RunJournal } from '../engine/runs/run-journal.js';
import type { RunRegistry } from '../engine/runs/run-registry.js';
import type { SessionOwnership } from '../engine/session-ownership.js';
import type { TurnRunner } from '../engine/turn-runner.js';
import type { Logger } from '../log.js';
import type { GatewayMetrics } from '../metrics.js';
import type { PeerForwarding } from '../http/peer-forward.js';
import type { ModelRouter } from '../http/routing.js';
import type { Store } from '../store/keyv.js';
import type { RunIdempotencyRepo } from '../store/run-idempotency-repo.js';

export interface Services {
  config: GatewayConfig;
  store: Store;
  logger: Logger;
  agents: AgentRegistry;
  admission: Admission;
  conversations: Conversations;
  turns: TurnRunner;
  /** Pending permission requests by run / streaming completion id; `approverFor(id, scope)` for a stream. */
  approvals: ApprovalRegistry;
  runs: RunRegistry;
  runJournal: RunJournal;
  runIdempotency: RunIdempotencyRepo;
  /** Scheduled jobs (/api/jobs*); the scheduler that fires them runs beside the gateway. */
  jobs: Jobs;
  /** Model routes and upstreams (proxy mode): the routing decision the door makes, and what /v1/models lists. */
  router: ModelRouter;
  /** The gateway's Prometheus metrics (GET /metrics). */
  metrics: GatewayMetrics;
  /** Which instance runs a conversation's turns (several instances on one Redis; else always this one). */
  sessionOwnership: SessionOwnership;
  /** Forwards a turn to the instance owning its conversation; null when this instance never forwards. */
  peers: PeerForwarding | null;
  startedAt: number;
  isDraining(): boolean;
}
