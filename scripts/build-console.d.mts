// Types of scripts/build-console.mjs, for the specs that build the console bundle before driving it.
/** Whether dist/console/ is missing or older than console/ (or the build script). */
export function consoleIsStale(): boolean;
/** Bundles console/ into dist/console/console.js and console.css. */
export function buildConsole(): Promise<void>;
