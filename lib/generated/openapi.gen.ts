/* Generated from openapi.yaml by `npm run generate`. Do not edit. */
export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness (public). */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness (public), same body as /health. */
        get: operations["getHealthV1"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/detailed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness with store, agent, disk and run checks (auth). Degraded still answers 200. */
        get: operations["getHealthDetailed"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics (text exposition format). Needs a key unless the config sets metrics.public. */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List models (one per configured agent, plus route aliases). */
        get: operations["listModels"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{model}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get one model (the entry GET /v1/models lists for it).
         * @description Only the models the caller's key may use exist here; any other id is 404 model_not_found.
         */
        get: operations["getModel"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/capabilities": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Feature flags and endpoint map. */
        get: operations["getCapabilities"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/skills": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the skills (slash commands) each agent advertises.
         * @description One entry per command an agent advertises through ACP available_commands_update (name, description, input hint), with the model (agent) that offers it; only models the caller's key may use. An agent that has not advertised yet is asked through a short-lived session; an agent that is down lists nothing.
         */
        get: operations["listSkills"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/toolsets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the MCP servers configured for each agent, with their tools.
         * @description One entry per MCP server in agents[].mcpServers (passed to the agent as ACP mcpServers), its tools listed by the gateway through the MCP SDK and cached (5 min; a failed listing 30 s). A server that cannot be listed is enabled false with an `error`, never a 500.
         */
        get: operations["listToolsets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This contract as JSON (public).
         * @description The OpenAPI document the gateway enforces, self-contained (the schema files are bundled under components/schemas, every $ref is local), with info.version the gateway's version. Built once at start-up.
         */
        get: operations["getOpenApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/docs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * API reference page (public).
         * @description An HTML page that renders /openapi.json with swagger-ui, served offline from the gateway itself (assets under /docs/assets/). Every URL in it is relative, so it works behind a path prefix and under /p/<profile>/. Its Content-Security-Policy allows same-origin scripts, styles and fetches only.
         */
        get: operations["getDocs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/docs/assets/{asset}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A static asset of the API reference page (public).
         * @description The swagger-ui stylesheet and bundle from the installed swagger-ui-dist, and the page's start-up script. Only these names exist; any other is 400.
         */
        get: operations["getDocsAsset"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The web console (public page; every API call it makes needs a key).
         * @description A single-page console for people: chat, sessions, runs with approve/deny, jobs and status, built from console/ at build time and served offline (assets under /console/assets/). The page itself needs no key; the person pastes one, which the page keeps in sessionStorage and sends only as `Authorization: Bearer`. Its URLs are relative, so it works behind a path prefix and under /p/<profile>/. Its Content-Security-Policy allows same-origin scripts, styles and fetches only.
         */
        get: operations["getConsole"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/console/assets/{asset}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A static asset of the web console (public).
         * @description The console's script and stylesheet, bundled by `npm run build` (esbuild) into dist/console/. Only these names exist; any other is 400. Before the console is built, 404.
         */
        get: operations["getConsoleAsset"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/chat/completions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a chat completion (OpenAI-compatible).
         * @description Runs one agent turn. With `stream: true` the answer is SSE: unnamed `data:` frames carry chat.completion.chunk objects (first with delta.role, one with finish_reason and usage), named events `hermes.tool.progress`, `hermes.status` and `approval.request` carry gateway extras, `: keepalive` comments after 10 s idle, then `data: [DONE]`. Payload schemas by SSE event name are listed in `x-sse-events` ("message" = the unnamed `data:` frames, as SSE names them).
         */
        post: operations["createChatCompletion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/responses": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a response (OpenAI Responses API).
         * @description Runs one agent turn. With `stream: true`: the full OpenAI event sequence (`event: <type>` + JSON with a rising `sequence_number`), only event types the OpenAI spec defines. Payload schemas by event name in `x-sse-events`.
         */
        post: operations["createResponse"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/responses/{response_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a stored response. */
        get: operations["getResponse"];
        put?: never;
        post?: never;
        /** Delete a stored response (and conversation names pointing at it). */
        delete: operations["deleteResponse"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/responses/{response_id}/input_items": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the input items of a stored response (OpenAI list shape, cursor pagination).
         * @description The conversation the response was generated from: earlier turns (user messages, assistant messages with their function calls and outputs) and this turn's user message. Item ids are stable per response, so `after` pages through them.
         */
        get: operations["listResponseInputItems"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller's recent runs, newest first, with their status.
         * @description Runs started with this key (POST /v1/runs, session chats, job firings), newest first, each as GET /v1/runs/{run_id} reports it: the live status while a run goes, on whichever instance executes it. At most 200 runs per key are indexed; a finished run drops out once its status expires (runs.statusTtlSeconds). Streaming chat completions and Responses are not runs and are not listed.
         */
        get: operations["listRuns"];
        put?: never;
        /** Start an asynchronous agent run. */
        post: operations["createRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{run_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Run status. */
        get: operations["getRun"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{run_id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Run events (SSE) with replay.
         * @description Frames `id: <n>` + `data: <json>` (no `event:` line; the name is `data.event`), ids from 1; reconnect with Last-Event-ID to replay later events. `: keepalive` after 10 s idle; `: stream closed` at the end. Payload schemas by `data.event` in `x-sse-events` (any payload: schemas/runs.json#/$defs/RunEvent).
         */
        get: operations["streamRunEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{run_id}/stop": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stop a run (status → stopping, then cancelled). */
        post: operations["stopRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{run_id}/approval": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Answer a pending approval of a run (also chat-stream, Responses-stream and session-stream ids), on whichever instance executes it. */
        post: operations["respondRunApproval"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{run_id}/steer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Steer a running run (reference §6.8), on whichever instance executes it.
         * @description Only while the run's status is running (else 409 run_not_accepting_steer; an unknown or another key's run is 404). The text (input | message | text, flattened) goes live into the running turn when the agent advertises a `steer` command (hermes' `/steer`, sent as a second ACP session/prompt); otherwise it is queued and runs as the next turn of the run's session once the current turn ends. Until it reaches the agent the run status shows it as `pending_steer`; text never delivered stays there when the run ends. Emits run.steered.
         */
        post: operations["steerRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List jobs. */
        get: operations["listJobs"];
        put?: never;
        /** Create a scheduled job (200, not 201). */
        post: operations["createJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/schedule/parse": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Parse a schedule without creating a job (a dry run of POST /api/jobs' schedule).
         * @description Answers the schedule as a job created now would store it (kind, interval minutes, run_at or cron expression, display) and when it would first run, on the jobs clock and time zone (jobs.timezone). An unparseable schedule is 400 invalid_schedule with the parser's message, as POST /api/jobs answers it. Nothing is stored. The web console shows it before saving a job.
         */
        post: operations["parseJobSchedule"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{job_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a job. */
        get: operations["getJob"];
        put?: never;
        post?: never;
        /** Delete a job. */
        delete: operations["deleteJob"];
        options?: never;
        head?: never;
        /** Update a job (unknown keys are dropped). */
        patch: operations["updateJob"];
        trace?: never;
    };
    "/api/jobs/{job_id}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Pause a job. */
        post: operations["pauseJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{job_id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resume a job. */
        post: operations["resumeJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{job_id}/run": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run a job at the next scheduler tick (does not wait). */
        post: operations["runJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{job_id}/executions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A job's executions, newest first (each is a run; one still going shows its run's status now). */
        get: operations["listJobExecutions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List sessions by last activity. */
        get: operations["listSessions"];
        put?: never;
        /** Create a session. */
        post: operations["createSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{session_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a session. */
        get: operations["getSession"];
        put?: never;
        post?: never;
        /** Delete a session. */
        delete: operations["deleteSession"];
        options?: never;
        head?: never;
        /** Update title / flags / end a session. */
        patch: operations["updateSession"];
        trace?: never;
    };
    "/api/sessions/{session_id}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a session's messages (resolved to its live tip). */
        get: operations["listSessionMessages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{session_id}/fork": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Fork (branch) a session; the source is ended with end_reason "branched". */
        post: operations["forkSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{session_id}/chat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** One agent turn in a session (history from the store). */
        post: operations["chatSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{session_id}/chat/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * One agent turn in a session, streamed (SSE).
         * @description Frames `event: <name>` + `data: <json>`; every payload carries session_id, run_id, seq (1-based) and ts. Payload schemas by event name in `x-sse-events`.
         */
        post: operations["streamSessionChat"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sessions/{session_id}/model": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Lock a session to a model (used by its chats that name none).
         * @description Records the model (and provider, model_options) the session's later chats run on when they name no model; answers with the runtime that will serve them. No model → 400 missing_model; a model no agent serves → 409 model_lock_unavailable; a turn in progress → 409 session_active_turn.
         */
        post: operations["setSessionModel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description SSE payload of an unnamed `data:` frame of a chat stream (chat.completion.chunk). Sequence: role chunk, content/reasoning chunks, one finish chunk (finish_reason set, `usage` included; `error` {message,type} and `hermes` flags when the turn did not end with stop), then `data: [DONE]`. */
        CreateChatCompletionStreamResponse: {
            id: components["schemas"]["ChatCompletionId"];
            /**
             * @description Object type.
             * @constant
             */
            object: "chat.completion.chunk";
            created: components["schemas"]["UnixSeconds"];
            /** @description The requested model (or the default model id). */
            model: string;
            /** @description One choice (empty only on a usage-only chunk). */
            choices: components["schemas"]["ChatCompletionChunkChoice"][];
            /** @description Token usage; present in the finish chunk. */
            usage?: components["schemas"]["ChatUsage"] | null;
            /** @description OpenAI field (not normally sent). */
            system_fingerprint?: string | null;
            /** @description OpenAI field (not normally sent). */
            service_tier?: string | null;
            /** @description Failure after the SSE headers went out; makes the OpenAI SDK throw. */
            error?: {
                /** @description Redacted error text. */
                message: string;
                /** @description Error class (agent_error, server_error, exception class name…). */
                type: string;
                /** @description Error code, if any. */
                code?: string | null;
            } & {
                [key: string]: unknown;
            };
            hermes?: components["schemas"]["HermesResultFlags"];
        };
        /** @description Payload of the named SSE event `hermes.tool.progress` (one running event per tool start, one completed/failed per end; tools named _… without a call id are never sent). */
        ChatToolProgressEvent: {
            /** @description Tool name. */
            tool: string;
            /** @description Emoji for the tool kind (running events only). */
            emoji?: string;
            /** @description Preview built from the tool arguments / title (running events only). */
            label?: string;
            /** @description Tool call id. */
            toolCallId: string;
            /**
             * @description Tool status.
             * @enum {unknown}
             */
            status: "running" | "completed" | "failed";
            /** @description Always empty: lets the OpenAI SDK's chat stream helper, which reads every event as a chunk, pass over this one. */
            choices: unknown[];
        };
        /** @description Payload of the named SSE event `hermes.status` (agent notices such as provider waits). */
        ChatStatusEvent: {
            /** @description Notice kind / severity (info, warning, error, …). */
            kind: string;
            /** @description Redacted notice text. */
            text: string;
            /** @description Always empty: lets the OpenAI SDK's chat stream helper, which reads every event as a chunk, pass over this one. */
            choices: unknown[];
        } & {
            [key: string]: unknown;
        };
        ChatApprovalRequestEvent: components["schemas"]["ApprovalRequest"];
        /** @description Any Responses stream event payload (the SSE `event:` line equals `type`). */
        ResponseStreamEvent: components["schemas"]["ResponseCreatedEvent"] | components["schemas"]["ResponseInProgressEvent"] | components["schemas"]["ResponseCompletedEvent"] | components["schemas"]["ResponseFailedEvent"] | components["schemas"]["ResponseIncompleteEvent"] | components["schemas"]["ResponseOutputItemAddedEvent"] | components["schemas"]["ResponseOutputItemDoneEvent"] | components["schemas"]["ResponseContentPartAddedEvent"] | components["schemas"]["ResponseContentPartDoneEvent"] | components["schemas"]["ResponseOutputTextDeltaEvent"] | components["schemas"]["ResponseOutputTextDoneEvent"] | components["schemas"]["ResponseReasoningSummaryPartAddedEvent"] | components["schemas"]["ResponseReasoningSummaryPartDoneEvent"] | components["schemas"]["ResponseReasoningSummaryTextDeltaEvent"] | components["schemas"]["ResponseReasoningSummaryTextDoneEvent"] | components["schemas"]["ResponseErrorEvent"];
        /** @description First stream event; response.status in_progress, output []. */
        ResponseCreatedEvent: {
            /**
             * @description Event type.
             * @constant
             */
            type: "response.created";
            response: components["schemas"]["Response"];
            /** @description Event counter, starting at 0 and rising by one per event. */
            sequence_number: number;
        };
        /** @description Second stream event. */
        ResponseInProgressEvent: {
            /**
             * @description Event type.
             * @constant
             */
            type: "response.in_progress";
            response: components["schemas"]["Response"];
            /** @description Event counter, starting at 0 and rising by one per event. */
            sequence_number: number;
        };
        /** @description Terminal event on success (status completed). */
        ResponseCompletedEvent: {
            /**
             * @description Event type.
             * @constant
             */
            type: "response.completed";
            response: components["schemas"]["Response"];
            /** @description Event counter, starting at 0 and rising by one per event. */
            sequence_number: number;
        };
        /** @description Terminal event on failure (status failed, error set). */
        ResponseFailedEvent: {
            /**
             * @description Event type.
             * @constant
             */
            type: "response.failed";
            response: components["schemas"]["Response"];
            /** @description Event counter, starting at 0 and rising by one per event. */
            sequence_number: number;
        };
        /** @description Terminal event when truncated/refused/cancelled (status incomplete, incomplete_details set). */
        ResponseIncompleteEvent: {
            /**
             * @description Event type.
             * @constant
             */
            type: "response.incomplete";
            response: components["schemas"]["Response"];
            /** @description Event counter, starting at 0 and rising by one per event. */
            sequence_number: number;
        };
        /** @description An output item opened (status in_progress). */
        ResponseOutputItemAddedEvent: {
            /**
             * @description Event type.
             * @constant
             */
            type: "response.output_item.added";
            /** @description Index in output. */
            output_index: number;
            item: components["schemas"]["OutputItem"];
            /** @description Event counter, starting at 0 and rising by one per event. */
            sequence_number: number;
        };
        /** @description An output item closed (final form). */
        ResponseOutputItemDoneEvent: {
            /**
             * @description Event type.
             * @constant
             */
            type: "response.output_item.done";
            /** @description Index in output. */
            output_index: number;
            item: components["schemas"]["OutputItem"];
            /** @description Event counter, starting at 0 and rising by one per event. */
            sequence_number: number;
        };
        /** @description A content part of a message item opened (text ""). */
        ResponseContentPartAddedEvent: {
            /**
             * @description Event type.
             * @constant
             */
            type: "response.content_part.added";
            /** @description Message item id. */
            item_id: string;
            /** @description Index in output. */
            output_index: number;
            /** @description Index in content. */
            content_index: number;
            part: components["schemas"]["OutputTextContent"];
            /** @description Event counter, starting at 0 and rising by one per event. */
            sequence_number: number;
        };
        /** @description A content part closed (full text). */
        ResponseContentPartDoneEvent: {
            /**
             * @description Event type.
             * @constant
             */
            type: "response.content_part.done";
            /** @description Message item id. */
            item_id: string;
            /** @description Index in output. */
            output_index: number;
            /** @description Index in content. */
            content_index: number;
            part: components["schemas"]["OutputTextContent"];
            /** @description Event counter, starting at 0 and rising by one per event. */
            sequence_number: number;
        };
        /** @description Text delta. */
        ResponseOutputTextDeltaEvent: {
            /**
             * @description Event type.
             * @constant
             */
            type: "response.output_text.delta";
            /** @description Message item id. */
            item_id: string;
            /** @description Index in output. */
            output_index: number;
            /** @description Index in content. */
            content_index: number;
            /** @description Text delta. */
            delta: string;
            /** @description Always []. */
            logprobs: unknown[];
            /** @description Event counter, starting at 0 and rising by one per event. */
            sequence_number: number;
        };
        /** @description Full text of a content part. */
        ResponseOutputTextDoneEvent: {
            /**
             * @description Event type.
             * @constant
             */
            type: "response.output_text.done";
            /** @description Message item id. */
            item_id: string;
            /** @description Index in output. */
            output_index: number;
            /** @description Index in content. */
            content_index: number;
            /** @description Full text. */
            text: string;
            /** @description Always []. */
            logprobs: unknown[];
            /** @description Event counter, starting at 0 and rising by one per event. */
            sequence_number: number;
        };
        /** @description A reasoning summary part opened (text ""). */
        ResponseReasoningSummaryPartAddedEvent: {
            /**
             * @description Event type.
             * @constant
             */
            type: "response.reasoning_summary_part.added";
            /** @description Reasoning item id. */
            item_id: string;
            /** @description Index in output. */
            output_index: number;
            /** @description Index in summary. */
            summary_index: number;
            part: components["schemas"]["SummaryText"];
            /** @description Event counter, starting at 0 and rising by one per event. */
            sequence_number: number;
        };
        /** @description A reasoning summary part closed (full text). */
        ResponseReasoningSummaryPartDoneEvent: {
            /**
             * @description Event type.
             * @constant
             */
            type: "response.reasoning_summary_part.done";
            /** @description Reasoning item id. */
            item_id: string;
            /** @description Index in output. */
            output_index: number;
            /** @description Index in summary. */
            summary_index: number;
            part: components["schemas"]["SummaryText"];
            /** @description Event counter, starting at 0 and rising by one per event. */
            sequence_number: number;
        };
        /** @description Reasoning text delta. */
        ResponseReasoningSummaryTextDeltaEvent: {
            /**
             * @description Event type.
             * @constant
             */
            type: "response.reasoning_summary_text.delta";
            /** @description Reasoning item id. */
            item_id: string;
            /** @description Index in output. */
            output_index: number;
            /** @description Index in summary. */
            summary_index: number;
            /** @description Reasoning delta. */
            delta: string;
            /** @description Event counter, starting at 0 and rising by one per event. */
            sequence_number: number;
        };
        /** @description Full reasoning summary text. */
        ResponseReasoningSummaryTextDoneEvent: {
            /**
             * @description Event type.
             * @constant
             */
            type: "response.reasoning_summary_text.done";
            /** @description Reasoning item id. */
            item_id: string;
            /** @description Index in output. */
            output_index: number;
            /** @description Index in summary. */
            summary_index: number;
            /** @description Full reasoning text. */
            text: string;
            /** @description Event counter, starting at 0 and rising by one per event. */
            sequence_number: number;
        };
        /** @description Stream-level error (OpenAI `error` event); the gateway normally reports failures with response.failed instead. */
        ResponseErrorEvent: {
            /**
             * @description Event type.
             * @constant
             */
            type: "error";
            /** @description Error code. */
            code: string | null;
            /** @description Error message. */
            message: string;
            /** @description Parameter, if any. */
            param: string | null;
            /** @description Event counter, starting at 0 and rising by one per event. */
            sequence_number: number;
        };
        /** @description Any run event payload. */
        RunEvent: components["schemas"]["RunStartedEvent"] | components["schemas"]["RunMessageDeltaEvent"] | components["schemas"]["RunReasoningDeltaEvent"] | components["schemas"]["RunToolStartedEvent"] | components["schemas"]["RunToolCompletedEvent"] | components["schemas"]["RunPlanUpdatedEvent"] | components["schemas"]["RunApprovalRequestEvent"] | components["schemas"]["RunApprovalRespondedEvent"] | components["schemas"]["RunSteeredEvent"] | components["schemas"]["RunCompletedEvent"] | components["schemas"]["RunFailedEvent"] | components["schemas"]["RunCancelledEvent"] | components["schemas"]["RunInterruptedEvent"];
        /** @description Common fields of every run event payload (SSE `data:` of GET /v1/runs/{run_id}/events; frames carry `id: <n>` and no `event:` line). */
        RunEventBase: {
            /** @description Event name. */
            event: string;
            /** @description Run id. */
            run_id: string;
            timestamp: components["schemas"]["UnixSecondsFloat"];
        } & {
            [key: string]: unknown;
        };
        /** @description The agent turn started. */
        RunStartedEvent: components["schemas"]["RunEventBase"] & ({
            /**
             * @description Event name.
             * @constant
             */
            event: "run.started";
            /** @description Session id. */
            session_id?: string | null;
            /** @description Model id. */
            model?: string;
        } & {
            [key: string]: unknown;
        });
        /** @description Answer text delta. */
        RunMessageDeltaEvent: components["schemas"]["RunEventBase"] & ({
            /**
             * @description Event name.
             * @constant
             */
            event: "message.delta";
            /** @description Text delta. */
            delta: string;
        } & {
            [key: string]: unknown;
        });
        /** @description Reasoning delta. */
        RunReasoningDeltaEvent: components["schemas"]["RunEventBase"] & ({
            /**
             * @description Event name.
             * @constant
             */
            event: "reasoning.delta";
            /** @description Reasoning delta. */
            delta: string;
        } & {
            [key: string]: unknown;
        });
        /** @description A tool call started. */
        RunToolStartedEvent: components["schemas"]["RunEventBase"] & ({
            /**
             * @description Event name.
             * @constant
             */
            event: "tool.started";
            /** @description Tool name. */
            tool: string;
            /** @description Tool call title / argument preview. */
            preview?: string | null;
            /** @description Tool call id. */
            tool_call_id?: string;
        } & {
            [key: string]: unknown;
        });
        /** @description A tool call ended. */
        RunToolCompletedEvent: components["schemas"]["RunEventBase"] & ({
            /**
             * @description Event name.
             * @constant
             */
            event: "tool.completed";
            /** @description Tool name. */
            tool: string;
            /** @description Seconds (3 decimals). */
            duration?: number;
            /** @description Whether the tool failed. */
            error: boolean;
            /** @description Redacted result preview (≤500 chars). */
            preview?: string | null;
            /** @description Tool call id. */
            tool_call_id?: string;
        } & {
            [key: string]: unknown;
        });
        /** @description The agent plan changed (ACP plan). */
        RunPlanUpdatedEvent: components["schemas"]["RunEventBase"] & ({
            /**
             * @description Event name.
             * @constant
             */
            event: "plan.updated";
            /** @description Plan entries. */
            entries: ({
                /** @description Entry text. */
                content: string;
                /**
                 * @description Priority.
                 * @enum {unknown}
                 */
                priority?: "high" | "medium" | "low";
                /**
                 * @description Status.
                 * @enum {unknown}
                 */
                status: "pending" | "in_progress" | "completed";
            } & {
                [key: string]: unknown;
            })[];
        } & {
            [key: string]: unknown;
        });
        /** @description approval.request: the run waits for POST /v1/runs/{run_id}/approval. */
        RunApprovalRequestEvent: components["schemas"]["RunEventBase"] & components["schemas"]["ApprovalRequest"] & ({
            /**
             * @description Event name.
             * @constant
             */
            event: "approval.request";
        } & {
            [key: string]: unknown;
        });
        /** @description An approval was answered (choice "cancelled", resolved 0 when the agent withdrew it). */
        RunApprovalRespondedEvent: components["schemas"]["RunEventBase"] & ({
            /**
             * @description Event name.
             * @constant
             */
            event: "approval.responded";
            /** @description Choice applied. */
            choice: string;
            /** @description Answered request id. */
            request_id?: string;
            /** @description Number resolved. */
            resolved: number;
        } & {
            [key: string]: unknown;
        });
        /** @description Terminal: the run completed. */
        RunCompletedEvent: components["schemas"]["RunEventBase"] & ({
            /**
             * @description Event name.
             * @constant
             */
            event: "run.completed";
            /** @description Final answer text. */
            output: string | null;
            /** @description Token usage. */
            usage?: components["schemas"]["RunUsage"] | null;
            /** @description Runtime. */
            runtime?: {
                [key: string]: unknown;
            };
            /** @description Whether the turn completed. */
            completed?: boolean;
            /** @description Whether the output is partial. */
            partial?: boolean;
            /** @description Steer text accepted for the run that never reached the agent. */
            pending_steer?: string;
            /** @description Whether the turn was interrupted. */
            interrupted?: boolean;
            /** @description Why the turn ended when not a plain end_turn. */
            turn_exit_reason?: string;
        } & {
            [key: string]: unknown;
        });
        /** @description Terminal: the run failed. */
        RunFailedEvent: components["schemas"]["RunEventBase"] & ({
            /**
             * @description Event name.
             * @constant
             */
            event: "run.failed";
            /** @description Redacted error text. */
            error: string;
            /** @description Partial output, if any. */
            output?: string | null;
            /** @description Whether the turn completed. */
            completed?: boolean;
            /** @description Whether the output is partial. */
            partial?: boolean;
            /** @description Steer text accepted for the run that never reached the agent. */
            pending_steer?: string;
            /** @description Whether the turn was interrupted. */
            interrupted?: boolean;
            /** @description Why the turn ended when not a plain end_turn. */
            turn_exit_reason?: string;
        } & {
            [key: string]: unknown;
        });
        /** @description Terminal: the run was stopped. */
        RunCancelledEvent: components["schemas"]["RunEventBase"] & ({
            /**
             * @description Event name.
             * @constant
             */
            event: "run.cancelled";
            /** @description Partial output, if any. */
            output?: string | null;
            /** @description Whether the turn completed. */
            completed?: boolean;
            /** @description Whether the output is partial. */
            partial?: boolean;
            /** @description Steer text accepted for the run that never reached the agent. */
            pending_steer?: string;
            /** @description Whether the turn was interrupted. */
            interrupted?: boolean;
            /** @description Why the turn ended when not a plain end_turn. */
            turn_exit_reason?: string;
        } & {
            [key: string]: unknown;
        });
        /** @description Terminal: a gateway shutdown or restart cut the run short (status interrupted; retry it). */
        RunInterruptedEvent: components["schemas"]["RunEventBase"] & ({
            /**
             * @description Event name.
             * @constant
             */
            event: "run.interrupted";
            /** @description Why: `Gateway shutdown interrupted the run.` or `The gateway restarted before this run settled.` */
            error: string;
            /** @description Partial output, if any. */
            output?: string | null;
            /** @description Always false. */
            completed?: boolean;
            /** @description Whether there is partial output. */
            partial?: boolean;
            /** @description Steer text accepted for the run that never reached the agent. */
            pending_steer?: string;
            /** @description Always true. */
            interrupted?: boolean;
        } & {
            [key: string]: unknown;
        });
        /** @description Session stream event `run.started`. */
        SessionStreamRunStartedEvent: {
            /** @description The user message. */
            user_message: {
                /**
                 * @description Role.
                 * @constant
                 */
                role: "user";
                content: unknown;
            } & {
                [key: string]: unknown;
            };
            runtime?: components["schemas"]["SessionRuntime"];
            /** @description Session id. */
            session_id: string;
            /** @description Run id (usable with /v1/runs/{run_id}). */
            run_id: string;
            /** @description 1-based sequence number. */
            seq: number;
            /** @description Epoch seconds (float). */
            ts: number;
        } & {
            [key: string]: unknown;
        };
        /** @description Session stream event `message.started`. */
        SessionStreamMessageStartedEvent: {
            /** @description Assistant message. */
            message: {
                /** @description Message id: "msg_" + 32 hex. */
                id: string;
                /**
                 * @description Role.
                 * @constant
                 */
                role: "assistant";
            } & {
                [key: string]: unknown;
            };
            /** @description Session id. */
            session_id: string;
            /** @description Run id (usable with /v1/runs/{run_id}). */
            run_id: string;
            /** @description 1-based sequence number. */
            seq: number;
            /** @description Epoch seconds (float). */
            ts: number;
        } & {
            [key: string]: unknown;
        };
        /** @description Session stream event `assistant.delta`. */
        SessionStreamAssistantDeltaEvent: {
            /** @description Message id. */
            message_id: string;
            /** @description Text delta. */
            delta: string;
            /** @description Session id. */
            session_id: string;
            /** @description Run id (usable with /v1/runs/{run_id}). */
            run_id: string;
            /** @description 1-based sequence number. */
            seq: number;
            /** @description Epoch seconds (float). */
            ts: number;
        } & {
            [key: string]: unknown;
        };
        /** @description Session stream event `reasoning.delta` (or `tool.progress` with tool_name "_thinking"). */
        SessionStreamReasoningDeltaEvent: {
            /** @description Message id. */
            message_id?: string;
            /** @description Reasoning delta. */
            delta: string;
            /** @description "_thinking" on tool.progress. */
            tool_name?: string;
            /** @description Session id. */
            session_id: string;
            /** @description Run id (usable with /v1/runs/{run_id}). */
            run_id: string;
            /** @description 1-based sequence number. */
            seq: number;
            /** @description Epoch seconds (float). */
            ts: number;
        } & {
            [key: string]: unknown;
        };
        /** @description Session stream events `tool.started`, `tool.completed`, `tool.failed`. */
        SessionStreamToolEvent: {
            /** @description Message id. */
            message_id?: string;
            /** @description Tool name. */
            tool_name: string;
            /** @description Preview. */
            preview?: string | null;
            /** @description Tool arguments. */
            args?: {
                [key: string]: unknown;
            } | null;
            /** @description Tool call id. */
            tool_call_id?: string;
            /** @description Error (tool.failed). */
            error?: string | boolean | null;
            /** @description Session id. */
            session_id: string;
            /** @description Run id (usable with /v1/runs/{run_id}). */
            run_id: string;
            /** @description 1-based sequence number. */
            seq: number;
            /** @description Epoch seconds (float). */
            ts: number;
        } & {
            [key: string]: unknown;
        };
        /** @description Session stream event `assistant.commentary`. */
        SessionStreamCommentaryEvent: {
            /** @description Message id. */
            message_id?: string;
            /** @description Commentary text. */
            text: string;
            /** @description Whether it was streamed as deltas. */
            already_streamed?: boolean;
            /** @description Session id. */
            session_id: string;
            /** @description Run id (usable with /v1/runs/{run_id}). */
            run_id: string;
            /** @description 1-based sequence number. */
            seq: number;
            /** @description Epoch seconds (float). */
            ts: number;
        } & {
            [key: string]: unknown;
        };
        /** @description Session stream event `approval.request`. */
        SessionStreamApprovalRequestEvent: components["schemas"]["ApprovalRequest"] & ({
            /** @description Session id. */
            session_id: string;
            /** @description Run id (usable with /v1/runs/{run_id}). */
            run_id: string;
            /** @description 1-based sequence number. */
            seq: number;
            /** @description Epoch seconds (float). */
            ts: number;
        } & {
            [key: string]: unknown;
        });
        /** @description Session stream event `assistant.completed`. */
        SessionStreamAssistantCompletedEvent: {
            /** @description Message id. */
            message_id: string;
            /** @description Final text. */
            content?: string | null;
            /** @description Completed. */
            completed?: boolean;
            /** @description Partial. */
            partial?: boolean;
            /** @description Interrupted. */
            interrupted?: boolean;
            /** @description Turn exit reason. */
            turn_exit_reason?: string;
            /** @description Undelivered steer text. */
            pending_steer?: string | null;
            runtime?: components["schemas"]["SessionRuntime"];
            /** @description Session id. */
            session_id: string;
            /** @description Run id (usable with /v1/runs/{run_id}). */
            run_id: string;
            /** @description 1-based sequence number. */
            seq: number;
            /** @description Epoch seconds (float). */
            ts: number;
        } & {
            [key: string]: unknown;
        };
        /** @description Session stream events `run.completed`, `run.failed`, `run.cancelled`. */
        SessionStreamRunTerminalEvent: {
            /** @description Message id. */
            message_id?: string | null;
            /** @description Completed. */
            completed?: boolean;
            /** @description Partial. */
            partial?: boolean;
            /** @description Interrupted. */
            interrupted?: boolean;
            /** @description Error (run.failed). */
            error?: string | null;
            /** @description This turn's assistant/tool rows. */
            messages: components["schemas"]["SessionMessage"][];
            /** @description Usage. */
            usage?: components["schemas"]["RunUsage"] | null;
            runtime?: components["schemas"]["SessionRuntime"];
            /** @description Session id. */
            session_id: string;
            /** @description Run id (usable with /v1/runs/{run_id}). */
            run_id: string;
            /** @description 1-based sequence number. */
            seq: number;
            /** @description Epoch seconds (float). */
            ts: number;
        } & {
            [key: string]: unknown;
        };
        /** @description Session stream event `error`. */
        SessionStreamErrorEvent: {
            /** @description Error text. */
            message: string;
            /** @description Session id. */
            session_id: string;
            /** @description Run id (usable with /v1/runs/{run_id}). */
            run_id: string;
            /** @description 1-based sequence number. */
            seq: number;
            /** @description Epoch seconds (float). */
            ts: number;
        } & {
            [key: string]: unknown;
        };
        /** @description Session stream event `done` (last). */
        SessionStreamDoneEvent: {
            /** @description Session id. */
            session_id: string;
            /** @description Run id (usable with /v1/runs/{run_id}). */
            run_id: string;
            /** @description 1-based sequence number. */
            seq: number;
            /** @description Epoch seconds (float). */
            ts: number;
        } & {
            [key: string]: unknown;
        };
        /** @description Hermes result flags. Sent as `hermes` on a soft-partial chat completion (200), in the finish chunk of a stream that did not end with stop, and inside error.hermes on 502 agent_incomplete. Absent on a clean success. */
        HermesResultFlags: {
            /** @description Whether the agent turn completed. */
            completed: boolean;
            /** @description Whether the output is partial (e.g. truncated). */
            partial: boolean;
            /** @description Whether the agent turn failed. */
            failed: boolean;
            /** @description Whether the turn was interrupted (cancelled). */
            interrupted?: boolean;
            /** @description Redacted error text, if any. */
            error?: string | null;
            /**
             * @description output_truncated (finish_reason length) or agent_error.
             * @enum {string}
             */
            error_code?: "output_truncated" | "agent_error";
            /** @description True when the agent reported no usage and the token counts are estimates. */
            usage_estimated?: boolean;
            /** @description Why the turn ended when it is not a plain end_turn (e.g. max_tokens, max_turn_requests, refusal, cancelled). */
            turn_exit_reason?: string;
        } & {
            [key: string]: unknown;
        };
        /** @description One explicit history message: {role, content}. */
        ConversationHistoryItem: {
            /** @description Message role (user, assistant, system, tool…). */
            role: string;
            content: components["schemas"]["MessageContent"];
        } & {
            [key: string]: unknown;
        };
        /** @description Message content: a string, an array of content parts, or null (assistant messages that only carry tool_calls). */
        MessageContent: string | components["schemas"]["ContentPart"][] | null;
        /** @description One content part of a multimodal message: {"type":"text"|"input_text"|"output_text","text"} or {"type":"image_url","image_url":{"url","detail"?}} / {"type":"input_image","image_url":"…"}. Other part types (file, input_file, …) are rejected by the handler with 400 unsupported_content_type. */
        ContentPart: {
            /** @description Part type: text, input_text, output_text, image_url, input_image (others are rejected by the handler). */
            type?: string;
            /** @description Text of a text part. */
            text?: string;
            /** @description Image reference: an object {url, detail?} (chat) or a URL string (Responses input_image). http(s) or data:image/… URLs only. */
            image_url?: string | ({
                /** @description http(s):// or data:image/…;base64,… URL. */
                url?: string;
                /** @description Image detail hint (auto, low, high). */
                detail?: string;
            } & {
                [key: string]: unknown;
            });
        } & {
            [key: string]: unknown;
        };
        /** @description The error object. `param` and `code` are always present (null when not applicable). Extra members are allowed (e.g. `hermes` result flags on 502 agent_incomplete). */
        ErrorObject: {
            /** @description Human-readable error message (secrets redacted). */
            message: string;
            /** @description Error class: invalid_request_error, gateway_auth_error, permission_error, not_found_error, rate_limit_error, server_error. */
            type: string;
            /** @description The request parameter the error refers to, if any. */
            param: string | null;
            /** @description Machine-readable error code. The catalogue (lib/errors.ts): agent_incomplete, agent_unavailable, approval_not_active, approval_not_pending, body_too_large, expectation_failed, gateway_auth_failed, gateway_draining, idempotency_key_conflict, invalid_approval_choice, invalid_approval_request, invalid_content_length, invalid_http_request, invalid_idempotency_key, invalid_image_url, invalid_job_id, invalid_json, invalid_path, invalid_schedule, invalid_steer_input, invalid_system_message, job_not_found, job_terminal, method_not_allowed, missing_message, missing_model, model_lock_unavailable, model_not_allowed, model_not_found, no_agent_configured, not_found, not_implemented, previous_response_not_found, rate_limit_exceeded, request_header_fields_too_large, request_timeout, response_not_found, run_not_accepting_steer, run_not_active, run_not_found, run_owner_unreachable, server_error, store_unavailable, unsupported_content_type, unsupported_media_type, upstream_invalid_response, upstream_timeout, upstream_unavailable. */
            code: string | null;
            hermes?: components["schemas"]["HermesResultFlags"];
        } & {
            [key: string]: unknown;
        };
        /** @description The one error envelope used by every route (jobs included): {"error":{"message","type","param","code"}}. */
        ErrorEnvelope: {
            error: components["schemas"]["ErrorObject"];
        };
        /** @description Liveness: always 200 while the process serves HTTP. */
        Health: {
            /**
             * @description Always ok.
             * @constant
             */
            status: "ok";
            /**
             * @description Platform name.
             * @constant
             */
            platform: "agent-gateway";
            /** @description Gateway version (package.json). */
            version: string;
        };
        /**
         * @description Readiness check status: ok, degraded (working with a problem) or down.
         * @enum {unknown}
         */
        CheckStatus: "ok" | "degraded" | "down";
        /** @description GET /health/detailed (auth). A degraded status still answers 200. */
        HealthDetailed: {
            /**
             * @description Overall status.
             * @enum {unknown}
             */
            status: "ok" | "degraded";
            /**
             * @description Platform name.
             * @constant
             */
            platform: "agent-gateway";
            /** @description Gateway version. */
            version: string;
            /** @description Readiness checks. */
            readiness: {
                status: components["schemas"]["CheckStatus"];
                /** @description Individual checks. */
                checks: {
                    /** @description State store check. */
                    store: {
                        status: components["schemas"]["CheckStatus"];
                        /** @description sqlite, redis or memory. */
                        backend: string;
                        /** @description Round-trip latency of a probe. */
                        latency_ms?: number;
                        /** @description Error text when not ok. */
                        error?: string;
                    } & {
                        [key: string]: unknown;
                    };
                    /** @description Agent process pools. */
                    agents: {
                        status: components["schemas"]["CheckStatus"];
                        /** @description One entry per configured agent. */
                        agents: ({
                            /** @description Agent (model) id. */
                            id: string;
                            /**
                             * @description up: at least one process ready; starting: none ready yet; down: none running.
                             * @enum {unknown}
                             */
                            status: "up" | "starting" | "down";
                            /** @description Live processes. */
                            processes: number;
                            /** @description Initialized, idle-or-busy processes. */
                            ready: number;
                            /** @description Process restarts since start. */
                            restarts: number;
                            /** @description Last process error, else null. */
                            last_error: string | null;
                        } & {
                            [key: string]: unknown;
                        })[];
                    } & {
                        [key: string]: unknown;
                    };
                    /** @description Free space where the configuration writes (the SQLite file's folder, or the data directory once something was written there); absent when nothing is written to disk (a Redis or memory store with configured keys). */
                    disk?: {
                        status: components["schemas"]["CheckStatus"];
                        /** @description Free bytes. */
                        free_bytes: number;
                        /** @description Used percent. */
                        used_percent: number;
                    } & {
                        [key: string]: unknown;
                    };
                    /** @description Concurrency. */
                    runs: {
                        status: components["schemas"]["CheckStatus"];
                        /** @description Active runs/turns. */
                        active_runs: number;
                        /** @description Cap (0 = unlimited). */
                        max_concurrent_runs: number;
                    } & {
                        [key: string]: unknown;
                    };
                } & {
                    [key: string]: unknown;
                };
            } & {
                [key: string]: unknown;
            };
            /** @description Seconds since start. */
            uptime_seconds: number;
            /** @description Process id. */
            pid: number;
            /** @description Whether the gateway is draining (shutdown). */
            draining: boolean;
        } & {
            [key: string]: unknown;
        };
        /** @description Epoch seconds (integer). */
        UnixSeconds: number;
        /** @description One model: a configured agent or a model route alias. */
        Model: {
            /** @description Model id (agent ACP agentInfo.name by default, or configured name / alias). */
            id: string;
            /**
             * @description Object type.
             * @constant
             */
            object: "model";
            created: components["schemas"]["UnixSeconds"];
            /** @description Owner (agent gateway / agent vendor). */
            owned_by: string;
            /** @description Always []. */
            permission: {
                [key: string]: unknown;
            }[];
            /** @description Underlying model/agent id. */
            root: string;
            /** @description Parent model id for aliases, else null. */
            parent: string | null;
        };
        /** @description GET /v1/models. */
        ModelList: {
            /**
             * @description Object type.
             * @constant
             */
            object: "list";
            /** @description Models. */
            data: components["schemas"]["Model"][];
        };
        /** @description Idempotency-Key support on POST /v1/runs. */
        RunsIdempotencyFeature: {
            /** @description Whether Idempotency-Key is honoured. */
            supported: boolean;
            /** @description Whether keys survive restarts (persistent store). */
            durable: boolean;
            /** @description How long keys are kept. */
            retention_seconds: number;
        } & {
            [key: string]: unknown;
        };
        /** @description An endpoint descriptor. */
        CapabilityEndpoint: {
            /**
             * @description HTTP method.
             * @enum {unknown}
             */
            method: "GET" | "POST" | "PATCH" | "DELETE" | "PUT";
            /** @description Path template. */
            path: string;
        };
        /** @description GET /v1/capabilities (Hermes NEW shape with platform agent-gateway). Feature flags flip on as capabilities land. */
        Capabilities: {
            /**
             * @description Object type.
             * @constant
             */
            object: "hermes.api_server.capabilities";
            /**
             * @description Platform name.
             * @constant
             */
            platform: "agent-gateway";
            /** @description Default model id. */
            model: string;
            /** @description Auth settings. */
            auth: {
                /**
                 * @description Auth scheme.
                 * @constant
                 */
                type: "bearer";
                /** @description Always true (auth is never off). */
                required: boolean;
            } & {
                [key: string]: unknown;
            };
            /** @description Where the agent and its tools run. */
            runtime: {
                /** @description server_agent. */
                mode: string;
                /** @description server. */
                tool_execution: string;
                /** @description Always false. */
                split_runtime?: boolean;
                /** @description Human description. */
                description?: string;
            } & {
                [key: string]: unknown;
            };
            /** @description Feature flags (booleans) plus a few descriptor objects/strings. Unknown keys are booleans or objects. */
            features: {
                /** @description Chat completions. */
                chat_completions?: boolean;
                /** @description Chat streaming. */
                chat_completions_streaming?: boolean;
                /** @description Responses API. */
                responses_api?: boolean;
                /** @description Responses streaming. */
                responses_streaming?: boolean;
                /** @description POST /v1/runs. */
                run_submission?: boolean;
                runs_idempotency: components["schemas"]["RunsIdempotencyFeature"];
                /** @description GET /v1/runs/{id}. */
                run_status?: boolean;
                /** @description Run events SSE. */
                run_events_sse?: boolean;
                /** @description Run stop. */
                run_stop?: boolean;
                /** @description Run steer. */
                run_steer?: boolean;
                /** @description Run approval. */
                run_approval_response?: boolean;
                /** @description hermes.tool.progress events on chat streams. */
                tool_progress_events?: boolean;
                /** @description approval.request events. */
                approval_events?: boolean;
                /** @description Sessions API. */
                session_resources?: boolean;
                /** @description model_options honoured. */
                model_options?: boolean;
                /** @description Session chat. */
                session_chat?: boolean;
                /** @description Session chat stream. */
                session_chat_streaming?: boolean;
                /** @description Session fork. */
                session_fork?: boolean;
                /** @description Session model lock. */
                session_model_lock?: boolean;
                /** @description Reasoning deltas are streamed. */
                reasoning_streaming?: boolean;
                /** @description Admin config API. */
                admin_config_rw?: boolean;
                /** @description Jobs API. */
                jobs_admin?: boolean;
                /** @description Memory write API. */
                memory_write_api?: boolean;
                /** @description Skills API. */
                skills_api?: boolean;
                /** @description Audio API. */
                audio_api?: boolean;
                /** @description Realtime voice. */
                realtime_voice?: boolean;
                /**
                 * @description Session continuity header name.
                 * @constant
                 */
                session_continuity_header: "X-Hermes-Session-Id";
                /**
                 * @description Session key header name.
                 * @constant
                 */
                session_key_header: "X-Hermes-Session-Key";
                /** @description Whether any CORS origins are configured. */
                cors?: boolean;
                /** @description Browser control descriptor (disabled). */
                browser_extension_control?: {
                    /** @description Enabled. */
                    enabled?: boolean;
                } & {
                    [key: string]: unknown;
                };
            } & {
                [key: string]: boolean | {
                    [key: string]: unknown;
                };
            };
            /** @description Endpoint descriptors by name (health, models, chat_completions, responses, runs, run_status, run_events, run_approval, run_stop, skills, toolsets, sessions, …). */
            endpoints: {
                [key: string]: components["schemas"]["CapabilityEndpoint"];
            };
        } & {
            [key: string]: unknown;
        };
        /** @description A skill: a slash command an agent advertises (ACP available_commands_update). */
        Skill: {
            /** @description Skill (command) name, without the slash. */
            name: string;
            /** @description Skill description. */
            description: string;
            /** @description Category: always null (ACP commands have none). */
            category?: string | null;
            /** @description What to type after the command, when it takes input. */
            input_hint?: string | null;
            /** @description The model (agent) that advertises it. */
            model?: string;
        } & {
            [key: string]: unknown;
        };
        /** @description GET /v1/skills. */
        SkillList: {
            /**
             * @description Object type.
             * @constant
             */
            object: "list";
            /** @description Skills. */
            data: components["schemas"]["Skill"][];
        };
        /** @description Epoch seconds (float). */
        UnixSecondsFloat: number;
        /** @description A toolset: one MCP server configured for an agent (agents[].mcpServers). enabled: its tools could be listed; configured: always true. */
        Toolset: {
            /** @description Toolset name. */
            name: string;
            /** @description Display label. */
            label: string;
            /** @description Description. */
            description: string;
            /** @description Enabled. */
            enabled: boolean;
            /** @description Configured. */
            configured: boolean;
            /** @description Tool names, sorted. */
            tools: string[];
            /** @description The model (agent) the MCP server is configured for. */
            model?: string;
            /**
             * @description How the MCP server is reached.
             * @enum {unknown}
             */
            transport?: "stdio" | "http" | "sse";
            /** @description Why the tools could not be listed (then enabled is false); null when they were. */
            error?: string | null;
            listed_at?: components["schemas"]["UnixSecondsFloat"];
        } & {
            [key: string]: unknown;
        };
        /** @description GET /v1/toolsets. */
        ToolsetList: {
            /**
             * @description Object type.
             * @constant
             */
            object: "list";
            /**
             * @description Platform name (Hermes says api_server; the gateway's identity fields say agent-gateway).
             * @constant
             */
            platform: "agent-gateway";
            /** @description Toolsets. */
            data: components["schemas"]["Toolset"][];
        };
        /** @description One input message. Roles system/developer are layered onto the agent prompt; user and assistant are kept; tool/function are dropped. The last kept message is the turn input. */
        ChatMessage: {
            /** @description Message role: system, developer, user, assistant, tool, function. */
            role: string;
            content?: components["schemas"]["MessageContent"];
            /** @description Optional participant name (ignored). */
            name?: string;
        } & {
            [key: string]: unknown;
        };
        /** @description Free-form metadata object; passed through as relay metadata. */
        RequestMetadata: {
            [key: string]: unknown;
        };
        /** @description Per-request runtime overrides (reasoning_effort, reasoning {enabled, effort}, service_tier, fast). Options the agent does not support are ignored. */
        ModelOptions: {
            /** @description Reasoning effort hint (mapped to an ACP thought_level config option when present). */
            reasoning_effort?: string;
            /** @description Reasoning settings. */
            reasoning?: {
                /** @description Enable reasoning. */
                enabled?: boolean;
                /** @description Reasoning effort. */
                effort?: string;
            } & {
                [key: string]: unknown;
            };
            /** @description Service tier hint. */
            service_tier?: string;
            /** @description Shortcut for service_tier priority. */
            fast?: boolean;
        } & {
            [key: string]: unknown;
        };
        /** @description OpenAI-compatible chat completion request. Unknown fields (temperature, tools, tool_choice, max_tokens, n, stream_options, …) are accepted and ignored. */
        CreateChatCompletionRequest: {
            /** @description Model id from /v1/models (agent id or route alias); echoed back. Unknown → 404 model_not_found. */
            model?: string;
            /** @description Conversation messages; the last user/assistant message is the turn input. */
            messages: components["schemas"]["ChatMessage"][];
            /** @description Stream chat.completion.chunk objects over SSE. */
            stream?: boolean;
            /** @description Accepted and ignored: usage is always sent in the finish chunk. */
            stream_options?: {
                [key: string]: unknown;
            } | null;
            metadata?: components["schemas"]["RequestMetadata"];
            /** @description Provider override (proxy mode / model routes). */
            provider?: string;
            model_options?: components["schemas"]["ModelOptions"];
            /** @description "diagnostic" mutes the presented text (only with an explicit X-Hermes-Session-Id). */
            hermes_notification_category?: string;
            /** @description End-user id (ignored). */
            user?: string;
        } & {
            [key: string]: unknown;
        };
        /** @description Chat completion id: "chatcmpl-" + 29 lowercase hex. */
        ChatCompletionId: string;
        /** @description The assistant message of a non-streaming completion. */
        ChatCompletionMessage: {
            /**
             * @description Always assistant.
             * @constant
             */
            role: "assistant";
            /** @description Final answer text. */
            content: string | null;
            /** @description This turn's reasoning joined with blank lines; present only when the turn produced reasoning. */
            reasoning_content?: string;
            /** @description Always null (required by the official OpenAI schema). */
            refusal: null;
            /** @description OpenAI annotations (always empty). */
            annotations?: {
                [key: string]: unknown;
            }[];
        };
        /** @description One completion choice (the gateway always returns exactly one, index 0). */
        ChatCompletionChoice: {
            /** @description Choice index (0). */
            index: number;
            message: components["schemas"]["ChatCompletionMessage"];
            /**
             * @description stop (normal end, also after an interruption), length (truncated), content_filter (agent refusal), error (failed turn), null (not finished / unknown).
             * @enum {unknown}
             */
            finish_reason: "stop" | "length" | "content_filter" | "error" | null;
            /** @description Always null (required by the official OpenAI schema). */
            logprobs: null;
        };
        /** @description Chat Completions token usage (OpenAI CompletionUsage). */
        ChatUsage: {
            /** @description Input tokens. */
            prompt_tokens: number;
            /** @description Output tokens. */
            completion_tokens: number;
            /** @description prompt_tokens + completion_tokens. */
            total_tokens: number;
            /** @description Input token breakdown. */
            prompt_tokens_details?: {
                /** @description Tokens read from cache. */
                cached_tokens?: number;
                /** @description Tokens written to cache. */
                cache_write_tokens?: number;
            } & {
                [key: string]: unknown;
            };
            /** @description Output token breakdown. */
            completion_tokens_details?: {
                /** @description Reasoning (thought) tokens. */
                reasoning_tokens?: number;
            } & {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        };
        /** @description Non-streaming chat completion. `hermes` is present only on a soft partial (some text, but the turn was partial/failed/incomplete). */
        CreateChatCompletionResponse: {
            id: components["schemas"]["ChatCompletionId"];
            /**
             * @description Object type.
             * @constant
             */
            object: "chat.completion";
            created: components["schemas"]["UnixSeconds"];
            /** @description The requested model (or the default model id). */
            model: string;
            /** @description Exactly one choice. */
            choices: components["schemas"]["ChatCompletionChoice"][];
            usage: components["schemas"]["ChatUsage"];
            /** @description OpenAI field (not normally sent). */
            system_fingerprint?: string | null;
            /** @description OpenAI field (not normally sent). */
            service_tier?: string | null;
            hermes?: components["schemas"]["HermesResultFlags"];
        };
        /** @description One input item: a string (user message), a message {role (default user), content}, or an echoed-back item ({type:"reasoning"} items are skipped; other typed items are handled by the handler). */
        ResponseInputItem: string | ({
            /** @description Item type (message, reasoning, function_call, function_call_output, …); omitted for plain messages. */
            type?: string;
            /** @description Message role (default user). */
            role?: string;
            content?: components["schemas"]["MessageContent"];
        } & {
            [key: string]: unknown;
        });
        /** @description OpenAI-compatible Responses request. Unknown fields (tools, temperature, reasoning, text, …) are accepted and ignored. */
        CreateResponseRequest: {
            /** @description Model id from /v1/models; echoed back. */
            model?: string;
            /** @description A string (one user message) or an array of input items; the last item is the turn input, earlier ones are history. */
            input: string | components["schemas"]["ResponseInputItem"][];
            /** @description Ephemeral system prompt layered on the agent prompt; inherited from the previous response when chaining without it. */
            instructions?: string | null;
            /** @description Continue from a stored response (unknown → 404). Not together with conversation. */
            previous_response_id?: string | null;
            /** @description Conversation name (string) resolving to the latest stored response under that name, or the OpenAI object form {id}. Not together with previous_response_id. */
            conversation?: string | ({
                /** @description Conversation name/id. */
                id: string;
            } & {
                [key: string]: unknown;
            }) | null;
            /** @description Explicit history; takes precedence over previous_response_id. */
            conversation_history?: components["schemas"]["ConversationHistoryItem"][];
            /** @description Store the response for GET and chaining (default true). */
            store?: boolean;
            /** @description Stream Responses events over SSE. */
            stream?: boolean;
            /**
             * @description auto keeps the last 100 history messages.
             * @enum {unknown}
             */
            truncation?: "auto" | "disabled" | null;
            /** @description OpenAI metadata (string values); echoed in the Response. */
            metadata?: {
                [key: string]: string;
            } | null;
            /** @description Provider override. */
            provider?: string;
            model_options?: components["schemas"]["ModelOptions"];
        } & {
            [key: string]: unknown;
        };
        /** @description Response id: "resp_" + hex. */
        ResponseId: string;
        /**
         * @description Response status.
         * @enum {unknown}
         */
        ResponseStatus: "completed" | "failed" | "in_progress" | "incomplete" | "cancelled" | "queued";
        /** @description Error of a failed response, else null. */
        ResponseError: {
            /**
             * @description Error code: every agent failure is a server_error (the OpenAI enum is closed).
             * @enum {unknown}
             */
            code: "server_error";
            /** @description Redacted error text. */
            message: string;
        } | null;
        /** @description A reasoning summary part. */
        SummaryText: {
            /**
             * @description Part type.
             * @constant
             */
            type: "summary_text";
            /** @description Summary text. */
            text: string;
        };
        /** @description Reasoning output item (before the function calls / message of the same assistant step). */
        ReasoningItem: {
            /** @description Item id: "rs_" + hex. */
            id: string;
            /**
             * @description Item type.
             * @constant
             */
            type: "reasoning";
            /** @description Reasoning text as summary parts. */
            summary: components["schemas"]["SummaryText"][];
            /**
             * @description Item status.
             * @enum {unknown}
             */
            status?: "in_progress" | "completed" | "incomplete";
        };
        /** @description A tool call the agent made (server-side; the client must not execute it). */
        FunctionCallItem: {
            /** @description Item id: "fc_" + hex. */
            id: string;
            /**
             * @description Item type.
             * @constant
             */
            type: "function_call";
            /** @description Tool call id (ACP toolCallId, or call_<resp>_<n>). */
            call_id: string;
            /** @description Tool name. */
            name: string;
            /** @description JSON-encoded tool arguments. */
            arguments: string;
            /**
             * @description Item status.
             * @enum {unknown}
             */
            status: "in_progress" | "completed" | "incomplete";
        };
        /** @description A text part of a tool result (OpenAI InputTextContent). */
        FunctionCallOutputText: {
            /**
             * @description Part type.
             * @constant
             */
            type: "input_text";
            /** @description Rendered tool result text. */
            text: string;
        };
        /** @description The result of a tool call. */
        FunctionCallOutputItem: {
            /** @description Item id: "fco_" + hex. */
            id: string;
            /**
             * @description Item type.
             * @constant
             */
            type: "function_call_output";
            /** @description Tool call id. */
            call_id: string;
            /** @description The tool result as one input_text part, as Hermes sends it (reference §4.3). */
            output: components["schemas"]["FunctionCallOutputText"][];
            /**
             * @description Item status.
             * @enum {unknown}
             */
            status: "in_progress" | "completed" | "incomplete";
        };
        /** @description An output_text content part. */
        OutputTextContent: {
            /**
             * @description Part type.
             * @constant
             */
            type: "output_text";
            /** @description Text. */
            text: string;
            /** @description Always empty. */
            annotations: {
                [key: string]: unknown;
            }[];
            /** @description Always empty. */
            logprobs: {
                [key: string]: unknown;
            }[];
        };
        /** @description An assistant message output item. */
        OutputMessage: {
            /** @description Item id: "msg_" + hex. */
            id: string;
            /**
             * @description Item type.
             * @constant
             */
            type: "message";
            /**
             * @description Always assistant.
             * @constant
             */
            role: "assistant";
            /**
             * @description Item status.
             * @enum {unknown}
             */
            status: "in_progress" | "completed" | "incomplete";
            /**
             * @description commentary for mid-turn messages before the final one.
             * @enum {unknown}
             */
            phase?: "commentary" | "final_answer" | null;
            /** @description Text parts. */
            content: components["schemas"]["OutputTextContent"][];
        };
        /** @description An agent's permission request awaiting a human (streaming only). Answer it with POST /v1/runs/{response id}/approval and request_id = this item's id. */
        McpApprovalRequestItem: {
            /** @description The approval request id (request_id on the approval endpoint). */
            id: string;
            /**
             * @description Item type.
             * @constant
             */
            type: "mcp_approval_request";
            /** @description The model (agent) asking. */
            server_label: string;
            /** @description What the agent wants to do (its tool call title). */
            name: string;
            /** @description The tool's raw input, JSON-encoded. */
            arguments: string;
        };
        /** @description One output item. */
        OutputItem: components["schemas"]["ReasoningItem"] | components["schemas"]["FunctionCallItem"] | components["schemas"]["FunctionCallOutputItem"] | components["schemas"]["OutputMessage"] | components["schemas"]["McpApprovalRequestItem"];
        /** @description Responses API token usage (OpenAI ResponseUsage; the official schema requires both input_tokens_details fields). */
        ResponseUsage: {
            /** @description Input tokens. */
            input_tokens: number;
            /** @description Input token breakdown. */
            input_tokens_details: {
                /** @description Tokens read from cache. */
                cached_tokens: number;
                /** @description Tokens written to cache. */
                cache_write_tokens: number;
            } & {
                [key: string]: unknown;
            };
            /** @description Output tokens. */
            output_tokens: number;
            /** @description Output token breakdown. */
            output_tokens_details: {
                /** @description Reasoning (thought) tokens. */
                reasoning_tokens: number;
            } & {
                [key: string]: unknown;
            };
            /** @description input_tokens + output_tokens. */
            total_tokens: number;
        } & {
            [key: string]: unknown;
        };
        /** @description The Response object (non-streaming body, GET body, and the `response` of response.created/in_progress/completed/failed/incomplete). Carries every field the official OpenAI Response schema requires. */
        Response: {
            id: components["schemas"]["ResponseId"];
            /**
             * @description Object type.
             * @constant
             */
            object: "response";
            created_at: components["schemas"]["UnixSeconds"];
            /** @description Epoch seconds when it completed (completed responses only). */
            completed_at: number | null;
            status: components["schemas"]["ResponseStatus"];
            error: components["schemas"]["ResponseError"];
            /** @description Why the response is incomplete, else null. */
            incomplete_details: {
                /**
                 * @description Reason.
                 * @enum {unknown}
                 */
                reason: "max_output_tokens" | "content_filter";
            } | null;
            /** @description Effective instructions (possibly inherited), else null. */
            instructions: string | null;
            /** @description The requested model (or the default model id). */
            model: string;
            /** @description Only this turn's items. */
            output: components["schemas"]["OutputItem"][];
            /** @description Convenience aggregate of output_text parts (optional). */
            output_text?: string | null;
            /** @description Token usage; null while in progress. */
            usage: components["schemas"]["ResponseUsage"] | null;
            /** @description Request metadata echoed (string values), or null/{}. */
            metadata: {
                [key: string]: string;
            } | null;
            /** @description Always [] (the agent uses its own server-side tools). */
            tools: {
                [key: string]: unknown;
            }[];
            /** @description Always "auto". */
            tool_choice: string | {
                [key: string]: unknown;
            };
            /** @description Always true. */
            parallel_tool_calls: boolean;
            /** @description Always null. */
            temperature: number | null;
            /** @description Always null. */
            top_p: number | null;
            /** @description The previous response in the chain, else null. */
            previous_response_id: string | null;
            /** @description Conversation the response belongs to, else null. */
            conversation: ({
                /** @description Conversation name. */
                id: string;
            } & {
                [key: string]: unknown;
            }) | null;
            /** @description Whether the response is stored. */
            store: boolean;
            /**
             * @description Truncation strategy.
             * @enum {unknown}
             */
            truncation: "auto" | "disabled" | null;
            /** @description Always null. */
            max_output_tokens: number | null;
            /** @description Always false/null. */
            background: boolean | null;
            /** @description Reasoning settings (null). */
            reasoning: {
                [key: string]: unknown;
            } | null;
            /** @description Text format settings ({format:{type:"text"}}). */
            text: {
                [key: string]: unknown;
            };
            /** @description End-user id (null). */
            user: string | null;
            /** @description Service tier, if known. */
            service_tier?: string | null;
        };
        /** @description DELETE /v1/responses/{id} result. */
        DeleteResponseResponse: {
            id: components["schemas"]["ResponseId"];
            /**
             * @description Object type.
             * @constant
             */
            object: "response";
            /**
             * @description Always true.
             * @constant
             */
            deleted: true;
        };
        /**
         * @description OpenAI IncludeEnum.
         * @enum {string}
         */
        Includable: "file_search_call.results" | "web_search_call.results" | "web_search_call.action.sources" | "message.input_image.image_url" | "computer_call_output.output.image_url" | "code_interpreter_call.outputs" | "reasoning.encrypted_content" | "message.output_text.logprobs";
        /** @description OpenAI IncludeEnum values, one (a string) or several (an array). */
        IncludeQuery: components["schemas"]["Includable"] | components["schemas"]["Includable"][];
        /** @description A message the client sent (OpenAI InputMessageResource). */
        ItemInputMessage: {
            /** @description Item id (msg_…). */
            id: string;
            /**
             * @description Item type.
             * @constant
             */
            type: "message";
            /**
             * @description Author.
             * @enum {string}
             */
            role: "user" | "system" | "developer";
            /**
             * @description Item status.
             * @enum {string}
             */
            status: "in_progress" | "completed" | "incomplete";
            /** @description The message text. */
            content: {
                /**
                 * @description Part type.
                 * @constant
                 */
                type: "input_text";
                /** @description The text. */
                text: string;
            }[];
        };
        /** @description An assistant message (OpenAI OutputMessage). */
        ItemOutputMessage: {
            /** @description Item id (msg_…). */
            id: string;
            /**
             * @description Item type.
             * @constant
             */
            type: "message";
            /**
             * @description Author.
             * @constant
             */
            role: "assistant";
            /**
             * @description Item status.
             * @enum {string}
             */
            status: "in_progress" | "completed" | "incomplete";
            /** @description The answer text. */
            content: {
                /**
                 * @description Part type.
                 * @constant
                 */
                type: "output_text";
                /** @description The text. */
                text: string;
                /** @description Always []. */
                annotations: unknown[];
            }[];
        };
        /** @description A tool call an assistant turn made (OpenAI FunctionToolCallResource). */
        ItemFunctionCall: {
            /** @description Item id (fc_…). */
            id: string;
            /**
             * @description Item type.
             * @constant
             */
            type: "function_call";
            /** @description Call id. */
            call_id: string;
            /** @description Tool name. */
            name: string;
            /** @description Arguments, a JSON string. */
            arguments: string;
            /**
             * @description Item status.
             * @enum {string}
             */
            status: "in_progress" | "completed" | "incomplete";
        };
        /** @description A tool call's result (OpenAI FunctionToolCallOutputResource). */
        ItemFunctionCallOutput: {
            /** @description Item id (fco_…). */
            id: string;
            /**
             * @description Item type.
             * @constant
             */
            type: "function_call_output";
            /** @description Call id. */
            call_id: string;
            /** @description The tool's output text. */
            output: string;
            /**
             * @description Item status.
             * @enum {string}
             */
            status: "in_progress" | "completed" | "incomplete";
        };
        /** @description One item: a user message, an assistant message, a function call or its output. */
        ResponseItem: components["schemas"]["ItemInputMessage"] | components["schemas"]["ItemOutputMessage"] | components["schemas"]["ItemFunctionCall"] | components["schemas"]["ItemFunctionCallOutput"];
        /** @description A page of items, cursor-paginated by item id. */
        ResponseItemList: {
            /**
             * @description Object type.
             * @constant
             */
            object: "list";
            /** @description The items of this page. */
            data: components["schemas"]["ResponseItem"][];
            /** @description Id of the first item of the page (null when the page is empty). */
            first_id: string | null;
            /** @description Id of the last item of the page (null when the page is empty). */
            last_id: string | null;
            /** @description Whether items follow this page. */
            has_more: boolean;
        };
        /**
         * @description Run status: queued → running ⇄ waiting_for_approval → completed | failed | cancelled | interrupted; stopping after /stop until the agent exits. interrupted (terminal, counted as cancelled): a gateway shutdown or restart cut the run short; retry it. A streaming chat completion or Response shows waiting_for_approval while it waits for an approval.
         * @enum {unknown}
         */
        RunStatusValue: "queued" | "running" | "waiting_for_approval" | "stopping" | "completed" | "failed" | "cancelled" | "interrupted";
        /** @description Hermes-style usage on runs and session chats. */
        RunUsage: {
            /** @description Input tokens. */
            input_tokens: number;
            /** @description Output tokens. */
            output_tokens: number;
            /** @description input_tokens + output_tokens. */
            total_tokens: number;
            /** @description Tokens read from cache. */
            cache_read_tokens?: number;
            /** @description Tokens written to cache. */
            cache_write_tokens?: number;
            /** @description Reasoning (thought) tokens. */
            reasoning_tokens?: number;
            /** @description True when the agent reported no usage and the counts are estimates. */
            estimated?: boolean;
        } & {
            [key: string]: unknown;
        };
        /** @description Approval (permission) request payload: sent as the run event approval.request, the chat named SSE event approval.request, the session-stream approval.request event, and as `approval` on a run status while it waits. */
        ApprovalRequest: {
            /**
             * @description Event name (present on run events).
             * @constant
             */
            event?: "approval.request";
            /** @description The run (or chat completion / session-stream run) id to answer at POST /v1/runs/{run_id}/approval. */
            run_id?: string;
            /** @description Epoch seconds (float). */
            timestamp?: number;
            /** @description Id of this pending request (ACP toolCallId or JSON-RPC id); send it back to answer one specific request. */
            request_id?: string;
            /** @description What the agent wants to do (tool rawInput.command, else the tool call title). */
            command?: string;
            /** @description Longer description (tool rawInput.description). */
            description?: string | null;
            /** @description Tool name. */
            tool?: string;
            /** @description ACP tool kind (read, edit, execute, fetch, …). */
            kind?: string;
            /** @description For edits: the file path. */
            path?: string;
            /** @description For edits: the proposed diff. */
            diff?: string;
            /** @description Hermes approval pattern keys. */
            pattern_keys?: string[];
            /** @description Whether the request was flagged by a smart-deny rule. */
            smart_denied?: boolean;
            /** @description Whether the "session" choice is offered. */
            allow_session?: boolean;
            /** @description Whether the "always" choice is offered. */
            allow_permanent?: boolean;
            /** @description Choices the client may send back. */
            choices: ("once" | "session" | "always" | "deny")[];
        } & {
            [key: string]: unknown;
        };
        /** @description Run status object (hermes.run). Also answered for a streaming chat completion (chatcmpl-…) or Response (resp_…) while it waits for an approval: status waiting_for_approval, with `approval`; 404 before and after. */
        Run: {
            /**
             * @description Object type.
             * @constant
             */
            object: "hermes.run";
            /** @description Run id (run_ + 32 hex), or the id of a streaming chat completion (chatcmpl-…) or Response (resp_…) waiting for approval. */
            run_id: string;
            status: components["schemas"]["RunStatusValue"];
            updated_at: components["schemas"]["UnixSecondsFloat"];
            created_at: components["schemas"]["UnixSecondsFloat"];
            /** @description Session the run executes in. */
            session_id?: string | null;
            /** @description Requested (or default) model id. */
            model?: string;
            /** @description Name of the last run event emitted. */
            last_event?: string | null;
            /** @description Final (or partial) answer text. */
            output?: string | null;
            /** @description Token usage once known. */
            usage?: components["schemas"]["RunUsage"] | null;
            /** @description Redacted error text (failed runs). */
            error?: string | null;
            approval?: components["schemas"]["ApprovalRequest"];
            /** @description Runtime that served the run. */
            runtime?: {
                /** @description Provider / agent. */
                provider?: string | null;
                /** @description Model. */
                model?: string | null;
                /** @description How the model was chosen. */
                route_source?: string;
            } & {
                [key: string]: unknown;
            };
            /** @description Whether the turn completed. */
            completed?: boolean;
            /** @description Whether the output is partial. */
            partial?: boolean;
            /** @description Whether the turn was interrupted. */
            interrupted?: boolean;
            /** @description Why the turn ended when not a plain end_turn. */
            turn_exit_reason?: string;
            /** @description Undelivered steer text. */
            pending_steer?: string | null;
        } & {
            [key: string]: unknown;
        };
        /** @description GET /v1/runs: the caller's recent runs (those started with this key), newest first, each as GET /v1/runs/{run_id} reports it. A finished run drops out once its status expires (runs.statusTtlSeconds); at most 200 runs per key are indexed. */
        RunList: {
            /**
             * @description Object type.
             * @constant
             */
            object: "list";
            /** @description Runs, newest first. */
            data: components["schemas"]["Run"][];
        };
        /** @description Start an asynchronous agent run. */
        CreateRunRequest: {
            /** @description A string, or an array whose last element is the message (string or {role, content}); earlier elements are history. */
            input: string | (string | ({
                /** @description Role. */
                role?: string;
                content?: components["schemas"]["MessageContent"];
            } & {
                [key: string]: unknown;
            }))[];
            /** @description Ephemeral system prompt. */
            instructions?: string | null;
            /** @description Chain from a stored response (an unknown id is ignored here). */
            previous_response_id?: string | null;
            /** @description Explicit history (precedence over previous_response_id). */
            conversation_history?: components["schemas"]["ConversationHistoryItem"][];
            /** @description Session to run in (default: chained session, X-Hermes-Session-Key session, else the run id). */
            session_id?: string;
            /** @description Model id; echoed in the status. */
            model?: string;
            /** @description Provider override. */
            provider?: string;
            model_options?: components["schemas"]["ModelOptions"];
            metadata?: components["schemas"]["RequestMetadata"];
            /** @description Author label (memory label only). */
            author?: {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        };
        /** @description Run id: "run_" + 32 lowercase hex. */
        RunId: string;
        /** @description 202 reply of POST /v1/runs. New run: status "started", replayed false. Idempotent replay: the original run id, its current status, replayed true (+ header Idempotency-Replayed: true). */
        RunAccepted: {
            run_id: components["schemas"]["RunId"];
            /**
             * @description "started" for a new run; the current status on replay.
             * @enum {unknown}
             */
            status: "started" | "queued" | "running" | "waiting_for_approval" | "stopping" | "completed" | "failed" | "cancelled" | "interrupted";
            /** @description Whether this answers an earlier request with the same Idempotency-Key. */
            replayed: boolean;
        };
        /** @description POST /v1/runs/{run_id}/stop: {run_id, status:"stopping"}; a run that is already terminal answers with its status object (which also matches). */
        RunStopResponse: {
            run_id: components["schemas"]["RunId"];
            status: components["schemas"]["RunStatusValue"];
        } & {
            [key: string]: unknown;
        };
        /** @description Answer a pending approval. Validated by the handler, in the reference's order: request_id (if present) must be a non-empty string of at most 256 characters (trimmed) → else 400 invalid_approval_request; choice must be once, session, always or deny (approve/approved/allow → once; case-insensitive) → else 400 invalid_approval_choice, and a choice the agent did not offer for the request → 400 invalid_approval_choice listing the offered ones. */
        RunApprovalRequest: {
            /** @description once | session | always | deny (required; checked by the handler). */
            choice?: unknown;
            /** @description Answer this request (default: the oldest pending one); a non-empty string of at most 256 characters. */
            request_id?: unknown;
            /** @description Resolve every pending approval of this run with this choice. */
            resolve_all?: boolean;
            /** @description Alias of resolve_all. */
            all?: boolean;
        } & {
            [key: string]: unknown;
        };
        /** @description 200 reply of POST /v1/runs/{run_id}/approval. */
        RunApprovalResponse: {
            /**
             * @description Object type.
             * @constant
             */
            object: "hermes.run.approval_response";
            /** @description Run id (also chat completion / session-stream run ids). */
            run_id: string;
            /** @description Normalised choice. */
            choice: string;
            /** @description The answered request id, when one was given. */
            request_id?: string;
            /** @description Number of pending approvals resolved. */
            resolved: number;
        };
        /** @description Steer text for a running run. The text is the first of input, message, text that is non-empty; a string, or content parts / messages whose text is flattened. Checked by the handler after the run's status (reference order): no text → 400 invalid_steer_input. */
        RunSteerRequest: {
            /** @description Steer text (string or content parts). */
            input?: unknown;
            /** @description Alias of input. */
            message?: unknown;
            /** @description Alias of input. */
            text?: unknown;
        } & {
            [key: string]: unknown;
        };
        /** @description 200 reply of POST /v1/runs/{run_id}/steer: the text was accepted (delivered to the running turn, or queued for the run's next turn). */
        RunSteerResponse: {
            /**
             * @description Object type.
             * @constant
             */
            object: "hermes.run.steer";
            run_id: components["schemas"]["RunId"];
            /**
             * @description Always true (a refusal is an error).
             * @constant
             */
            accepted: true;
        };
        /** @description Job id: 12 lowercase hex. */
        JobId: string;
        /** @description Parsed schedule. */
        JobSchedule: {
            /**
             * @description Schedule kind.
             * @enum {unknown}
             */
            kind: "interval" | "once" | "cron";
            /** @description Interval minutes (interval). */
            minutes?: number;
            /** @description ISO timestamp (once). */
            run_at?: string;
            /** @description Cron expression (cron). */
            expr?: string;
            /** @description Human display. */
            display: string;
        } & {
            [key: string]: unknown;
        };
        /** @description One firing of a job: the run it started (GET /v1/runs/{run_id} and its events while the run is kept) and how it ended. */
        JobExecution: {
            /** @description The run (run_…). */
            run_id: string;
            /** @description ISO time of the occurrence that fired (the time run-now was asked for, for a manual run). */
            fired_at: string;
            /** @description ISO time the run was submitted. */
            started_at: string;
            /** @description ISO time the run ended; null while it goes. */
            finished_at: string | null;
            /**
             * @description The schedule, or POST /api/jobs/{job_id}/run.
             * @enum {unknown}
             */
            trigger: "schedule" | "manual";
            /**
             * @description The run's status (interrupted: a gateway shutdown or crash cut it short).
             * @enum {unknown}
             */
            status: "queued" | "running" | "completed" | "failed" | "cancelled" | "interrupted";
            /** @description The first 500 characters of the run's output. */
            output_preview: string | null;
            /** @description Why the run did not complete. */
            error: string | null;
        };
        /** @description A scheduled job. */
        Job: {
            id: components["schemas"]["JobId"];
            /** @description Job name. */
            name: string;
            /** @description Prompt. */
            prompt?: string | null;
            /** @description Skills to use (the agent is told their names; ACP has no skills of its own). */
            skills?: string[];
            /** @description Single skill (legacy). */
            skill?: string | null;
            /** @description The model (agent) the job runs on; null: the default agent. */
            model?: string | null;
            /** @description Provider. */
            provider?: string | null;
            schedule: components["schemas"]["JobSchedule"];
            /** @description Human schedule. */
            schedule_display?: string;
            /** @description Repeat counter. */
            repeat?: {
                /** @description Total runs (null = forever; a one-shot defaults to 1). */
                times: number | null;
                /** @description Runs done. */
                completed: number;
            } & {
                [key: string]: unknown;
            };
            /** @description Enabled (false when paused). */
            enabled: boolean;
            /**
             * @description Job state.
             * @enum {unknown}
             */
            state: "scheduled" | "paused" | "running" | "completed" | "error";
            /** @description ISO time it was paused. */
            paused_at?: string | null;
            /** @description Why it was paused. */
            paused_reason?: string | null;
            /** @description ISO creation time. */
            created_at?: string;
            /** @description ISO time of the next run. */
            next_run_at?: string | null;
            /** @description ISO time of the last run. */
            last_run_at?: string | null;
            /**
             * @description Last run result.
             * @enum {unknown}
             */
            last_status?: "ok" | "error" | "delivery_failed" | null;
            /** @description Last run error. */
            last_error?: string | null;
            /** @description Last delivery error. */
            last_delivery_error?: string | null;
            /** @description Consecutive failures. */
            failure_streak?: number;
            /** @description Delivery target: only local delivery is done (the output is stored with the execution and the run); another value is kept as given. */
            deliver?: string;
            /** @description Where the job was created: {platform:"agent-gateway", chat_id:"api"}. */
            origin?: {
                [key: string]: unknown;
            } | null;
            /** @description Toolsets. */
            enabled_toolsets?: string[] | null;
            /** @description Working directory. */
            workdir?: string | null;
            /** @description ISO time of a requested manual run. */
            manual_run_at?: string | null;
            /** @description Extra prompt for the manual run. */
            manual_run_prompt?: string | null;
            /** @description The newest execution (list view), null before the first firing. */
            latest_execution?: components["schemas"]["JobExecution"] | null;
        } & {
            [key: string]: unknown;
        };
        /** @description GET /api/jobs. */
        JobList: {
            /** @description Jobs (disabled ones only with include_disabled). */
            jobs: components["schemas"]["Job"][];
        };
        /** @description POST /api/jobs (reference §7). Unknown fields are ignored. */
        CreateJobRequest: {
            /** @description Job name: required, trimmed, ≤ 200 characters (400 "Name is required" / "Name must be ≤ 200 characters"). */
            name?: string;
            /** @description Schedule: "30m", "every 2 hours", "in 30m", an ISO timestamp (naive = jobs.timezone), a 5–6 field cron expression (6: seconds first), "every monday 9am", "weekdays at 9am", "every day at noon", "monday, wednesday at 9:30pm"; unparseable → 400 invalid_schedule with the parser's message. */
            schedule?: string;
            /** @description Prompt sent to the agent: ≤ 5000 characters (400 "Prompt must be ≤ 5000 characters"); a blank prompt needs at least one skill. */
            prompt?: string;
            /** @description Delivery target (default "local": the output is stored). */
            deliver?: string;
            /** @description Skills to use. */
            skills?: string[];
            /** @description Single skill (legacy; joins skills). */
            skill?: string | null;
            /** @description How many runs: a positive integer, or null = forever (a one-shot defaults to 1); anything else is 400 "Repeat must be a positive integer". */
            repeat?: unknown;
            /** @description Create paused. */
            paused?: boolean;
            /** @description Pause reason (needs paused: true). */
            paused_reason?: string | null;
            /** @description The model (agent) to run on, as /v1/models lists it; unknown → 404 model_not_found, not allowed for the key → 403. */
            model?: string;
        } & {
            [key: string]: unknown;
        };
        /** @description A job envelope. */
        JobResponse: {
            job: components["schemas"]["Job"];
        };
        /** @description POST /api/jobs/schedule/parse: a schedule to parse without creating a job. */
        ScheduleParseRequest: {
            /** @description A schedule in the grammar of CreateJobRequest.schedule. */
            schedule: string;
        } & {
            [key: string]: unknown;
        };
        /** @description 200 reply of POST /api/jobs/schedule/parse: the schedule as a job would store it, and when it would first run. */
        ScheduleParseResponse: {
            schedule: components["schemas"]["JobSchedule"];
            /** @description Human schedule (the job's schedule_display). */
            schedule_display: string;
            /** @description ISO time of the first run if the job were created now. */
            next_run_at: string | null;
        };
        /** @description DELETE /api/jobs/{job_id}. */
        JobDeleted: {
            /**
             * @description Always true.
             * @constant
             */
            ok: true;
        };
        /** @description PATCH /api/jobs/{job_id}: only name, schedule, prompt, deliver, skills, skill, repeat, enabled are kept; other keys are silently dropped; none left → 400 "No valid fields to update". */
        UpdateJobRequest: {
            /** @description Job name: required, trimmed, ≤ 200 characters (400 "Name is required" / "Name must be ≤ 200 characters"). */
            name?: string;
            /** @description Schedule: "30m", "every 2 hours", "in 30m", an ISO timestamp (naive = jobs.timezone), a 5–6 field cron expression (6: seconds first), "every monday 9am", "weekdays at 9am", "every day at noon", "monday, wednesday at 9:30pm"; unparseable → 400 invalid_schedule with the parser's message. */
            schedule?: string;
            /** @description Prompt sent to the agent: ≤ 5000 characters (400 "Prompt must be ≤ 5000 characters"); a blank prompt needs at least one skill. */
            prompt?: string;
            /** @description Delivery target (default "local": the output is stored). */
            deliver?: string;
            /** @description Skills to use. */
            skills?: string[];
            /** @description Single skill (legacy; joins skills). */
            skill?: string | null;
            /** @description How many runs: a positive integer, or null = forever (a one-shot defaults to 1); anything else is 400 "Repeat must be a positive integer". */
            repeat?: unknown;
            /** @description false pauses the job, true resumes it. */
            enabled?: boolean;
        } & {
            [key: string]: unknown;
        };
        /** @description Optional body of POST /api/jobs/{job_id}/run. */
        RunJobRequest: {
            /** @description Extra context for this run only (≤ 5000 characters), sent after the job's prompt. */
            prompt?: string;
        } & {
            [key: string]: unknown;
        };
        /** @description GET /api/jobs/{job_id}/executions: newest first (jobs.maxExecutions finished ones are kept, plus any still going). */
        JobExecutionList: {
            /** @description Executions, newest first. */
            executions: components["schemas"]["JobExecution"][];
        };
        /** @description Session id (no CR/LF/NUL, path-safe; checked by the handler). */
        SessionId: string;
        /** @description A session (only keys known for the row are present). */
        Session: {
            id: components["schemas"]["SessionId"];
            /** @description Source (api_server, hermes_browser, cli, …). */
            source?: string;
            /** @description User id. */
            user_id?: string | null;
            /** @description Model id. */
            model?: string | null;
            /** @description Title. */
            title?: string | null;
            /** @description Start time (epoch seconds). */
            started_at?: number | string | null;
            /** @description End time. */
            ended_at?: number | string | null;
            /** @description Why it ended (e.g. branched). */
            end_reason?: string | null;
            /** @description Messages. */
            message_count?: number;
            /** @description Tool calls. */
            tool_call_count?: number;
            /** @description Input tokens. */
            input_tokens?: number;
            /** @description Output tokens. */
            output_tokens?: number;
            /** @description Cache read tokens. */
            cache_read_tokens?: number;
            /** @description Cache write tokens. */
            cache_write_tokens?: number;
            /** @description Reasoning tokens. */
            reasoning_tokens?: number;
            /** @description Estimated cost. */
            estimated_cost_usd?: number | null;
            /** @description Actual cost. */
            actual_cost_usd?: number | null;
            /** @description Agent calls. */
            api_call_count?: number;
            /** @description Parent (fork source). */
            parent_session_id?: string | null;
            /** @description Last activity. */
            last_active?: number | string | null;
            /** @description Preview of the first message. */
            preview?: string | null;
            /** @description Lineage root. */
            _lineage_root_id?: string | null;
            /** @description Pinned. */
            pinned?: boolean;
            /** @description Archived. */
            archived?: boolean;
            /** @description Hidden. */
            hidden?: boolean;
            /** @description Unread. */
            unread?: boolean;
            /** @description Whether a system prompt is set (never exposed). */
            has_system_prompt: boolean;
            /** @description Whether a model config is set (never exposed). */
            has_model_config: boolean;
        } & {
            [key: string]: unknown;
        };
        /** @description GET /api/sessions. */
        SessionList: {
            /**
             * @description Object type.
             * @constant
             */
            object: "list";
            /** @description Sessions by last activity (pinned back-filled). */
            data: components["schemas"]["Session"][];
            /** @description Limit applied. */
            limit: number;
            /** @description Offset applied. */
            offset: number;
            /** @description More rows exist. */
            has_more: boolean;
        };
        /** @description POST /api/sessions. */
        CreateSessionRequest: {
            /** @description Session id (alias: session_id; default api_<epoch>_<8 hex>). */
            id?: string;
            /** @description Alias of id. */
            session_id?: string;
            /** @description Title (unique). */
            title?: string | null;
            /** @description System prompt (never exposed back). */
            system_prompt?: string;
            /** @description Source; unknown values → api_server. */
            source?: string;
            /** @description Model id. */
            model?: string;
            /** @description Provider. */
            provider?: string;
            model_options?: components["schemas"]["ModelOptions"];
            /** @description Lock the session to its model. */
            require_model_lock?: boolean;
        } & {
            [key: string]: unknown;
        };
        /** @description A session envelope. */
        SessionEnvelope: {
            /**
             * @description Object type.
             * @constant
             */
            object: "hermes.session";
            session: components["schemas"]["Session"];
        };
        /** @description DELETE /api/sessions/{session_id}. */
        SessionDeleted: {
            /**
             * @description Object type.
             * @constant
             */
            object: "hermes.session.deleted";
            /** @description Session id. */
            id: string;
            /** @description Whether a session was deleted. */
            deleted: boolean;
        };
        /** @description PATCH /api/sessions/{session_id}: only title, end_reason, pinned, archived, hidden, unread; any other key → 400 unsupported_session_field (handler, so the schema stays open). */
        UpdateSessionRequest: {
            /** @description New title; null clears it. */
            title?: string | null;
            /** @description Ends the session with this reason. */
            end_reason?: string | null;
            /** @description Pinned. Must be a JSON boolean (anything else: 400 invalid_session_field, checked by the handler). */
            pinned?: unknown;
            /** @description Archived. Must be a JSON boolean (anything else: 400 invalid_session_field, checked by the handler). */
            archived?: unknown;
            /** @description Hidden. Must be a JSON boolean (anything else: 400 invalid_session_field, checked by the handler). */
            hidden?: unknown;
            /** @description Unread. Must be a JSON boolean (anything else: 400 invalid_session_field, checked by the handler). */
            unread?: unknown;
        } & {
            [key: string]: unknown;
        };
        /** @description A stored session message (only keys present are sent). */
        SessionMessage: {
            /** @description Message id. */
            id?: number | string;
            /** @description Session id. */
            session_id?: string;
            /** @description Role. */
            role: string;
            /** @description Content (hidden rows: empty). */
            content?: string | unknown[] | null;
            /** @description Tool call id (tool rows). */
            tool_call_id?: string | null;
            /** @description Tool calls (assistant rows). */
            tool_calls?: unknown[] | null;
            /** @description Tool name. */
            tool_name?: string | null;
            /** @description Time. */
            timestamp?: number | string | null;
            /** @description Tokens. */
            token_count?: number | null;
            /** @description Finish reason. */
            finish_reason?: string | null;
            /** @description Reasoning. */
            reasoning?: string | null;
            /** @description Reasoning content. */
            reasoning_content?: string | null;
            /** @description Display kind (hidden for compaction scaffolding). */
            display_kind?: string | null;
        } & {
            [key: string]: unknown;
        };
        /** @description GET /api/sessions/{session_id}/messages. */
        SessionMessageList: {
            /**
             * @description Object type.
             * @constant
             */
            object: "list";
            /** @description Resolved (live tip) session id; may differ from the path. */
            session_id: string;
            /** @description Messages. */
            data: components["schemas"]["SessionMessage"][];
            /** @description Pagination. */
            pagination: {
                /** @description Limit. */
                limit: number;
                /** @description Offset. */
                offset: number;
                /**
                 * @description Order.
                 * @enum {unknown}
                 */
                order: "oldest" | "latest";
                /** @description Rows returned. */
                returned: number;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description POST /api/sessions/{session_id}/fork. */
        ForkSessionRequest: {
            /** @description Child id (alias: session_id). */
            id?: string;
            /** @description Alias of id. */
            session_id?: string;
            /** @description Child title (default "<source title> fork"). */
            title?: string | null;
        } & {
            [key: string]: unknown;
        };
        /** @description POST /api/sessions/{session_id}/chat and /chat/stream. message (or input) is required (missing/invisible → 400 missing_message, handler). */
        SessionChatRequest: {
            /** @description The user message: string or content parts (alias: input). */
            message?: string | components["schemas"]["ContentPart"][];
            /** @description Alias of message. */
            input?: string | components["schemas"]["ContentPart"][];
            /** @description Ephemeral system prompt for this turn, layered on the session's own (alias: instructions); a string — anything else → 400 invalid_system_message (handler, so the schema leaves the type open). */
            system_message?: unknown;
            /** @description Alias of system_message (used when system_message is absent or empty). */
            instructions?: unknown;
            /** @description Model id. */
            model?: string;
            /** @description Provider override. */
            provider?: string;
            model_options?: components["schemas"]["ModelOptions"];
            /** @description Require the session model lock. */
            require_model_lock?: boolean;
            /** @description Author label. */
            author?: {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        };
        /** @description Runtime that served the turn. */
        SessionRuntime: {
            /** @description Provider / agent. */
            provider?: string | null;
            /** @description Model. */
            model?: string | null;
            /** @description How the model was chosen. */
            route_source?: string;
            /** @description What was requested. */
            requested?: {
                [key: string]: unknown;
            } | string | null;
            /** @description Model lock state: "accepted" or "confirmed" when the session's lock chose the model. */
            model_lock?: string | {
                [key: string]: unknown;
            } | boolean | null;
        } & {
            [key: string]: unknown;
        };
        /** @description POST /api/sessions/{session_id}/chat. */
        SessionChatResponse: {
            /**
             * @description Object type.
             * @constant
             */
            object: "hermes.session.chat.completion";
            /** @description Effective session id. */
            session_id: string;
            /** @description Assistant reply. */
            message: {
                /**
                 * @description Role.
                 * @constant
                 */
                role: "assistant";
                /** @description Text. */
                content: string;
            };
            usage: components["schemas"]["RunUsage"];
            runtime: components["schemas"]["SessionRuntime"];
        } & {
            [key: string]: unknown;
        };
        /** @description POST /api/sessions/{session_id}/model: the model the session's later chats run on when they name none. */
        SessionModelLockRequest: {
            /** @description Model id (required; missing or empty → 400 missing_model, handler). */
            model?: string;
            /** @description Provider (recorded and echoed in runtime.requested). */
            provider?: string;
            model_options?: components["schemas"]["ModelOptions"];
            /** @description Confirm the lock: runtime.model_lock is "confirmed" instead of "accepted". */
            require_model_lock?: boolean;
        } & {
            [key: string]: unknown;
        };
        /** @description POST /api/sessions/{session_id}/model. */
        SessionModelLockResponse: {
            /**
             * @description Object type.
             * @constant
             */
            object: "hermes.session.model_lock";
            /** @description Session id. */
            session_id: string;
            runtime: components["schemas"]["SessionRuntime"];
        };
        /** @description Stream delta. The first chunk carries role; text goes in content; reasoning in reasoning_content. Never tool_calls. */
        ChatCompletionChunkDelta: {
            /**
             * @description Only in the first chunk.
             * @constant
             */
            role?: "assistant";
            /** @description Text delta. */
            content?: string | null;
            /** @description Reasoning delta (when reasoning display is enabled). */
            reasoning_content?: string;
            /** @description OpenAI field (not normally sent). */
            refusal?: string | null;
        };
        /** @description One chunk choice. */
        ChatCompletionChunkChoice: {
            /** @description Choice index (0). */
            index: number;
            delta: components["schemas"]["ChatCompletionChunkDelta"];
            /**
             * @description stop (normal end, also after an interruption), length (truncated), content_filter (agent refusal), error (failed turn), null (not finished / unknown).
             * @enum {unknown}
             */
            finish_reason: "stop" | "length" | "content_filter" | "error" | null;
            /** @description Always null when present. */
            logprobs?: null;
        };
        /** @description Steer text was accepted for the run (reference §6.5 `run.steered {accepted: true}`); `delivered`: it reached the running turn at once (else it waits as pending_steer for the run's next turn). */
        RunSteeredEvent: components["schemas"]["RunEventBase"] & ({
            /**
             * @description Event name.
             * @constant
             */
            event: "run.steered";
            /**
             * @description Always true.
             * @constant
             */
            accepted: true;
            /** @description Whether the agent took the text into the running turn. */
            delivered?: boolean;
        } & {
            [key: string]: unknown;
        });
    };
    responses: {
        /** @description Invalid request (malformed JSON, schema violation, unsupported content, invalid header…). */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description Missing or invalid bearer token (type gateway_auth_error, code gateway_auth_failed). */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description Not allowed (e.g. code model_not_allowed for a key restricted to other models). A disallowed CORS Origin also gets 403, with an empty body, from the CORS layer before routing. */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description Resource not found (response_not_found, previous_response_not_found, run_not_found, model_not_found, session_not_found, job not found…). */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description Conflict (idempotency_key_conflict, approval_not_pending, approval_not_active, run_not_active, run_not_accepting_steer, session_exists, session_active_turn…). */
        Conflict: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description Request body too large (code body_too_large). */
        PayloadTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description Content-Type is not application/json (code unsupported_media_type). */
        UnsupportedMediaType: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description Concurrency cap reached (type rate_limit_error, code rate_limit_exceeded). */
        TooManyRequests: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description Unexpected server error (type server_error). */
        InternalError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description Operation not implemented yet (code not_implemented). */
        NotImplemented: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description Agent turn failed with no output (code agent_incomplete, error.hermes flags, X-Hermes-Completed/X-Hermes-Partial headers) or upstream unavailable (code upstream_unavailable). */
        BadGateway: {
            headers: {
                "X-Hermes-Completed": components["headers"]["XHermesCompleted"];
                "X-Hermes-Partial": components["headers"]["XHermesPartial"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description Draining (gateway_draining), store unavailable (store_unavailable), agent unavailable (agent_unavailable) or the instance executing a run did not answer (run_owner_unreachable). */
        ServiceUnavailable: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description Upstream timed out (code upstream_timeout). */
        GatewayTimeout: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description Any other error status, in the common envelope. */
        Error: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
    };
    parameters: {
        /** @description Continue this server-side session: history comes from the gateway store and earlier body messages are ignored. No CR/LF/NUL, path-safe (checked by the handler). */
        SessionIdHeader: string;
        /** @description Long-term memory scope / declared conversation key; echoed unchanged. Trimmed; empty = absent; no CR/LF/NUL (handler). */
        SessionKeyHeader: string;
        /** @description 1–255 visible ASCII characters. On /v1/runs: durable (24 h), same key + same body → replay (202, Idempotency-Replayed: true), different body → 409 idempotency_key_conflict. On chat/responses (non-streaming): a 300 s single-flight cache. */
        IdempotencyKey: string;
        /** @description Durable (24 h) idempotency for POST /v1/runs: 1–255 visible ASCII characters after trimming, else 400 invalid_idempotency_key (checked by the handler). Same key + same body → the original run (202, replayed true, Idempotency-Replayed: true), also after a restart; another body → 409 idempotency_key_conflict. Scoped per API key. */
        RunIdempotencyKey: string;
        /** @description Replay only events with a larger id. Invalid values, leading zeros or more than 20 digits count as 0 (full backlog), so this is a plain string. */
        LastEventId: string;
        /** @description Response id (resp_…). */
        ResponseIdPath: string;
        /** @description Model id, as GET /v1/models lists it. */
        ModelIdPath: string;
        /** @description Run id (run_…; chat completion, Responses-stream and session-stream ids are accepted by approval, and by GET while they wait for one). */
        RunIdPath: string;
        /** @description Job id: 12 lowercase hex; anything else is 400 invalid_job_id "Invalid job ID format" (checked by the handler, after auth). */
        JobIdPath: string;
        /** @description Session id. */
        SessionIdPath: string;
    };
    requestBodies: never;
    headers: {
        /** @description Seconds to wait before retrying. */
        RetryAfter: string;
        /** @description Effective session id (the one the client sent, else the one the agent ended on / the derived api-… id). */
        XHermesSessionId: string;
        /** @description Echo of the X-Hermes-Session-Key request header, when sent. */
        XHermesSessionKey: string;
        /** @description "false" when the agent turn did not complete (soft partial 200 or 502 agent_incomplete); absent on a clean success. */
        XHermesCompleted: "false";
        /** @description "true" | "false" alongside X-Hermes-Completed. */
        XHermesPartial: "true" | "false";
        /** @description Redacted error text (≤200 chars, control characters replaced by spaces) on a soft partial. */
        XHermesError: string;
        /** @description "true" when a POST /v1/runs was answered from an earlier request with the same Idempotency-Key. */
        IdempotencyReplayed: "true";
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            500: components["responses"]["InternalError"];
            default: components["responses"]["Error"];
        };
    };
    getHealthV1: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            500: components["responses"]["InternalError"];
            default: components["responses"]["Error"];
        };
    };
    getHealthDetailed: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthDetailed"];
                };
            };
            401: components["responses"]["Unauthorized"];
            500: components["responses"]["InternalError"];
            default: components["responses"]["Error"];
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            401: components["responses"]["Unauthorized"];
            500: components["responses"]["InternalError"];
            default: components["responses"]["Error"];
        };
    };
    listModels: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModelList"];
                };
            };
            401: components["responses"]["Unauthorized"];
            500: components["responses"]["InternalError"];
            default: components["responses"]["Error"];
        };
    };
    getModel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Model id, as GET /v1/models lists it. */
                model: components["parameters"]["ModelIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Model"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
            default: components["responses"]["Error"];
        };
    };
    getCapabilities: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Capabilities"];
                };
            };
            401: components["responses"]["Unauthorized"];
            500: components["responses"]["InternalError"];
            default: components["responses"]["Error"];
        };
    };
    listSkills: {
        parameters: {
            query?: {
                /** @description Only this model's skills (an agent id, or a route alias to an agent); a model the key cannot see is 404 model_not_found. */
                model?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SkillList"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
            501: components["responses"]["NotImplemented"];
            default: components["responses"]["Error"];
        };
    };
    listToolsets: {
        parameters: {
            query?: {
                /** @description Only this model's toolsets (an agent id, or a route alias to an agent); a model the key cannot see is 404 model_not_found. */
                model?: string;
                /** @description List the tools again now instead of answering from the cache (true/1/yes/on, as Hermes reads booleans). */
                refresh?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ToolsetList"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
            501: components["responses"]["NotImplemented"];
            default: components["responses"]["Error"];
        };
    };
    getOpenApiDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        openapi: string;
                        info: {
                            title: string;
                            version: string;
                        };
                        paths: Record<string, never>;
                        components: Record<string, never>;
                    };
                };
            };
            500: components["responses"]["InternalError"];
            default: components["responses"]["Error"];
        };
    };
    getDocs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            500: components["responses"]["InternalError"];
            default: components["responses"]["Error"];
        };
    };
    getDocsAsset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                asset: "swagger-ui.css" | "swagger-ui-bundle.js" | "docs.js";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/css": string;
                    "text/javascript": string;
                };
            };
            400: components["responses"]["BadRequest"];
            500: components["responses"]["InternalError"];
            default: components["responses"]["Error"];
        };
    };
    getConsole: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            500: components["responses"]["InternalError"];
            default: components["responses"]["Error"];
        };
    };
    getConsoleAsset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                asset: "console.js" | "console.css";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/css": string;
                    "text/javascript": string;
                };
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
            default: components["responses"]["Error"];
        };
    };
    createChatCompletion: {
        parameters: {
            query?: never;
            header?: {
                /** @description Continue this server-side session: history comes from the gateway store and earlier body messages are ignored. No CR/LF/NUL, path-safe (checked by the handler). */
                "X-Hermes-Session-Id"?: components["parameters"]["SessionIdHeader"];
                /** @description Long-term memory scope / declared conversation key; echoed unchanged. Trimmed; empty = absent; no CR/LF/NUL (handler). */
                "X-Hermes-Session-Key"?: components["parameters"]["SessionKeyHeader"];
                /** @description 1–255 visible ASCII characters. On /v1/runs: durable (24 h), same key + same body → replay (202, Idempotency-Replayed: true), different body → 409 idempotency_key_conflict. On chat/responses (non-streaming): a 300 s single-flight cache. */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateChatCompletionRequest"];
            };
        };
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    "X-Hermes-Session-Id": components["headers"]["XHermesSessionId"];
                    "X-Hermes-Session-Key": components["headers"]["XHermesSessionKey"];
                    "X-Hermes-Completed": components["headers"]["XHermesCompleted"];
                    "X-Hermes-Partial": components["headers"]["XHermesPartial"];
                    "X-Hermes-Error": components["headers"]["XHermesError"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreateChatCompletionResponse"];
                    "text/event-stream": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            501: components["responses"]["NotImplemented"];
            502: components["responses"]["BadGateway"];
            503: components["responses"]["ServiceUnavailable"];
            504: components["responses"]["GatewayTimeout"];
            default: components["responses"]["Error"];
        };
    };
    createResponse: {
        parameters: {
            query?: never;
            header?: {
                /** @description Continue this server-side session: history comes from the gateway store and earlier body messages are ignored. No CR/LF/NUL, path-safe (checked by the handler). */
                "X-Hermes-Session-Id"?: components["parameters"]["SessionIdHeader"];
                /** @description Long-term memory scope / declared conversation key; echoed unchanged. Trimmed; empty = absent; no CR/LF/NUL (handler). */
                "X-Hermes-Session-Key"?: components["parameters"]["SessionKeyHeader"];
                /** @description 1–255 visible ASCII characters. On /v1/runs: durable (24 h), same key + same body → replay (202, Idempotency-Replayed: true), different body → 409 idempotency_key_conflict. On chat/responses (non-streaming): a 300 s single-flight cache. */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateResponseRequest"];
            };
        };
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    "X-Hermes-Session-Id": components["headers"]["XHermesSessionId"];
                    "X-Hermes-Session-Key": components["headers"]["XHermesSessionKey"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Response"];
                    "text/event-stream": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            501: components["responses"]["NotImplemented"];
            502: components["responses"]["BadGateway"];
            503: components["responses"]["ServiceUnavailable"];
            504: components["responses"]["GatewayTimeout"];
            default: components["responses"]["Error"];
        };
    };
    getResponse: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Response id (resp_…). */
                response_id: components["parameters"]["ResponseIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Response"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
            501: components["responses"]["NotImplemented"];
            default: components["responses"]["Error"];
        };
    };
    deleteResponse: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Response id (resp_…). */
                response_id: components["parameters"]["ResponseIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeleteResponseResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
            501: components["responses"]["NotImplemented"];
            default: components["responses"]["Error"];
        };
    };
    listResponseInputItems: {
        parameters: {
            query?: {
                /** @description Items per page, 1-100 (default 20). */
                limit?: number;
                /** @description `asc` (oldest first) or `desc` (newest first, the default). */
                order?: "asc" | "desc";
                /** @description An item id of the previous page; the page starts after it (in the chosen order). */
                after?: string;
                /** @description Extra fields to include (OpenAI IncludeEnum). Accepted; the items already carry everything the gateway stores. */
                include?: components["schemas"]["IncludeQuery"];
                /** @description `include` as the OpenAI SDK spells it (`include[]=…`). */
                "include[]"?: components["schemas"]["IncludeQuery"];
            };
            header?: never;
            path: {
                /** @description Response id (resp_…). */
                response_id: components["parameters"]["ResponseIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ResponseItemList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
            default: components["responses"]["Error"];
        };
    };
    listRuns: {
        parameters: {
            query?: {
                /** @description At most this many runs (default 50). */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
            default: components["responses"]["Error"];
        };
    };
    createRun: {
        parameters: {
            query?: never;
            header?: {
                /** @description Long-term memory scope / declared conversation key; echoed unchanged. Trimmed; empty = absent; no CR/LF/NUL (handler). */
                "X-Hermes-Session-Key"?: components["parameters"]["SessionKeyHeader"];
                /** @description Durable (24 h) idempotency for POST /v1/runs: 1–255 visible ASCII characters after trimming, else 400 invalid_idempotency_key (checked by the handler). Same key + same body → the original run (202, replayed true, Idempotency-Replayed: true), also after a restart; another body → 409 idempotency_key_conflict. Scoped per API key. */
                "Idempotency-Key"?: components["parameters"]["RunIdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateRunRequest"];
            };
        };
        responses: {
            /** @description Success. */
            202: {
                headers: {
                    "Idempotency-Replayed": components["headers"]["IdempotencyReplayed"];
                    "X-Hermes-Session-Key": components["headers"]["XHermesSessionKey"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunAccepted"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
            default: components["responses"]["Error"];
        };
    };
    getRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Run id (run_…; chat completion, Responses-stream and session-stream ids are accepted by approval, and by GET while they wait for one). */
                run_id: components["parameters"]["RunIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Run"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
            501: components["responses"]["NotImplemented"];
            default: components["responses"]["Error"];
        };
    };
    streamRunEvents: {
        parameters: {
            query?: never;
            header?: {
                /** @description Replay only events with a larger id. Invalid values, leading zeros or more than 20 digits count as 0 (full backlog), so this is a plain string. */
                "Last-Event-ID"?: components["parameters"]["LastEventId"];
            };
            path: {
                /** @description Run id (run_…; chat completion, Responses-stream and session-stream ids are accepted by approval, and by GET while they wait for one). */
                run_id: components["parameters"]["RunIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
            501: components["responses"]["NotImplemented"];
            default: components["responses"]["Error"];
        };
    };
    stopRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Run id (run_…; chat completion, Responses-stream and session-stream ids are accepted by approval, and by GET while they wait for one). */
                run_id: components["parameters"]["RunIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunStopResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            500: components["responses"]["InternalError"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
            default: components["responses"]["Error"];
        };
    };
    respondRunApproval: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Run id (run_…; chat completion, Responses-stream and session-stream ids are accepted by approval, and by GET while they wait for one). */
                run_id: components["parameters"]["RunIdPath"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RunApprovalRequest"];
            };
        };
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunApprovalResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["InternalError"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
            default: components["responses"]["Error"];
        };
    };
    steerRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Run id (run_…; chat completion, Responses-stream and session-stream ids are accepted by approval, and by GET while they wait for one). */
                run_id: components["parameters"]["RunIdPath"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RunSteerRequest"];
            };
        };
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunSteerResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
            default: components["responses"]["Error"];
        };
    };
    listJobs: {
        parameters: {
            query?: {
                /** @description Include disabled jobs (paused, completed): `true` or `1` (any case); any other value means false. */
                include_disabled?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobList"];
                };
            };
            401: components["responses"]["Unauthorized"];
            500: components["responses"]["InternalError"];
            501: components["responses"]["NotImplemented"];
            default: components["responses"]["Error"];
        };
    };
    createJob: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateJobRequest"];
            };
        };
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["InternalError"];
            501: components["responses"]["NotImplemented"];
            default: components["responses"]["Error"];
        };
    };
    parseJobSchedule: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ScheduleParseRequest"];
            };
        };
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScheduleParseResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["InternalError"];
            default: components["responses"]["Error"];
        };
    };
    getJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Job id: 12 lowercase hex; anything else is 400 invalid_job_id "Invalid job ID format" (checked by the handler, after auth). */
                job_id: components["parameters"]["JobIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
            501: components["responses"]["NotImplemented"];
            default: components["responses"]["Error"];
        };
    };
    deleteJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Job id: 12 lowercase hex; anything else is 400 invalid_job_id "Invalid job ID format" (checked by the handler, after auth). */
                job_id: components["parameters"]["JobIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobDeleted"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
            501: components["responses"]["NotImplemented"];
            default: components["responses"]["Error"];
        };
    };
    updateJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Job id: 12 lowercase hex; anything else is 400 invalid_job_id "Invalid job ID format" (checked by the handler, after auth). */
                job_id: components["parameters"]["JobIdPath"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateJobRequest"];
            };
        };
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["InternalError"];
            501: components["responses"]["NotImplemented"];
            default: components["responses"]["Error"];
        };
    };
    pauseJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Job id: 12 lowercase hex; anything else is 400 invalid_job_id "Invalid job ID format" (checked by the handler, after auth). */
                job_id: components["parameters"]["JobIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            500: components["responses"]["InternalError"];
            501: components["responses"]["NotImplemented"];
            default: components["responses"]["Error"];
        };
    };
    resumeJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Job id: 12 lowercase hex; anything else is 400 invalid_job_id "Invalid job ID format" (checked by the handler, after auth). */
                job_id: components["parameters"]["JobIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            500: components["responses"]["InternalError"];
            501: components["responses"]["NotImplemented"];
            default: components["responses"]["Error"];
        };
    };
    runJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Job id: 12 lowercase hex; anything else is 400 invalid_job_id "Invalid job ID format" (checked by the handler, after auth). */
                job_id: components["parameters"]["JobIdPath"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RunJobRequest"];
            };
        };
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["InternalError"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
            default: components["responses"]["Error"];
        };
    };
    listJobExecutions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Job id: 12 lowercase hex; anything else is 400 invalid_job_id "Invalid job ID format" (checked by the handler, after auth). */
                job_id: components["parameters"]["JobIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobExecutionList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
            501: components["responses"]["NotImplemented"];
            default: components["responses"]["Error"];
        };
    };
    listSessions: {
        parameters: {
            query?: {
                /** @description Page size (default 50, max 200; invalid → default). */
                limit?: string;
                /** @description Offset (default 0, max 1e6; invalid → 0). */
                offset?: string;
                /** @description Filter by source. */
                source?: string;
                /** @description Accepted for Hermes compatibility; forks are listed like any session. */
                include_children?: string;
                /** @description Filter by title. */
                title?: string;
                /** @description Include hidden sessions (true/1/yes/on, as Hermes reads booleans). */
                include_hidden?: string;
            };
            header?: {
                /** @description Long-term memory scope / declared conversation key; echoed unchanged. Trimmed; empty = absent; no CR/LF/NUL (handler). */
                "X-Hermes-Session-Key"?: components["parameters"]["SessionKeyHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            500: components["responses"]["InternalError"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
            default: components["responses"]["Error"];
        };
    };
    createSession: {
        parameters: {
            query?: never;
            header?: {
                /** @description Long-term memory scope / declared conversation key; echoed unchanged. Trimmed; empty = absent; no CR/LF/NUL (handler). */
                "X-Hermes-Session-Key"?: components["parameters"]["SessionKeyHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["CreateSessionRequest"];
            };
        };
        responses: {
            /** @description Success. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionEnvelope"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["InternalError"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
            default: components["responses"]["Error"];
        };
    };
    getSession: {
        parameters: {
            query?: never;
            header?: {
                /** @description Long-term memory scope / declared conversation key; echoed unchanged. Trimmed; empty = absent; no CR/LF/NUL (handler). */
                "X-Hermes-Session-Key"?: components["parameters"]["SessionKeyHeader"];
            };
            path: {
                /** @description Session id. */
                session_id: components["parameters"]["SessionIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionEnvelope"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
            default: components["responses"]["Error"];
        };
    };
    deleteSession: {
        parameters: {
            query?: never;
            header?: {
                /** @description Long-term memory scope / declared conversation key; echoed unchanged. Trimmed; empty = absent; no CR/LF/NUL (handler). */
                "X-Hermes-Session-Key"?: components["parameters"]["SessionKeyHeader"];
            };
            path: {
                /** @description Session id. */
                session_id: components["parameters"]["SessionIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionDeleted"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            500: components["responses"]["InternalError"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
            default: components["responses"]["Error"];
        };
    };
    updateSession: {
        parameters: {
            query?: never;
            header?: {
                /** @description Long-term memory scope / declared conversation key; echoed unchanged. Trimmed; empty = absent; no CR/LF/NUL (handler). */
                "X-Hermes-Session-Key"?: components["parameters"]["SessionKeyHeader"];
            };
            path: {
                /** @description Session id. */
                session_id: components["parameters"]["SessionIdPath"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateSessionRequest"];
            };
        };
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionEnvelope"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["InternalError"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
            default: components["responses"]["Error"];
        };
    };
    listSessionMessages: {
        parameters: {
            query?: {
                /** @description Max messages (default: latest 500; capped at 500); negative or non-integer: 400 invalid_pagination. */
                limit?: string;
                /** @description Messages to skip; negative or non-integer: 400 invalid_pagination. */
                offset?: string;
                /** @description oldest (default) or latest; anything else: 400 invalid_pagination. */
                order?: string;
            };
            header?: {
                /** @description Long-term memory scope / declared conversation key; echoed unchanged. Trimmed; empty = absent; no CR/LF/NUL (handler). */
                "X-Hermes-Session-Key"?: components["parameters"]["SessionKeyHeader"];
            };
            path: {
                /** @description Session id. */
                session_id: components["parameters"]["SessionIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionMessageList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
            default: components["responses"]["Error"];
        };
    };
    forkSession: {
        parameters: {
            query?: never;
            header?: {
                /** @description Long-term memory scope / declared conversation key; echoed unchanged. Trimmed; empty = absent; no CR/LF/NUL (handler). */
                "X-Hermes-Session-Key"?: components["parameters"]["SessionKeyHeader"];
            };
            path: {
                /** @description Session id. */
                session_id: components["parameters"]["SessionIdPath"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ForkSessionRequest"];
            };
        };
        responses: {
            /** @description Success. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionEnvelope"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["InternalError"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
            default: components["responses"]["Error"];
        };
    };
    chatSession: {
        parameters: {
            query?: never;
            header?: {
                /** @description Long-term memory scope / declared conversation key; echoed unchanged. Trimmed; empty = absent; no CR/LF/NUL (handler). */
                "X-Hermes-Session-Key"?: components["parameters"]["SessionKeyHeader"];
            };
            path: {
                /** @description Session id. */
                session_id: components["parameters"]["SessionIdPath"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SessionChatRequest"];
            };
        };
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    "X-Hermes-Session-Id": components["headers"]["XHermesSessionId"];
                    "X-Hermes-Session-Key": components["headers"]["XHermesSessionKey"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionChatResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            501: components["responses"]["NotImplemented"];
            502: components["responses"]["BadGateway"];
            503: components["responses"]["ServiceUnavailable"];
            504: components["responses"]["GatewayTimeout"];
            default: components["responses"]["Error"];
        };
    };
    streamSessionChat: {
        parameters: {
            query?: never;
            header?: {
                /** @description Long-term memory scope / declared conversation key; echoed unchanged. Trimmed; empty = absent; no CR/LF/NUL (handler). */
                "X-Hermes-Session-Key"?: components["parameters"]["SessionKeyHeader"];
            };
            path: {
                /** @description Session id. */
                session_id: components["parameters"]["SessionIdPath"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SessionChatRequest"];
            };
        };
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    "X-Hermes-Session-Id": components["headers"]["XHermesSessionId"];
                    "X-Hermes-Session-Key": components["headers"]["XHermesSessionKey"];
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
            default: components["responses"]["Error"];
        };
    };
    setSessionModel: {
        parameters: {
            query?: never;
            header?: {
                /** @description Long-term memory scope / declared conversation key; echoed unchanged. Trimmed; empty = absent; no CR/LF/NUL (handler). */
                "X-Hermes-Session-Key"?: components["parameters"]["SessionKeyHeader"];
            };
            path: {
                /** @description Session id. */
                session_id: components["parameters"]["SessionIdPath"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["SessionModelLockRequest"];
            };
        };
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionModelLockResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
            default: components["responses"]["Error"];
        };
    };
}
