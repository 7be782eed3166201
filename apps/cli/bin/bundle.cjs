// Where the CLI's bundle lives and whether it is older than its sources: read by the `horizon`
// bin at every start (a stale bundle is never run) and by tools/lib/cli-build.mjs, which builds it.
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI_BUNDLE = path.join(__dirname, '..', 'dist', 'horizon.cjs');
/** The files esbuild read for the last bundle, relative to the checkout. */
const INPUTS = path.join(__dirname, '..', 'dist', 'inputs.json');

function cliIsStale() {
  try {
    const built = fs.statSync(CLI_BUNDLE).mtimeMs;
    return JSON.parse(fs.readFileSync(INPUTS, 'utf8')).some((input) => {
      const stat = fs.statSync(path.join(ROOT, input), { throwIfNoEntry: false });
      return !stat || stat.mtimeMs > built;
    });
  } catch {
    return true; // never built
  }
}

module.exports = { ROOT, CLI_BUNDLE, INPUTS, cliIsStale };
