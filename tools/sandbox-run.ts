// The operator command: boots a sandbox exactly as a run would (snapshot of the repository's
// HEAD with its .horizon/config.yaml setup, the flavour's egress policy, the run branch) and
// runs one command in it, streaming its output and exiting with its code. Needs root.
//   node -r @swc-node/register tools/sandbox-run.ts --repo <path> [--flavour implement] [--allow host[:port]]… -- <command> [args…]
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { constants, tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import { sandboxFlavours, type SandboxFlavour } from '@horizon/contracts';
import { parseConfig } from '@horizon/config';
import { configShape, modelProviderConfig } from '../apps/sandbox-manager/src/config';
import { GitRemote } from '../apps/sandbox-manager/src/host/git-remote';
import { egressCredentials, openSandboxRuntime } from '../apps/sandbox-manager/src/host/sandbox-runtime';

const USAGE = `usage: sandbox-run.ts --repo <path> [--flavour ${sandboxFlavours.join('|')}] [--allow host[:port]]… -- <command> [args…]

Boots a sandbox from a snapshot of <path>'s committed HEAD (uncommitted changes are not in
it), on branch horizon/sandbox-run-<id>, and runs <command> in /workspace as a run's agent
would: same isolation, limits (4096 MiB, 2 CPUs, 512 processes) and egress policy. --allow
adds allowlist entries for this run. Output streams through; the exit code is the command's.
The egress request log is kept and its path printed at the end. Run as root.

  --repo <path>      a git repository on this machine
  --flavour <name>   plan | implement (default) | verify (its proxy refuses everything)
  --allow <host>     host or host:port, repeatable ("*.example.com" for subdomains)
  -h, --help         this text
Environment: HORIZON_DATA_DIR (default .horizon), SANDBOX_MODEL_PROVIDER,
SANDBOX_MODEL_BASE_URL and SANDBOX_MODEL_API_KEY (the proxy's model route, if set).`;

/** The `SANDBOX_MODEL_*` variables, read and checked as sandbox-manager reads them. */
function modelSettings() {
  const { SANDBOX_MODEL_PROVIDER, SANDBOX_MODEL_BASE_URL, SANDBOX_MODEL_API_KEY } = configShape;
  return parseConfig({ SANDBOX_MODEL_PROVIDER, SANDBOX_MODEL_BASE_URL, SANDBOX_MODEL_API_KEY });
}

const say = (line: string) => process.stderr.write(`[sandbox-run] ${line}\n`);

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      repo: { type: 'string' },
      flavour: { type: 'string', default: 'implement' },
      allow: { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const flavour = values.flavour as SandboxFlavour;
  if (!values.repo || positionals.length === 0 || !sandboxFlavours.includes(flavour)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (process.geteuid?.() !== 0) {
    say('must run as root (it mounts the workspace overlay and creates cgroups, as sandbox-manager does)');
    return 1;
  }
  const repoPath = resolve(values.repo);
  const repo = `local/${basename(repoPath).replace(/[^A-Za-z0-9_.-]/g, '_')}`;
  const base = join(resolve(process.env.HORIZON_DATA_DIR ?? '.horizon'), 'sandbox-run');
  // A driver clears its folder's leftovers when it opens: each invocation gets its own, short
  // enough for the egress socket's path limit.
  const stateDir = join(tmpdir(), `hzn-sr-${process.pid}`);
  const runtime = await openSandboxRuntime({
    stateDir,
    snapshotsDir: join(base, 'snapshots'),
    artifactsDir: join(base, 'logs'),
    hostName: 'sandbox-run',
    hostUid: 100_000,
    remote: GitRemote.single(repoPath),
    credentials: egressCredentials({ forgeUrl: '', model: modelProviderConfig(modelSettings()) }),
    snapshotKeep: 2,
  });
  if (runtime.refusal) {
    say(`this host cannot run sandboxes: ${runtime.refusal.message}`);
    return 1;
  }
  const sandboxId = randomUUID();
  try {
    const refreshed = await runtime.snapshots.refresh(repo, flavour);
    if (refreshed.built) say(`built snapshot ${refreshed.built.id}`);
    const started = Date.now();
    const booted = await runtime.host.boot({
      sandboxId,
      runId: null,
      repo,
      flavour,
      baseRef: 'HEAD',
      branch: `horizon/sandbox-run-${sandboxId.slice(0, 8)}`,
      resources: { memoryMiB: 4096, cpuMillis: 2000, maxProcesses: 512 },
      extraAllow: values.allow,
    });
    say(
      `${flavour} sandbox ${sandboxId} on ${booted.commit.slice(0, 12)} booted in ${Date.now() - started} ms`,
    );
    const child = await runtime.host.exec(sandboxId, positionals);
    if (process.stdin.isTTY) child.stdin.end();
    else process.stdin.pipe(child.stdin);
    child.stdout.pipe(process.stdout);
    child.stderr.pipe(process.stderr);
    const stop = () => child.kill();
    process.once('SIGINT', stop).once('SIGTERM', stop);
    const exit = await child.exit;
    process.stdin.unpipe(child.stdin);
    process.stdin.destroy();
    if (exit.outOfMemory) say('a process was killed: out of memory (4096 MiB)');
    say(`egress log: ${join(base, 'logs', sandboxId, 'egress.jsonl')}`);
    if (exit.signal) return 128 + (constants.signals[exit.signal] ?? 0);
    return exit.code ?? 1;
  } finally {
    await runtime.host.destroy(sandboxId);
    await rm(stateDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    say(error.message);
    process.exit(1);
  },
);
