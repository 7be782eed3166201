import type { BrowserCapture, FailedRequest, PageCapture } from './capture';

export interface BrowserVerdict {
  passed: boolean;
  /** One line per failure, naming the page and what failed: a fix round's evidence. */
  problems: string[];
}

/**
 * Whether the change's pages pass: each must finish its steps, log no console error, have no
 * request to the preview's own origin fail (third-party hosts are out of the app's hands and
 * often unreachable from a sandbox), and leave a screenshot.
 *
 * Given the base's capture, console errors and failed requests its same page had too are not
 * the change's doing, so they are not held against it. A failed step always is: the steps say
 * what the change must make work, and a base without the feature fails them as well. Visual
 * differences never fail a page: showing something else is what a change is for; they are
 * evidence for the reviewer, not a verdict.
 */
export function browserVerdict(change: BrowserCapture, base?: BrowserCapture | null): BrowserVerdict {
  const problems = change.pages.flatMap((page) =>
    pageProblems(
      page,
      base?.pages.find((p) => p.name === page.name),
    ).map((problem) => `page "${page.name}" (${page.path}): ${problem}`),
  );
  return { passed: problems.length === 0, problems };
}

function pageProblems(page: PageCapture, base: PageCapture | undefined): string[] {
  const problems: string[] = [];
  if (page.stepError) problems.push(page.stepError);
  const known = new Set(base?.consoleErrors.map((text) => withoutOrigin(text, base.url)));
  for (const text of page.consoleErrors)
    if (!known.has(withoutOrigin(text, page.url))) problems.push(`console error: ${text}`);
  const origin = new URL(page.url).origin;
  const knownRequests = new Set(base?.failedRequests.map((request) => requestLine(request, base.url)));
  for (const request of page.failedRequests) {
    if (new URL(request.url).origin !== origin) continue;
    const line = requestLine(request, page.url);
    if (!knownRequests.has(line)) problems.push(line);
  }
  if (!page.screenshot) problems.push('no screenshot could be taken');
  return problems;
}

/**
 * `GET /img/logo.png answered 404`: the path is what the app's code names, and base and
 * change previews may be served on different ports, so the origin would only get in the way.
 */
function requestLine(request: FailedRequest, pageUrl: string): string {
  const what = 'status' in request ? `answered ${request.status}` : `failed: ${request.error}`;
  return `${request.method} ${withoutOrigin(request.url, pageUrl)} ${what}`;
}

/** The text with the page's origin taken out of any URL in it (stack traces name the scripts). */
function withoutOrigin(text: string, pageUrl: string): string {
  return text.split(new URL(pageUrl).origin).join('');
}
