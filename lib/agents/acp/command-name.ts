// The name an agent's command line stands for, used as its model id when it reports no agentInfo:
// `hermes acp` -> hermes, `node path/to/x.js` -> x, `npx @scope/pkg@1.2` -> pkg, `python3 -m mod` -> mod.
// Interpreters and package runners are skipped, never the name.

/** Runners whose first operand (after their options) is the real program. */
const INTERPRETER = /^(?:node|nodejs|bun|bunx|deno|tsx|ts-node|npx|pnpx|pnpm|npm|yarn|uv|uvx|pipx|python[\d.]*|env)$/;
/** Subcommands of runners that come before the program (`pnpm dlx pkg`, `uv run x`, `bun x pkg`, `npm exec pkg`). */
const SUBCOMMAND = new Set(['dlx', 'exec', 'x', 'run', 'tool']);
/** Options of those runners that take a value (so the value is not the program). */
const TAKES_VALUE = new Set([
  '--import',
  '--require',
  '-r',
  '--loader',
  '--experimental-loader',
  '--env-file',
  '--conditions',
  '-C',
  '--from',
  '--with',
  '--python',
  '-p',
  '--package',
  '--spec',
  '--index-url',
]);
const SCRIPT_EXT = /\.(?:[cm]?[jt]s|py|exe)$/i;

export function commandName(command: string, args: readonly string[] = []): string {
  const program = stripExt(baseName(command));
  if (!INTERPRETER.test(program.toLowerCase())) return program || command;
  let subcommandAllowed = true;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-m' && i + 1 < args.length) return args[i + 1]; // python -m module
    if (arg.startsWith('-')) {
      if (TAKES_VALUE.has(arg)) i++;
      continue;
    }
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(arg)) continue; // env VAR=value cmd
    if (subcommandAllowed && SUBCOMMAND.has(arg)) {
      subcommandAllowed = false;
      continue;
    }
    // `env [VAR=value] node x.js`: the program env runs may be an interpreter itself.
    return program === 'env' ? commandName(arg, args.slice(i + 1)) : operandName(arg);
  }
  return program;
}

/** A script path's file name (its folder for index files), or an npm package's name without scope and version. */
function operandName(operand: string): string {
  if (operand.startsWith('@') && !operand.includes('\\') && operand.split('/').length === 2) {
    return stripVersion(operand.split('/')[1]);
  }
  const parts = operand.split(/[\\/]/).filter(Boolean);
  if (parts.length > 1 || SCRIPT_EXT.test(operand)) {
    const file = stripExt(parts.at(-1) ?? operand);
    return (file === 'index' || file === 'main') && parts.length > 1 ? parts[parts.length - 2] : file;
  }
  return stripVersion(operand);
}

function stripVersion(name: string): string {
  const at = name.indexOf('@', 1);
  return at > 0 ? name.slice(0, at) : name;
}

/** The last path segment, for POSIX and Windows separators alike. */
function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).at(-1) ?? path;
}

function stripExt(file: string): string {
  return file.replace(SCRIPT_EXT, '');
}
