// The catalogue of errors the gateway answers. A new error code is added here and nowhere else.
export type ErrorType =
  | 'invalid_request_error'
  | 'gateway_auth_error'
  | 'rate_limit_error'
  | 'permission_error'
  | 'not_found_error'
  | 'server_error';

export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly type: ErrorType,
    readonly code: string | null,
    message: string,
    readonly param: string | null = null,
    readonly headers: Readonly<Record<string, string>> = {},
    /** Extra members of the error object (e.g. `hermes` flags on agent_incomplete). */
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'GatewayError';
  }

  static invalid(message: string, param: string | null = null, code: string | null = 'invalid_request') {
    return new GatewayError(400, 'invalid_request_error', code, message, param);
  }
  static invalidJson(detail: string) {
    return new GatewayError(400, 'invalid_request_error', 'invalid_json', `Invalid JSON in request body: ${detail}`);
  }
  static unsupportedMediaType(got: string) {
    return new GatewayError(
      415,
      'invalid_request_error',
      'unsupported_media_type',
      `Content-Type must be application/json, got '${got}'.`,
    );
  }
  static invalidContentLength() {
    return new GatewayError(400, 'invalid_request_error', 'invalid_content_length', 'Invalid Content-Length header.');
  }
  static bodyTooLarge(limit: number) {
    return new GatewayError(
      413,
      'invalid_request_error',
      'body_too_large',
      `Request body too large (limit ${limit} bytes).`,
    );
  }
  static unsupportedContent(message: string, param: string) {
    return new GatewayError(400, 'invalid_request_error', 'unsupported_content_type', message, param);
  }
  static invalidImageUrl(param: string) {
    return new GatewayError(
      400,
      'invalid_request_error',
      'invalid_image_url',
      'Image parts need an http(s) URL or a data:image/… URL.',
      param,
    );
  }
  static authFailed() {
    return new GatewayError(
      401,
      'gateway_auth_error',
      'gateway_auth_failed',
      'Invalid gateway API key (API_SERVER_KEY)',
    );
  }
  static modelForbidden(model: string) {
    return new GatewayError(
      403,
      'permission_error',
      'model_not_allowed',
      `This API key may not use model '${model}'.`,
      'model',
    );
  }
  /** A dot segment or an encoded dot, slash or backslash: refused before anything is routed or forwarded. */
  static invalidPath() {
    return new GatewayError(
      400,
      'invalid_request_error',
      'invalid_path',
      'The URL path may not contain dot segments or encoded dots, slashes or backslashes.',
    );
  }
  /** What node's HTTP parser refused (bad bytes, a lying or doubled length, a bare LF…): answered before any gate. */
  static malformedRequest(reason: string) {
    return new GatewayError(400, 'invalid_request_error', 'invalid_http_request', `Malformed HTTP request: ${reason}.`);
  }
  static headersTooLarge() {
    return new GatewayError(
      431,
      'invalid_request_error',
      'request_header_fields_too_large',
      'Request header fields too large.',
    );
  }
  static requestTimeout() {
    return new GatewayError(408, 'invalid_request_error', 'request_timeout', 'The request was not received in time.');
  }
  static expectationFailed(expect: string) {
    return new GatewayError(
      417,
      'invalid_request_error',
      'expectation_failed',
      `Expectation not supported: '${expect}' (only 100-continue is).`,
    );
  }
  /** An operation only an agent can serve, on a gateway that runs none (proxy-only mode). */
  static noAgentConfigured() {
    return new GatewayError(
      400,
      'invalid_request_error',
      'no_agent_configured',
      'This operation needs an agent, and this gateway runs none (proxy-only mode): configure one with --agent or agents:.',
    );
  }
  static notFound(method: string, path: string) {
    return new GatewayError(404, 'invalid_request_error', 'not_found', `No route for ${method} ${path}.`);
  }
  static methodNotAllowed(method: string, path: string, allowed: string[]) {
    return new GatewayError(
      405,
      'invalid_request_error',
      'method_not_allowed',
      `Method ${method} is not allowed on ${path}; allowed: ${allowed.join(', ')}.`,
      null,
      { Allow: allowed.join(', ') },
    );
  }
  static modelNotFound(model: string) {
    return new GatewayError(
      404,
      'invalid_request_error',
      'model_not_found',
      `The model '${model}' does not exist.`,
      'model',
    );
  }
  static responseNotFound(id: string) {
    return new GatewayError(404, 'invalid_request_error', 'response_not_found', `Response not found: ${id}`);
  }
  static previousResponseNotFound(id: string) {
    return new GatewayError(
      404,
      'invalid_request_error',
      'previous_response_not_found',
      `Previous response not found: ${id}`,
      'previous_response_id',
    );
  }
  static runNotFound(id: string) {
    return new GatewayError(404, 'invalid_request_error', 'run_not_found', `Run not found: ${id}`);
  }
  /** reference §7: a `{job_id}` that is not exactly 12 lowercase hex (checked after auth). */
  static invalidJobId() {
    return new GatewayError(400, 'invalid_request_error', 'invalid_job_id', 'Invalid job ID format', 'job_id');
  }
  /** An unknown job, or another key's (never 403). */
  static jobNotFound() {
    return new GatewayError(404, 'invalid_request_error', 'job_not_found', 'Job not found');
  }
  /** The schedule parser's message (reference §7 grammar), or a one-shot too far in the past. */
  static invalidSchedule(message: string) {
    return new GatewayError(400, 'invalid_request_error', 'invalid_schedule', message, 'schedule');
  }
  /** Run, resume or re-activate a job that cannot fire again (completed, or a one-shot whose time has passed). */
  static jobTerminal(message: string) {
    return new GatewayError(409, 'invalid_request_error', 'job_terminal', message);
  }
  static sessionNotFound(id: string) {
    return new GatewayError(404, 'invalid_request_error', 'session_not_found', `Session not found: ${id}`);
  }
  static sessionExists(id: string) {
    return new GatewayError(409, 'invalid_request_error', 'session_exists', `Session already exists: ${id}`);
  }
  static sessionActiveTurn(id: string) {
    return new GatewayError(
      409,
      'invalid_request_error',
      'session_active_turn',
      `Session ${id} has a turn in progress; try again when it ends.`,
    );
  }
  /** A session's model lock names a model no agent serves (any more). */
  static modelLockUnavailable(model: string) {
    return new GatewayError(
      409,
      'invalid_request_error',
      'model_lock_unavailable',
      `The session is locked to model '${model}', which no agent serves.`,
      'model',
    );
  }
  static runNotActive(id: string) {
    return new GatewayError(409, 'invalid_request_error', 'run_not_active', `Run is not active in this gateway: ${id}`);
  }
  /** reference §6.8: steer only while the run's status is `running`. */
  static runNotAcceptingSteer(id: string) {
    return new GatewayError(
      409,
      'invalid_request_error',
      'run_not_accepting_steer',
      `Run is not currently accepting steer input: ${id}`,
    );
  }
  static invalidSteerInput() {
    return new GatewayError(
      400,
      'invalid_request_error',
      'invalid_steer_input',
      "Missing non-empty steer text; expected 'input', 'message', or 'text'.",
    );
  }
  /** A run executes on another gateway instance that did not answer a forwarded stop or approval in time. */
  static runOwnerUnreachable(id: string) {
    return new GatewayError(
      503,
      'server_error',
      'run_owner_unreachable',
      `The gateway instance executing run ${id} did not answer; retry shortly.`,
      null,
      { 'Retry-After': '1' },
    );
  }
  static approvalNotActive(id: string) {
    return new GatewayError(
      409,
      'invalid_request_error',
      'approval_not_active',
      `Run has no active approval session: ${id}`,
    );
  }
  static approvalNotPending(id: string) {
    return new GatewayError(409, 'invalid_request_error', 'approval_not_pending', `Run has no pending approval: ${id}`);
  }
  /** `expected`: the accepted choices (every choice, or those the agent offered), sorted and comma-separated. */
  static invalidApprovalChoice(expected: string) {
    return new GatewayError(
      400,
      'invalid_request_error',
      'invalid_approval_choice',
      `Invalid approval choice; expected one of: ${expected}`,
      'choice',
    );
  }
  /** reference §6.6: a request_id that is present but not a non-empty string of at most 256 characters. */
  static invalidApprovalRequest() {
    return new GatewayError(
      400,
      'invalid_request_error',
      'invalid_approval_request',
      'Approval request_id is invalid.',
      'request_id',
    );
  }
  static invalidIdempotencyKey() {
    return new GatewayError(
      400,
      'invalid_request_error',
      'invalid_idempotency_key',
      'Idempotency-Key must be 1-255 visible ASCII characters',
      'Idempotency-Key',
    );
  }
  static idempotencyKeyConflict() {
    return new GatewayError(
      409,
      'invalid_request_error',
      'idempotency_key_conflict',
      'Idempotency-Key was already used with a different request payload',
      'Idempotency-Key',
    );
  }
  static tooManyRuns(max: number) {
    return new GatewayError(
      429,
      'rate_limit_error',
      'rate_limit_exceeded',
      `Too many concurrent runs (max ${max})`,
      null,
      {
        'Retry-After': '1',
      },
    );
  }
  static rateLimited(message: string, headers: Record<string, string>) {
    return new GatewayError(429, 'rate_limit_error', 'rate_limit_exceeded', message, null, headers);
  }
  static notImplemented(operationId: string) {
    return new GatewayError(501, 'server_error', 'not_implemented', `${operationId} is not implemented yet.`);
  }
  static draining() {
    return new GatewayError(
      503,
      'server_error',
      'gateway_draining',
      'Gateway is draining existing work; retry shortly.',
      null,
      {
        'Retry-After': '1',
      },
    );
  }
  static storeUnavailable(detail: string) {
    return new GatewayError(503, 'server_error', 'store_unavailable', `State store unavailable: ${detail}`, null, {
      'Retry-After': '1',
    });
  }
  static agentUnavailable(detail: string) {
    return new GatewayError(503, 'server_error', 'agent_unavailable', `Agent unavailable: ${detail}`, null, {
      'Retry-After': '1',
    });
  }
  static agentIncomplete(message: string, hermes: Record<string, unknown>, headers: Record<string, string>) {
    return new GatewayError(502, 'server_error', 'agent_incomplete', message, null, headers, { hermes });
  }
  static upstreamUnavailable(detail: string) {
    return new GatewayError(502, 'server_error', 'upstream_unavailable', `Upstream unavailable: ${detail}`);
  }
  static upstreamInvalidResponse(detail: string) {
    return new GatewayError(
      502,
      'server_error',
      'upstream_invalid_response',
      `Upstream sent an invalid response: ${detail}`,
    );
  }
  static upstreamTimeout(detail: string) {
    return new GatewayError(504, 'server_error', 'upstream_timeout', `Upstream timed out: ${detail}`);
  }
  static internal(requestId: string) {
    return new GatewayError(500, 'server_error', 'server_error', `Internal server error (request ${requestId}).`);
  }

  toEnvelope() {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code, ...this.extra } };
  }
}
