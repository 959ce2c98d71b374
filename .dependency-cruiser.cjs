// Layer rules of lib/ (DESIGN.md, "Shape"): data flows one way, each layer imports only the ones
// below it. `npm run layers` (part of `npm test`) fails on any violation.
//
// Allowed inside lib/ (anything not listed is forbidden):
//   foundation (errors, log, metrics, paths, version, async-queue, sse, spill-file, generated/) -> foundation
//   config/  -> foundation
//   store/   -> foundation, config
//   engine/  -> foundation, config, store
//   agents/  -> foundation, config, engine/port/ (the agent port it implements)
//   proxy/   -> foundation, config
//   http/    -> foundation, config, store, proxy
//   api/     -> foundation, config, store, engine, http
//   gateway.ts, cli.ts -> anything; only cli.ts may import gateway.ts
//
// Paths are anchored at `lib/` of the repository or of the miniature copy in fixtures/layers/
// (spec/layers/layers.spec.ts cruises that copy with this same file), never inside node_modules.
const ROOT = '^(?:fixtures/layers/)?lib/';

/** Path patterns of each layer (relative to ROOT). */
const LAYER = {
  foundation: '(?:errors|log|metrics|paths|version|async-queue|sse|spill-file)\\.ts$|generated/',
  config: 'config/',
  store: 'store/',
  engine: 'engine/',
  enginePort: 'engine/port/',
  agents: 'agents/',
  proxy: 'proxy/',
  http: 'http/',
  api: 'api/',
  gateway: 'gateway\\.ts$',
  cli: 'cli\\.ts$',
};

/** Regex for the files of the given layers. */
const at = (...layers) => `${ROOT}(?:${layers.map((l) => LAYER[l]).join('|')})`;

/** One error rule: files of layer `from` must not import files of layer `to`. */
const forbid = (from, to, comment) => ({
  name: `${from}-not-to-${to}`,
  comment,
  severity: 'error',
  from: { path: at(from) },
  to: { path: at(to) },
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    // foundation: below everything, imports only foundation
    forbid('foundation', 'config', 'foundation is below everything; config depends on it, not the reverse'),
    forbid('foundation', 'store', 'foundation is below everything; it must not know the store'),
    forbid('foundation', 'engine', 'foundation is below everything; it must not know the engine'),
    forbid('foundation', 'agents', 'foundation is below everything; it must not know agent adapters'),
    forbid('foundation', 'proxy', 'foundation is below everything; it must not know upstream forwarding'),
    forbid('foundation', 'http', 'foundation is below everything; it must not know the HTTP door'),
    forbid('foundation', 'api', 'foundation is below everything; it must not know the API surfaces'),

    // config: foundation only
    forbid('config', 'store', 'config is read before anything is built; the store is built from it'),
    forbid('config', 'engine', 'config describes the engine, it must not depend on it'),
    forbid('config', 'agents', 'config describes agents, it must not depend on the adapters'),
    forbid('config', 'proxy', 'config describes upstreams, it must not depend on the forwarding code'),
    forbid('config', 'http', 'config is below the HTTP door and must not depend on it'),
    forbid('config', 'api', 'config is below the API surfaces and must not depend on them'),

    // store: foundation, config
    forbid('store', 'engine', 'store holds state for the engine and imports nothing above it'),
    forbid('store', 'agents', 'store holds state and must not know agent adapters'),
    forbid('store', 'proxy', 'store holds state and must not know upstream forwarding'),
    forbid('store', 'http', 'store holds state and must not know the HTTP door'),
    forbid('store', 'api', 'store holds state and must not know the API surfaces (wire formats)'),

    // engine: foundation, config, store
    forbid('engine', 'agents', 'engine owns the agent port; adapters plug into it, the engine imports no adapter'),
    forbid('engine', 'proxy', 'engine runs agent turns and knows nothing of upstream forwarding'),
    forbid('engine', 'http', 'engine speaks engine events, never HTTP; http/ sits above it'),
    forbid('engine', 'api', 'engine speaks engine events, never wire formats; api/ translates above it'),

    // agents: foundation, config, engine/port only
    forbid('agents', 'store', 'agent adapters implement the engine port; persistence is the engine\'s job'),
    {
      name: 'agents-not-to-engine-internals',
      comment: 'agent adapters may import only the port they implement (engine/port/), no other engine file',
      severity: 'error',
      from: { path: at('agents') },
      to: { path: at('engine'), pathNot: at('enginePort') },
    },
    forbid('agents', 'proxy', 'agent adapters talk ACP to local agents, never to upstream forwarding'),
    forbid('agents', 'http', 'no agent adapter knows HTTP; errors and events go through the engine port'),
    forbid('agents', 'api', 'no agent adapter knows an OpenAI wire format'),

    // proxy: foundation, config
    forbid('proxy', 'store', 'proxy forwards requests upstream and keeps no gateway state'),
    forbid('proxy', 'engine', 'proxy forwards upstream and never starts agent turns'),
    forbid('proxy', 'agents', 'proxy forwards upstream and never talks to agent adapters'),
    forbid('proxy', 'http', 'proxy is mounted by http/ (routing decision), it must not import the door back'),
    forbid('proxy', 'api', 'proxy is a sibling of the API surfaces, not a user of them'),

    // http: foundation, config, store, proxy
    forbid('http', 'engine', 'http/ is the door: it routes to api/ or proxy/ and knows nothing of the engine'),
    forbid('http', 'agents', 'http/ knows nothing of agents'),
    forbid('http', 'api', 'api/ modules are hosted by http/ and mounted by the composition root, not imported by it'),

    // api: foundation, config, store, engine, http
    forbid('api', 'agents', 'api/ talks to the engine, never to agent adapters'),
    forbid('api', 'proxy', 'api/ talks to the engine; forwarding upstream is proxy/ behind http/'),

    // composition root
    {
      name: 'not-to-composition-root',
      comment: 'gateway.ts and cli.ts build everything; nothing in lib/ may import them (except cli -> gateway)',
      severity: 'error',
      from: { path: ROOT, pathNot: at('gateway', 'cli') },
      to: { path: at('gateway', 'cli') },
    },
    forbid('gateway', 'cli', 'cli.ts is the process entry that calls gateway.ts, never the reverse'),

    // structure
    {
      name: 'not-to-unlayered-lib',
      comment: 'every module of lib/ belongs to a layer above; a new one must be placed in the rules first',
      severity: 'error',
      from: {},
      to: {
        path: ROOT,
        pathNot: at(...Object.keys(LAYER)),
      },
    },
    {
      name: 'no-cycle-across-folders',
      comment: 'a cycle that leaves its top-level folder of lib/ ties two layers together (cycles inside one folder are tolerated)',
      severity: 'error',
      from: { path: `${ROOT}([^/]+)` },
      to: { circular: true, via: { pathNot: `${ROOT}$1(?:/|$)` } },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'an import the tool cannot resolve escapes every rule above (e.g. a broken .js -> .ts mapping)',
      severity: 'error',
      from: { path: ROOT },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // `import type` and type-only re-exports count like any other import
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Sources use ESM `.js` specifiers for `.ts` files (NodeNext); dependency-cruiser maps `./x.js` to
    // `./x.ts` itself when x.js does not exist (enhanced-resolve's extensionAlias is not configurable here),
    // and the not-to-unresolvable rule above fails the run should that ever stop working.
    enhancedResolveOptions: {
      extensions: ['.ts', '.js', '.json'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      exportsFields: ['exports'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    doNotFollow: { path: 'node_modules' },
    moduleSystems: ['es6', 'cjs'],
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
