// Config types come from schemas/config.schema.json (generated); this module only re-exports them.
export type {
  AgentConfig,
  ApiKeyConfig,
  GatewayConfig,
  ProfileConfig,
  RouteConfig,
  UpstreamConfig,
} from '../generated/config.gen.js';
