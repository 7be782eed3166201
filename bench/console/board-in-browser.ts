import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import { launchChromium } from '@horizon/testing';

export const WEB_DIR = path.resolve(__dirname, '..', '..', 'apps', 'console', 'dist', 'web');

export interface BoardTimings {
  /** From navigation to the board counting every item, its first cards on screen. */
  loadMs: number;
  /** From choosing a filter that hides every card to the board showing none, and back. */
  filterMs: number;
  /** From "Show all" to every card drawn (the board holds back all but a screenful). */
  showAllMs: number;
}

/**
 * The board as a person meets it, in Chromium against the built app: how long until `cards`
 * cards show, and how long a filter change takes to redraw them (the "interactive" half).
 * Each figure is the median of `rounds` fresh page loads.
 */
export async function boardInBrowser(
  consoleUrl: string,
  cookie: string,
  repo: string,
  cards: number,
  rounds = 3,
): Promise<BoardTimings> {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const [name, value] = cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: consoleUrl }]);
    const page = await context.newPage();
    const load: number[] = [];
    const filter: number[] = [];
    const showAll: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const t = performance.now();
      await page.goto(`${consoleUrl}/board?repo=${encodeURIComponent(repo)}`);
      await boardCounts(page, cards);
      load.push(performance.now() - t);

      const kind = page.getByLabel('Kind');
      const f = performance.now();
      await kind.selectOption('retro');
      await boardCounts(page, 0);
      await kind.selectOption('');
      await boardCounts(page, cards);
      filter.push((performance.now() - f) / 2);

      const s = performance.now();
      const more = page.getByRole('button', { name: /^Show all/ });
      if (await more.count()) await more.click();
      await page.waitForFunction(
        (n) => (globalThis as unknown as PageGlobal).document.querySelectorAll('li.card').length === n,
        cards,
        {
          timeout: 60_000,
          polling: 'raf',
        },
      );
      showAll.push(performance.now() - s);
    }
    return { loadMs: median(load), filterMs: median(filter), showAllMs: median(showAll) };
  } finally {
    await browser.close();
  }
}

/** The columns' counts add up to `count`, and cards show (none when it is 0). */
async function boardCounts(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (n) => {
      const doc = (globalThis as unknown as PageGlobal).document;
      const counted = [...doc.querySelectorAll('.column .count')].reduce(
        (sum, el) => sum + Number(el.textContent),
        0,
      );
      const cards = doc.querySelectorAll('li.card').length;
      return counted === n && (n === 0 ? cards === 0 : cards > 0);
    },
    count,
    { timeout: 60_000, polling: 'raf' },
  );
}

/**
 * The page's global object as the predicates below use it: they run in Chromium (functions,
 * not strings: the console's CSP refuses eval), and the DOM is not the bench's type library.
 */
type PageGlobal = {
  document: {
    querySelectorAll(selector: string): Iterable<{ textContent: string | null }> & { length: number };
  };
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
