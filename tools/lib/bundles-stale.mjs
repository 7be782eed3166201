// Whether the production bundles (`npm run build`: each service's dist/main.cjs and the agent
// runner's) are older than what they are made from. The test run (tools/test.mjs) rebuilds
// them only then, so suites may start services from bundles without testing stale code. By
// modification time: a checkout, a pull or an edit all make a source newer than its bundle.
import fs from 'node:fs';
import path from 'node:path';
import { RUNNER_BUNDLE, SERVICES, bundleOf } from './services.mjs';
import { ROOT } from './stack.mjs';

// Folders that hold no bundle input: tests, other builds, the console's browser app (built
// apart, by console-build.mjs), packages (package-lock.json stands for them).
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'test', 'web', 'demo', '.horizon']);
const isInput = (name) =>
  /\.(ts|tsx|js|mjs|cjs|json|prisma)$/.test(name) && !/\.(spec|test)\.tsx?$/.test(name);

/** True when some input under `dir` was modified after `since` (ms). */
function newerUnder(dir, since) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name) && newerUnder(full, since)) return true;
    } else if (isInput(entry.name) && fs.statSync(full).mtimeMs > since) return true;
  }
  return false;
}

export function bundlesStale() {
  let oldest = Infinity;
  for (const bundle of [...SERVICES.map((s) => bundleOf(s.name)), RUNNER_BUNDLE]) {
    if (!fs.existsSync(bundle)) return true;
    oldest = Math.min(oldest, fs.statSync(bundle).mtimeMs);
  }
  const files = ['package-lock.json', '.swcrc', 'tools/lib/service-build.mjs'].map((f) => path.join(ROOT, f));
  if (files.some((f) => fs.existsSync(f) && fs.statSync(f).mtimeMs > oldest)) return true;
  return newerUnder(path.join(ROOT, 'apps'), oldest) || newerUnder(path.join(ROOT, 'libs'), oldest);
}
