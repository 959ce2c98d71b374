/* Generated from schemas/config.schema.json by `npm run generate`. Do not edit. */

/**
 * An MCP server in ACP's McpServer shape: stdio {name, command, args, env} or http/sse {type, name, url, headers}.
 */
export type McpServerConfig = McpServerStdioConfig | McpServerRemoteConfig;

/**
 * agent-gateway configuration after merging the YAML file, environment variables and flags.
 */
export interface GatewayConfig {
  /**
   * Bind address (API_SERVER_HOST).
   */
  host: string;
  /**
   * Bind port (API_SERVER_PORT); 0 picks a free port.
   */
  port: number;
  /**
   * State store URL (GATEWAY_STORE).
   */
  store: string;
  /**
   * How long start-up waits for a Redis store before exiting non-zero (default 10).
   */
  storeConnectTimeoutSeconds?: number;
  /**
   * Bounds on streams whose client does not read (agent streams; proxied streams are paused instead).
   */
  streams?: {
    /**
     * Bytes an agent stream may hold for a client that does not read before its connection is closed: the first MB in memory, the rest in a temp file in the data dir (default 8388608).
     */
    maxBufferedBytes?: number;
    /**
     * A stream whose client read nothing for this long while bytes wait is closed (default 60).
     */
    stallTimeoutSeconds?: number;
  };
  /**
   * Data directory (GATEWAY_DATA_DIR).
   */
  dataDir: string;
  /**
   * Model id of the single agent (API_SERVER_MODEL_NAME).
   */
  modelName?: string;
  /**
   * Unknown `model` names (GATEWAY_STRICT_MODELS). Unset: with one agent and no routes an unknown name runs that agent and is echoed back (Hermes' rule), else 404 model_not_found. true: always 404. false: always the default (first) agent.
   */
  strictModels?: boolean;
  /**
   * Accepted bearer keys (API_SERVER_KEY, comma-separated). Empty: one is generated in the data dir.
   */
  keys: ApiKeyConfig[];
  /**
   * Allowed browser origins (API_SERVER_CORS_ORIGINS); '*' allows any.
   */
  corsOrigins: string[];
  /**
   * Agent turns in flight at once (API_SERVER_MAX_CONCURRENT_RUNS); 0 = unlimited.
   */
  maxConcurrentRuns: number;
  /**
   * Largest request body accepted.
   */
  bodyLimitBytes: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /**
   * json: one JSON object per line; pretty: readable lines (pino-pretty). Default: pretty when stderr is a terminal, else json.
   */
  logFormat?: 'json' | 'pretty';
  agents: AgentConfig[];
  upstreams: UpstreamConfig[];
  /**
   * Model routes: a model id served by an agent or an upstream.
   */
  routes: RouteConfig[];
  /**
   * Profiles: every route mirrored under /p/<name>/, with the profile's own keys, agents and state; what a profile leaves out comes from the top level.
   */
  profiles?: ProfileConfig[];
  approvals: {
    /**
     * Answer to permission requests nobody can approve.
     */
    policy: 'deny' | 'allow_once' | 'read_only';
    /**
     * Gateway approval timeout; answers with the deny option.
     */
    timeoutSeconds: number;
  };
  chat: {
    showReasoning: boolean;
    toolProgressEvents: boolean;
    keepaliveSeconds: number;
  };
  responses: {
    maxStored: number;
    /**
     * Stored responses older than this are removed, with the chain sessions only they held (default 30).
     */
    maxAgeDays?: number;
  };
  runs: {
    statusTtlSeconds: number;
    journalTtlSeconds: number;
    journalMaxEvents: number;
    stopTimeoutSeconds: number;
    /**
     * How long a run's Idempotency-Key is remembered (default 24).
     */
    idempotencyHours?: number;
  };
  /**
   * The Jobs API's scheduler (/api/jobs): one per gateway instance; with a Redis store every instance schedules every job and each occurrence fires once.
   */
  jobs?: {
    /**
     * IANA time zone that naive ISO timestamps, cron expressions and English schedules are read in (default UTC).
     */
    timezone?: string;
    /**
     * An occurrence missed while no instance ran fires once at start-up if it is at most this late, else the job skips to its next occurrence (default 600; never less than five ticks).
     */
    graceWindowSeconds?: number;
    /**
     * How often each instance looks for due jobs (default 1).
     */
    tickSeconds?: number;
    /**
     * How long an instance's claim on an occurrence lives until it confirms the run started: the bound on another instance taking the occurrence over when the claimer dies (default 15).
     */
    claimLeaseSeconds?: number;
    /**
     * Finished executions kept per job for GET /api/jobs/{id}/executions (default 20).
     */
    maxExecutions?: number;
  };
  /**
   * GET /metrics (Prometheus text).
   */
  metrics?: {
    /**
     * Answer GET /metrics without an API key (default false: a key is needed).
     */
    public?: boolean;
  };
  /**
   * Several gateway instances on one Redis store: a conversation's turns run on the instance holding its live agent session, and the other instances forward them there. Needs a redis:// store, advertisedUrl and internalSecret; without them every turn runs where it arrives.
   */
  instances?: {
    /**
     * This instance's base URL as the other instances reach it, e.g. http://10.0.0.5:8642 (GATEWAY_ADVERTISED_URL); `{port}` in it stands for the port the gateway listens on.
     */
    advertisedUrl?: string;
    /**
     * Shared by every instance (GATEWAY_INTERNAL_SECRET): authenticates instance-to-instance requests; never sent to a client nor logged.
     */
    internalSecret?: string;
    /**
     * How long an instance that stopped heartbeating still owns its conversations and runs; then another instance takes them over (default 15).
     */
    ownershipTtlSeconds?: number;
    /**
     * How long a forwarded turn waits for the owner to accept the connection and acknowledge the request before this instance takes the conversation over (default 5).
     */
    forwardTimeoutSeconds?: number;
  };
  /**
   * Agent sessions kept warm for conversations; an evicted conversation is seeded again on its next turn.
   */
  liveSessions: {
    /**
     * Most live agent sessions at once (least recently used go first).
     */
    max: number;
    /**
     * A live session unused this long is closed.
     */
    idleSeconds: number;
  };
  /**
   * Sessions (the conversation store).
   */
  sessions?: {
    /**
     * Sessions with no activity for this long are removed with their messages (default 30).
     */
    idleDays?: number;
  };
}
export interface ApiKeyConfig {
  name?: string;
  /**
   * At least 16 characters.
   */
  key: string;
  /**
   * Models this key may use; absent = all.
   */
  models?: string[];
  requestsPerMinute?: number;
  maxConcurrent?: number;
}
export interface AgentConfig {
  /**
   * Model id; defaults to the agent's agentInfo.name.
   */
  name?: string;
  command: string;
  args?: string[];
  cwd?: string;
  env?: {
    [k: string]: string;
  };
  poolSize?: number;
  /**
   * Escape user text that starts with '/' (hermes treats it as a command).
   */
  slashCommandGuard?: boolean;
  /**
   * How a requested model reaches the agent.
   */
  modelSelection?: 'config_option' | 'set_model' | 'none';
  authMethodId?: string;
  promptTimeoutSeconds?: number;
  cancelTimeoutSeconds?: number;
  /**
   * A turn whose agent sends nothing for this long (a pending approval aside) ends with an agent_idle_timeout error (default 1800).
   */
  idleTimeoutSeconds?: number;
  /**
   * How long an agent process may take to start (initialize), and how long a request waits for one while it starts or restarts (default 30).
   */
  startTimeoutSeconds?: number;
  /**
   * MCP servers given to the agent on session/new, load and fork (ACP mcpServers), listed with their tools by GET /v1/toolsets.
   */
  mcpServers?: McpServerConfig[];
}
export interface McpServerStdioConfig {
  /**
   * Optional: stdio is the default transport.
   */
  type?: 'stdio';
  /**
   * The toolset name GET /v1/toolsets shows.
   */
  name: string;
  /**
   * The server's executable (ACP asks for an absolute path).
   */
  command: string;
  args?: string[];
  env?: NameValueConfig[];
  /**
   * Shown by GET /v1/toolsets (default: the server's own instructions or its tool names); not sent to the agent.
   */
  description?: string;
}
export interface NameValueConfig {
  name: string;
  value: string;
}
export interface McpServerRemoteConfig {
  /**
   * Streamable HTTP or the older SSE transport.
   */
  type: 'http' | 'sse';
  /**
   * The toolset name GET /v1/toolsets shows.
   */
  name: string;
  url: string;
  headers?: NameValueConfig[];
  /**
   * Shown by GET /v1/toolsets; not sent to the agent.
   */
  description?: string;
}
export interface UpstreamConfig {
  name: string;
  baseUrl: string;
  /**
   * Upstream bearer key (prefer keyEnv).
   */
  key?: string;
  /**
   * Name of the env var holding the upstream key.
   */
  keyEnv?: string;
  timeoutSeconds?: number;
  connectTimeoutSeconds?: number;
  headers?: {
    [k: string]: string;
  };
}
/**
 * Exactly one of agent or upstream.
 */
export interface RouteConfig {
  model: string;
  agent?: string;
  upstream?: string;
  /**
   * Model name written into the forwarded body.
   */
  upstreamModel?: string;
}
export interface ProfileConfig {
  /**
   * The path segment: /p/<name>/v1/...
   */
  name: string;
  /**
   * Bearer keys accepted under /p/<name>/ only (the top-level keys are refused there).
   *
   * @minItems 1
   */
  keys: [ApiKeyConfig, ...ApiKeyConfig[]];
  /**
   * Model id of the profile's single agent (default: the top-level one when the profile names no agents).
   */
  modelName?: string;
  /**
   * The profile's agents, spawned for it alone (default: the top-level agents, spawned again).
   */
  agents?: AgentConfig[];
  /**
   * The profile's upstreams (default: the top-level ones).
   */
  upstreams?: UpstreamConfig[];
  /**
   * The profile's model routes (default: the top-level ones).
   */
  routes?: RouteConfig[];
}
