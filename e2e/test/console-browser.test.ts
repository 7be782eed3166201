import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  createStackSandbox,
  launchChromium,
  screenshotPath,
  startStack,
  type StackProcess,
  type StackSandbox,
} from '@horizon/testing';

interface Item {
  id: string;
  kind: string;
  state: string;
  title: string;
  parentId: string | null;
}

/**
 * The console in real Chromium against Horizon as `npm start` runs it, while the demo plans,
 * implements, reviews and merges its chain: signing in through the printed link, the board and
 * the graph following the demo live, a work item's page, themes and a phone-sized screen, and
 * axe on every page. Screenshots land in .horizon/screenshots/.
 */
describe('the console in Chromium, watching the demo', () => {
  let stack: StackSandbox;
  let running: StackProcess;
  let browser: Browser;
  let page: Page;
  let consoleUrl: string;

  beforeAll(async () => {
    stack = await createStackSandbox();
    running = startStack(stack);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await running?.stop();
    await stack?.remove();
  });

  const api = async <T>(route: string): Promise<T> => {
    const res = await page.request.get(`${consoleUrl}${route}`);
    if (!res.ok()) throw new Error(`${route}: ${res.status()} ${await res.text()}`);
    return (await res.json()) as T;
  };

  const axeViolations = async (): Promise<string[]> => {
    // Evaluated, not added as a <script>: the console's CSP refuses inline scripts, as it should.
    await page.evaluate(fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
    const results = await page.evaluate(async () => {
      const axe = (
        globalThis as unknown as {
          axe: { run: () => Promise<{ violations: { id: string; impact: string; help: string }[] }> };
        }
      ).axe;
      return (await axe.run()).violations;
    });
    return results
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help}`);
  };

  it(
    'signs in through the link npm start prints and follows the demo live on the board, the graph and an item',
    async () => {
      const output = await running.waitFor('to sign in', 3 * 60_000);
      const link = /console: open (http:\/\/\S+\/auth\/sign-in\?token=\S+)/.exec(output)![1]!;
      consoleUrl = new URL(link).origin;

      const context = await browser.newContext({
        viewport: { width: 1280, height: 800 },
        colorScheme: 'light',
      });
      page = await context.newPage();
      const started = Date.now();
      await page.goto(link);
      await page.getByRole('heading', { name: 'Board' }).waitFor();
      const firstLoadMs = Date.now() - started;
      expect(new URL(page.url()).pathname).toBe('/board');
      await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: 10_000 });

      // Time from an event being written to the browser receiving it, over the demo's events,
      // measured in a tab of its own that stays open while the other navigates.
      const probe = await context.newPage();
      await probe.goto(`${consoleUrl}/board`);
      // (This code runs in the page, which has the DOM's EventSource; the test's own types do not.)
      await probe.evaluate(() => {
        type Source = { addEventListener(name: string, listener: (e: { data: string }) => void): void };
        const page = globalThis as unknown as { delays: number[]; EventSource: new (url: string) => Source };
        page.delays = [];
        new page.EventSource('/api/events').addEventListener('horizon', (e) => {
          page.delays.push(
            Date.now() - Date.parse((JSON.parse(e.data) as { occurredAt: string }).occurredAt),
          );
        });
      });

      // The page was opened before the demo had planned anything: cards arrive and move without a reload.
      await page.locator('li.card', { hasText: 'Add cart subtotal' }).waitFor({ timeout: 5 * 60_000 });
      await page.screenshot({ path: screenshotPath('console-board-live'), fullPage: true });
      expect(await axeViolations()).toEqual([]);
      const subtotal = page.locator('li.card', { hasText: 'Add cart subtotal' });
      await subtotal.locator('.badge', { hasText: /^(merged|done)$/ }).waitFor({ timeout: 6 * 60_000 });
      await page.screenshot({ path: screenshotPath('console-board-merged'), fullPage: true });

      // The plan's graph: three items, the chain's edges, the next item unblocked once A merged.
      const plan = (await api<{ items: Item[] }>('/api/work-items?kind=plan')).items[0]!;
      await page.getByRole('link', { name: 'Graph' }).click();
      await page.goto(`${consoleUrl}/graph?parentId=${plan.id}`);
      await page.locator('.react-flow__node').nth(2).waitFor({ timeout: 30_000 });
      expect(await page.locator('.react-flow__node').count()).toBe(3);
      expect(await page.locator('.react-flow__edge').count()).toBeGreaterThanOrEqual(2);
      await page.screenshot({ path: screenshotPath('console-graph'), fullPage: true });
      expect(await axeViolations()).toEqual([]);

      // One item's page: its timeline and runs, from the same reads.
      const child = (await api<{ items: Item[] }>(`/api/work-items?kind=implement`)).items.find(
        (i) => i.title === 'Add cart subtotal',
      )!;
      await page.goto(`${consoleUrl}/work/${child.id}`);
      await page.getByRole('heading', { name: 'Add cart subtotal' }).waitFor();
      await page.getByRole('heading', { name: /Timeline/ }).waitFor();
      await page.screenshot({ path: screenshotPath('console-work-item'), fullPage: true });
      expect(await axeViolations()).toEqual([]);

      // Settings: the person who started Horizon is its admin, and their sign-in is audited.
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('region', { name: 'Audit trail' }).getByText('session.signed_in').first().waitFor();
      await page.screenshot({ path: screenshotPath('console-settings'), fullPage: true });
      expect(await axeViolations()).toEqual([]);

      // Dark theme, and a phone-sized screen.
      await page.getByRole('button', { name: /Switch to dark theme/ }).click();
      await page.goto(`${consoleUrl}/`);
      await page.locator('li.card').first().waitFor();
      await page.screenshot({ path: screenshotPath('console-board-dark'), fullPage: true });
      const phone = await browser.newContext({
        viewport: { width: 390, height: 844 },
        storageState: await context.storageState(),
      });
      const phonePage = await phone.newPage();
      await phonePage.goto(`${consoleUrl}/`);
      await phonePage.locator('li.card').first().waitFor();
      await phonePage.screenshot({ path: screenshotPath('console-board-phone'), fullPage: true });
      await phone.close();

      await running.waitFor('Horizon keeps serving', 8 * 60_000);
      const delays = (
        await probe.evaluate(() => (globalThis as unknown as { delays: number[] }).delays)
      ).sort((a, b) => a - b);
      const at = (q: number) => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))]!;
      const figures = `CONSOLE e2e first_load_ms=${firstLoadMs} events=${delays.length} event_to_browser_p50_ms=${at(0.5)} p99_ms=${at(0.99)}`;
      fs.writeFileSync(path.join(path.dirname(screenshotPath('x')), 'console-figures.txt'), `${figures}\n`);
      process.stdout.write(`${figures}\n`);
      expect(delays.length).toBeGreaterThan(10);
      await context.close();
    },
    14 * 60_000,
  );
});
