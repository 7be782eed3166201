import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  describeBrowserStep,
  type BrowserChecks,
  type BrowserPage,
  type BrowserStep,
} from '@horizon/sandbox';
import type { Browser, BrowserContext, Page } from 'playwright-core';

/** A request of the page that failed: answered with an error status, or never answered. */
export type FailedRequest = { method: string; url: string } & ({ status: number } | { error: string });

/** What one page of `.horizon/verify.yaml` showed: the evidence a verdict and a reviewer read. */
export interface PageCapture {
  name: string;
  path: string;
  url: string;
  /** `<outDir>/<name>.png`, full page; null when the page could not be captured at all. */
  screenshot: string | null;
  /** `<outDir>/<name>.html`, the DOM as it was at the capture; null likewise. */
  dom: string | null;
  consoleErrors: string[];
  failedRequests: FailedRequest[];
  /** Where the page stopped: its load or the step that failed, with Playwright's first line. */
  stepError: string | null;
  durationMs: number;
}

export interface BrowserCapture {
  pages: PageCapture[];
}

export interface CaptureOptions {
  browser: Browser;
  /** Where the preview answers, e.g. `http://127.0.0.1:5173`; each page's path is appended. */
  baseUrl: string;
  checks: BrowserChecks;
  outDir: string;
  /** How long the page's load, and each of its steps, may take. */
  timeoutMs?: number;
}

/** Evidence for an agent's prompt: enough to recognise the error, bounded whatever the page logs. */
export const MAX_CONSOLE_ERROR_CHARS = 500;
export const MAX_ERRORS_PER_PAGE = 20;
/**
 * A page that keeps polling never goes network-idle; after its `load` it gets this long to
 * settle (late fetches rendering) before the steps start anyway.
 */
const NETWORK_IDLE_CAP_MS = 2_000;

/**
 * Chromium logs every failed resource load as a console error too. The failed request itself is
 * recorded with its URL (which the verdict needs to ignore other origins), so the duplicate goes.
 */
const RESOURCE_LOAD_ERROR = /^Failed to load resource: /;

/**
 * Visits each page in a fresh context (so no state leaks between pages) with everything that
 * makes pixels vary pinned: scale, locale, time zone, motion, colour scheme. A page's own
 * failure becomes its evidence; only a browser that went away throws.
 */
export async function captureBrowserChecks(options: CaptureOptions): Promise<BrowserCapture> {
  await mkdir(options.outDir, { recursive: true });
  const pages: PageCapture[] = [];
  for (const page of options.checks.pages) {
    pages.push(await capturePage(options, page));
    if (!options.browser.isConnected())
      throw new Error(`the browser went away while capturing page "${page.name}" (${page.path})`);
  }
  return { pages };
}

async function capturePage(options: CaptureOptions, check: BrowserPage): Promise<PageCapture> {
  const started = Date.now();
  const url = `${options.baseUrl.replace(/\/+$/, '')}${check.path}`;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const context = await options.browser.newContext({
    viewport: options.checks.viewport,
    deviceScaleFactor: 1,
    locale: 'en-US',
    timezoneId: 'UTC',
    reducedMotion: 'reduce',
    colorScheme: 'light',
  });
  try {
    context.setDefaultTimeout(timeoutMs);
    const page = await context.newPage();
    const evidence = listen(page);
    const stepError = await visit(page, url, check.steps, timeoutMs);
    const screenshot = join(options.outDir, `${check.name}.png`);
    const dom = join(options.outDir, `${check.name}.html`);
    const [shot, html] = await Promise.all([
      page
        .screenshot({ path: screenshot, fullPage: true, animations: 'disabled', caret: 'hide' })
        .then(() => screenshot)
        .catch(() => null),
      page
        .content()
        .then((text) => writeFile(dom, text))
        .then(() => dom)
        .catch(() => null),
    ]);
    return {
      name: check.name,
      path: check.path,
      url,
      screenshot: shot,
      dom: html,
      ...evidence.stop(),
      stepError,
      durationMs: Date.now() - started,
    };
  } finally {
    await closeQuietly(context);
  }
}

/** Records console errors, uncaught exceptions and failed requests until `stop()`. */
function listen(page: Page): { stop(): { consoleErrors: string[]; failedRequests: FailedRequest[] } } {
  const consoleErrors: string[] = [];
  const failedRequests: FailedRequest[] = [];
  let recording = true;
  const addError = (text: string) => {
    if (recording && consoleErrors.length < MAX_ERRORS_PER_PAGE)
      consoleErrors.push(
        text.length > MAX_CONSOLE_ERROR_CHARS ? `${text.slice(0, MAX_CONSOLE_ERROR_CHARS)}…` : text,
      );
  };
  const addRequest = (request: FailedRequest) => {
    if (recording && failedRequests.length < MAX_ERRORS_PER_PAGE) failedRequests.push(request);
  };
  page.on('console', (message) => {
    if (message.type() === 'error' && !RESOURCE_LOAD_ERROR.test(message.text())) addError(message.text());
  });
  page.on('pageerror', (error) => addError(`Uncaught ${String(error)}`));
  page.on('requestfailed', (request) =>
    addRequest({
      method: request.method(),
      url: request.url(),
      error: request.failure()?.errorText ?? 'failed',
    }),
  );
  page.on('response', (response) => {
    if (response.status() >= 400)
      addRequest({ method: response.request().method(), url: response.url(), status: response.status() });
  });
  return {
    // Closing the context aborts what is still in flight: those are not the page's failures.
    stop() {
      recording = false;
      return { consoleErrors, failedRequests };
    },
  };
}

/** Loads the page and runs its steps in order; the first failure stops it and is returned. */
async function visit(
  page: Page,
  url: string,
  steps: BrowserStep[],
  timeoutMs: number,
): Promise<string | null> {
  try {
    await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
  } catch (error) {
    return `loading ${url} failed: ${firstLine(error)}`;
  }
  await page.waitForLoadState('networkidle', { timeout: NETWORK_IDLE_CAP_MS }).catch(() => undefined);
  for (const [index, step] of steps.entries()) {
    try {
      await runStep(page, step, timeoutMs);
    } catch (error) {
      return `step ${index + 1} (${describeBrowserStep(step)}) failed: ${firstLine(error)}`;
    }
  }
  return null;
}

async function runStep(page: Page, step: BrowserStep, timeoutMs: number): Promise<void> {
  if (step.click !== undefined) return page.locator(step.click).click();
  if (step.fill) return page.locator(step.fill.selector).fill(step.fill.value);
  if (step.press) return page.locator(step.press.selector).press(step.press.key);
  if (step.waitFor !== undefined) return page.locator(step.waitFor).waitFor({ state: 'visible' });
  if (step.expectText) return expectText(page, step.expectText.selector, step.expectText.text, timeoutMs);
}

/**
 * Waits for an element matching `selector` to contain `text` (case-sensitive), and otherwise
 * says what the element read instead: the agent fixing the page needs the actual text.
 */
async function expectText(page: Page, selector: string, text: string, timeoutMs: number): Promise<void> {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const matching = page.locator(selector).filter({ hasText: new RegExp(escaped) });
  try {
    await matching.first().waitFor({ state: 'attached' });
  } catch {
    const actual = await page
      .locator(selector)
      .first()
      .innerText({ timeout: 500 })
      .catch(() => null);
    throw new Error(
      actual === null
        ? `no element matches "${selector}" after ${timeoutMs}ms`
        : `"${selector}" reads "${actual.trim().slice(0, 200)}", not "${text}", after ${timeoutMs}ms`,
    );
  }
}

/** Playwright's messages continue with a call log; its first line says what failed. */
function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.trim();
}

/** A context whose browser already went is gone with it; the caller's check reports that. */
async function closeQuietly(context: BrowserContext): Promise<void> {
  await context.close().catch(() => undefined);
}
