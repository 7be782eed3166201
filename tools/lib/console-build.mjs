// The console's browser app (apps/console/web), built by Vite into apps/console/dist/web where
// the console backend serves it. dist/ is not committed, so a fresh clone builds it here.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import zlib from 'node:zlib';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CONSOLE = path.join(ROOT, 'apps/console');
const SOURCES = path.join(CONSOLE, 'web');
const CONFIG = path.join(CONSOLE, 'vite.config.ts');
const OUT = path.join(CONSOLE, 'dist/web');

/**
 * What the first page load downloads before it can draw anything: the entry chunk and the
 * chunks it imports statically. Measured 2026-12 at 106 kB gzip (React, react-dom,
 * react-router, the app); the graph page (@xyflow/react, elkjs) is lazy and not counted.
 * Over budget means something heavy slipped into the entry: lazy-load it.
 */
export const ENTRY_BUDGET_KB = 150;

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs;
    newest = Math.max(newest, mtime);
  }
  return newest;
}

export function consoleIsStale() {
  const index = path.join(OUT, 'index.html');
  if (!fs.existsSync(index)) return true;
  const built = fs.statSync(index).mtimeMs;
  return newestMtime(SOURCES) > built || fs.statSync(CONFIG).mtimeMs > built;
}

/** Gzipped bytes of the entry chunk and everything it imports statically (from Vite's manifest). */
export function entryGzipBytes(outDir = OUT) {
  const manifest = JSON.parse(fs.readFileSync(path.join(outDir, '.vite/manifest.json'), 'utf8'));
  const entry = Object.keys(manifest).find((key) => manifest[key].isEntry);
  if (!entry) throw new Error(`no entry chunk in ${outDir}/.vite/manifest.json`);
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const imported of manifest[key].imports ?? []) visit(imported);
  };
  visit(entry);
  let bytes = 0;
  for (const key of seen) {
    const file = path.join(outDir, manifest[key].file);
    if (file.endsWith('.js')) bytes += zlib.gzipSync(fs.readFileSync(file)).length;
  }
  return bytes;
}

/**
 * Builds the console when its build is missing or older than its sources or Vite config, then
 * checks the entry budget. Prints one line when it builds, nothing when the build is current.
 * Throws (with what to do) when the build fails or the entry chunk is over budget.
 */
export async function buildConsoleIfStale({ force = false, log = (line) => console.log(line) } = {}) {
  if (!force && !consoleIsStale()) return { built: false };
  const started = Date.now();
  // The config is TypeScript in a CommonJS package: Vite bundles it fine, but would warn on
  // every build that its future native loader could not.
  process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING ??= 'true';
  // Loaded only when needed: a current build costs bootstrap no Vite start-up.
  const { build } = await import('vite');
  // Vite keeps a NODE_ENV it finds set, and jest sets `test`: a bootstrap started by a test
  // built React's development bundle, 60 kB over the budget. The console ships production.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: CONFIG, logLevel: 'warn', mode: 'production' });
  } catch (err) {
    throw new Error(
      `the console's Vite build failed: ${err.message}\nRun \`npm run console:build\` to see it again.`,
    );
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  // kB as Vite's own report counts them (1000 bytes), so the two figures agree.
  const kb = Math.round(entryGzipBytes() / 1000);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  log(`[horizon] console: built in ${seconds}s (${kb} kB gzip)`);
  if (kb > ENTRY_BUDGET_KB) {
    // Remove the build so the next run tries again instead of serving an over-budget bundle.
    fs.rmSync(path.join(OUT, 'index.html'), { force: true });
    throw new Error(
      `the console's entry chunk is ${kb} kB gzip, over its ${ENTRY_BUDGET_KB} kB budget ` +
        `(tools/lib/console-build.mjs): lazy-load what made it grow (see apps/console/dist/web/.vite/manifest.json).`,
    );
  }
  return { built: true, kb };
}

// `npm run console:build`: always builds.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  buildConsoleIfStale({ force: true }).catch((err) => {
    console.error(`[horizon] console: ${err.message}`);
    process.exit(1);
  });
}
