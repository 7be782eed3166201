import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type {
  BrowserCheckRequest,
  BrowserCheckResult,
  BrowserEvidenceMetadata,
  RunArtifactKind,
  SandboxResources,
} from '@horizon/contracts';
import type { Logger } from '@horizon/observability';
import {
  chromiumInside,
  defaultFlavourPolicies,
  type BrowserChecks,
  type SandboxDriver,
  type SandboxHandle,
} from '@horizon/sandbox';
import type { RunArtifact } from '../../application/ports';
import { captureBrowserChecks, type BrowserCapture } from './capture';
import { compareScreenshots } from './compare';
import { browserVerdict } from './verdict';

/**
 * The name the verify sandbox's Chromium reaches the preview by. `.internal` is reserved for
 * private use (ICANN, 2024): no public name can collide, and Chromium sends it to the proxy
 * like any other host (a `*.localhost` name it would resolve to its own loopback instead).
 */
export const PREVIEW_HOST = 'preview.horizon.internal';

/** Where evidence files are kept once captured: the artifact store other services read. */
export interface EvidenceStore {
  put(name: string, data: Uint8Array, contentType: string): Promise<string>;
}

export interface SandboxBrowserVerifierOptions {
  driver: SandboxDriver;
  /** Root-owned folder for the verify sandboxes' empty root and Chromium's entry scripts. */
  runtimeDir: string;
  /** Where evidence goes for the console and the PR; null keeps it on this host only. */
  store: EvidenceStore | null;
  resources: SandboxResources;
  logger: Logger;
}

/** One run's browser verification: its sandbox, its checks, where its artifacts go. */
export interface BrowserCheckRun {
  runId: string;
  sandboxId: string;
  repo: string;
  branch: string;
  /** The run's sandbox, where the preview answers. */
  handle: SandboxHandle;
  /** `.horizon/verify.yaml` at the run's base; the default checks only the ready page. */
  checks: BrowserChecks;
  /** The run's artifacts folder; evidence goes under `browser/`. */
  artifactsDir: string;
}

export interface BrowserCheckOutcome {
  result: BrowserCheckResult;
  artifacts: RunArtifact[];
  /** From the request (the preview ready) to the last page captured, and the verify sandbox's memory then. */
  measures: { capturedMs: number; memoryBytes: number };
}

/**
 * Checks a run's preview in a browser from a verify sandbox of its own (issue #18): Chromium
 * inside it, driven from here by Playwright over the debugging pipe, and no way out but the
 * egress proxy's preview route to the run's sandbox. Playwright stays on the host so the
 * sandbox holds nothing but the browser (no node, no driver code the page could reach).
 */
export class SandboxBrowserVerifier {
  private sequence = 0;
  private madeEmptyRoot: Promise<string> | null = null;

  constructor(private readonly options: SandboxBrowserVerifierOptions) {}

  async check(run: BrowserCheckRun, request: BrowserCheckRequest): Promise<BrowserCheckOutcome> {
    const { driver } = this.options;
    const folder = request.target === 'base' ? 'base' : `change-r${request.round}`;
    const outDir = join(run.artifactsDir, 'browser', folder);
    await mkdir(outDir, { recursive: true, mode: 0o700 });
    const startedAt = Date.now();
    const exposed = await driver.exposePort(run.handle, request.port);
    const id = `${run.sandboxId}-b${++this.sequence}`;
    const emptyRoot = await this.emptyRoot();
    let verify: SandboxHandle | null = null;
    let browser: Browser | null = null;
    const entry = join(this.options.runtimeDir, `chromium-${id}.sh`);
    try {
      verify = await driver.create({
        id,
        flavour: 'verify',
        snapshotDir: emptyRoot,
        resources: this.options.resources,
        env: {},
        egress: {
          policy: defaultFlavourPolicies.verify,
          run: { repo: repoScope(run.repo), branch: run.branch },
          credentials: {},
          logFile: join(outDir, 'egress.jsonl'),
          preview: { host: PREVIEW_HOST, socketPath: exposed.socketPath },
        },
      });
      const line = driver.commandLine(verify, [chromiumInside.executable]);
      await writeFile(entry, entryScript(line.argv), { mode: 0o700 });
      browser = await chromium.launch({
        executablePath: entry,
        args: chromiumInside.args,
        env: line.env,
        timeout: 60_000,
      });
      const capture = await captureBrowserChecks({
        browser,
        baseUrl: `http://${PREVIEW_HOST}`,
        checks: run.checks,
        outDir,
      });
      const capturedMs = Date.now() - startedAt;
      const memoryBytes = (await driver.status(verify)).memoryBytes;
      const base = request.target === 'change' ? await this.baseCapture(run) : null;
      const diffs = base ? await this.diff(run, request.round, base, capture) : [];
      const verdict = browserVerdict(capture, base);
      const result: BrowserCheckResult = {
        target: request.target,
        round: request.round,
        // The base is what the change is compared with; its own problems are not the run's.
        outcome: request.target === 'base' || verdict.passed ? 'passed' : 'failed',
        problems: verdict.problems,
        summary: summaryOf(capture, diffs, verdict.problems),
      };
      this.options.logger.info(
        { runId: run.runId, target: request.target, round: request.round, pages: capture.pages.length, capturedMs, memoryBytes, outcome: result.outcome },
        'browser check done',
      ); // prettier-ignore
      const artifacts = await this.keep(run, request, capture, diffs);
      return { result, artifacts, measures: { capturedMs, memoryBytes } };
    } finally {
      await browser?.close().catch(() => undefined);
      if (verify) await driver.destroy(verify).catch(() => undefined);
      await exposed.close().catch(() => undefined);
      await rm(entry, { force: true });
    }
  }

  /** The base's capture of the same run, read back from its files, to compare against. */
  private async baseCapture(run: BrowserCheckRun): Promise<BrowserCapture | null> {
    const file = join(run.artifactsDir, 'browser', 'base', 'capture.json');
    const text = await readFile(file, 'utf8').catch(() => null);
    return text ? (JSON.parse(text) as BrowserCapture) : null;
  }

  private async diff(
    run: BrowserCheckRun,
    round: number,
    base: BrowserCapture,
    change: BrowserCapture,
  ): Promise<PageDiff[]> {
    const dir = join(run.artifactsDir, 'browser', `diff-r${round}`);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const diffs: PageDiff[] = [];
    for (const page of change.pages) {
      const before = base.pages.find((p) => p.name === page.name)?.screenshot;
      if (!before || !page.screenshot) continue;
      const file = join(dir, `${page.name}.png`);
      const comparison = await compareScreenshots(before, page.screenshot, file);
      diffs.push({ page: page.name, path: page.path, file, changedRatio: comparison.changedRatio });
    }
    return diffs;
  }

  /** Each evidence file put in the store (once: a base is kept before the change needs it). */
  private async keep(
    run: BrowserCheckRun,
    request: BrowserCheckRequest,
    capture: BrowserCapture,
    diffs: PageDiff[],
  ): Promise<RunArtifact[]> {
    const folder = request.target === 'base' ? 'base' : `change-r${request.round}`;
    await writeFile(join(run.artifactsDir, 'browser', folder, 'capture.json'), JSON.stringify(capture));
    const files: Array<{
      kind: RunArtifactKind;
      path: string;
      contentType: string;
      metadata: BrowserEvidenceMetadata;
    }> = [];
    for (const page of capture.pages) {
      const metadata = { page: page.name, path: page.path, target: request.target, round: request.round };
      if (page.screenshot)
        files.push({ kind: 'screenshot', path: page.screenshot, contentType: 'image/png', metadata });
      if (page.dom) files.push({ kind: 'dom_snapshot', path: page.dom, contentType: 'text/html', metadata });
    }
    for (const diff of diffs)
      files.push({
        kind: 'visual_diff',
        path: diff.file,
        contentType: 'image/png',
        metadata: { page: diff.page, path: diff.path, target: 'diff', round: request.round, changedRatio: diff.changedRatio },
      }); // prettier-ignore
    const artifacts: RunArtifact[] = [];
    for (const file of files) {
      const { size } = await stat(file.path);
      const name = `runs/${run.runId}/browser/${file.metadata.target === 'diff' ? `diff-r${request.round}` : folder}/${file.path.split('/').pop()}`;
      const uri = this.options.store
        ? await this.options.store.put(name, await readFile(file.path), file.contentType)
        : undefined;
      artifacts.push({ ...file, sizeBytes: size, ...(uri ? { uri } : {}) });
    }
    return artifacts;
  }

  /** An empty, root-owned folder: a verify sandbox needs no repository, only the browser. Made once. */
  private emptyRoot(): Promise<string> {
    this.madeEmptyRoot ??= (async () => {
      const dir = join(this.options.runtimeDir, 'empty-root');
      await mkdir(dir, { recursive: true, mode: 0o755 });
      await chmod(dir, 0o555);
      return dir;
    })();
    return this.madeEmptyRoot;
  }
}

interface PageDiff {
  page: string;
  path: string;
  file: string;
  changedRatio: number;
}

function repoScope(repo: string): { owner: string; name: string } {
  const [owner, name] = repo.split('/') as [string, string];
  return { owner, name };
}

/** Playwright starts this as Chromium: it enters the verify sandbox, passing the pipes along. */
function entryScript(argv: readonly string[]): string {
  const quoted = argv.map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  return `#!/bin/sh\nexec ${quoted} "$@"\n`;
}

function summaryOf(capture: BrowserCapture, diffs: PageDiff[], problems: string[]): string {
  const pages = `${capture.pages.length} page${capture.pages.length === 1 ? '' : 's'}`;
  const changed = diffs.filter((d) => d.changedRatio > 0).length;
  const compared = diffs.length > 0 ? `; ${changed} of ${diffs.length} changed from the base` : '';
  const found = problems.length > 0 ? `; ${problems.length} problem(s), first: ${problems[0]}` : '';
  return `${pages}${compared}${found}`;
}
