import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { screenshotPath } from '@horizon/testing';
import { axeViolations } from './axe';
import { seeBrowserEvidence } from './browser-evidence';

interface Item {
  id: string;
  kind: string;
  state: string;
  title: string;
  latestRun: { id: string } | null;
}

/**
 * A person in Chromium at the console `npm start` prints a link to, while the demo runs and
 * after: signing in through that link, the board and the graph following the demo live, an item,
 * the settings, a run's transcript, a pull request, and a plan shaped by two people at once.
 * Every page is checked with axe and saved as a screenshot under .horizon/screenshots/.
 */
export class ConsoleTour {
  /** The time from each event being written to this browser receiving it, in ms. */
  private probe!: Page;

  private constructor(
    private readonly browser: Browser,
    private readonly context: BrowserContext,
    private readonly page: Page,
    readonly url: string,
    readonly firstLoadMs: number,
  ) {}

  /** Opens the sign-in link in a fresh browser window and lands on the board. */
  static async signIn(browser: Browser, link: string): Promise<ConsoleTour> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      colorScheme: 'light',
    });
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(link);
    await page.getByRole('heading', { name: 'Board' }).waitFor();
    const tour = new ConsoleTour(browser, context, page, new URL(link).origin, Date.now() - started);
    expect(new URL(page.url()).pathname).toBe('/board');
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: 10_000 });
    await tour.measureDelays();
    return tour;
  }

  /**
   * The person is the demo's reviewer (HORIZON_DEMO_REVIEW=console): its items arrive on the
   * board live; on the first pull request they ask for a change and watch the revise run answer
   * it, then approve and merge, and see the graph start the item that merge unblocked; the
   * other pull requests they approve and merge as the demo names them. `turn` waits for a line
   * of the demo's output.
   */
  async reviewDemo(turn: (line: string) => Promise<string>): Promise<void> {
    const { page } = this;
    await page.locator('li.card', { hasText: 'Add cart subtotal' }).waitFor({ timeout: 5 * 60_000 });
    await this.look('console-board-live');

    const first = await turn('your turn: demo/cart#1 waits for your review at ');
    const [, firstUrl, change] = /demo\/cart#1 waits for your review at (\S+) .*answers "(.+)"\), or/.exec(
      first,
    )!;
    await page.goto(firstUrl!);
    await page.getByRole('textbox', { name: 'Comment (required to request changes)' }).fill(change!);
    await page.getByRole('button', { name: 'Request changes' }).click();
    // The page follows its work item: the revise run starts and ends without a reload.
    const workItem = page.getByRole('region', { name: 'Work item' });
    await workItem.getByText('revising', { exact: true }).waitFor({ timeout: 60_000 });
    await this.look('console-pull-request-revising');
    await this.watchTranscriptStream('Add cart subtotal');
    await page.goto(firstUrl!);
    await workItem.getByText('in_review', { exact: true }).waitFor({ timeout: 4 * 60_000 });
    await turn('your turn: approve and merge demo/cart#1');
    await this.approveAndMerge();

    const plan = (await this.api<{ items: Item[] }>('/api/work-items?kind=plan')).items[0]!;
    await page.goto(`${this.url}/graph?parentId=${plan.id}`);
    await page.locator('.react-flow__node').nth(2).waitFor({ timeout: 30_000 });
    expect(await page.locator('.react-flow__node').count()).toBe(3);
    // React Flow draws an edge only once it has measured both its nodes, a frame or more after the
    // nodes appear: on a loaded machine, counting the edges at once found none. Attached, not
    // visible: an edge between two nodes in a row is a flat line, a box of no height, which
    // Playwright counts as hidden.
    await page.locator('.react-flow__edge').nth(1).waitFor({ state: 'attached', timeout: 30_000 });
    expect(await page.locator('.react-flow__edge').count()).toBeGreaterThanOrEqual(2);
    // The merge unblocks the next item: the graph shows it leave `blocked` by itself.
    const started = ['queued', 'running', 'in_review'].map(
      (state) => `.react-flow__node[aria-label="Add discount codes, ${state}"]`,
    );
    await page.locator(started.join(', ')).first().waitFor({ timeout: 60_000 });
    await this.look('console-graph');

    for (const number of [2, 3]) {
      await turn(`your turn: approve and merge demo/cart#${number}`);
      await page.goto(`${this.url}/pulls/demo/cart/${number}`);
      await this.approveAndMerge();
    }
    await page.goto(`${this.url}/board`);
    const subtotal = page.locator('li.card', { hasText: 'Add cart subtotal' });
    await subtotal.locator('.badge', { hasText: /^(merged|done)$/ }).waitFor({ timeout: 60_000 });
    await this.look('console-board-merged');
  }

  /** The item's run in flight, opened while it works: its transcript grows without a reload. */
  private async watchTranscriptStream(title: string): Promise<void> {
    const { page } = this;
    const item = (await this.api<{ items: Item[] }>('/api/work-items?kind=implement')).items.find(
      (i) => i.title === title,
    )!;
    await page.goto(`${this.url}/runs/${item.latestRun!.id}`);
    await page.getByRole('log', { name: 'Transcript' }).waitFor();
    const seen = await page.locator('[role=log] li').count();
    await page
      .locator('[role=log] li')
      .nth(seen)
      .waitFor({ timeout: 3 * 60_000 });
    await this.look('console-run-live');
  }

  /** The signed-in person's name: the one their reviews on the forge are attributed to. */
  async personName(): Promise<string> {
    return (await this.api<{ person: { name: string } }>('/api/session')).person.name;
  }

  /** On an open pull request's page: approve, then merge once the page shows the approval. */
  private async approveAndMerge(): Promise<void> {
    const { page } = this;
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByText(/^approved by /).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Merge' }).click();
    await page.getByText(/^Merged by /).waitFor({ timeout: 30_000 });
  }

  /** After the demo: an item, the settings, a run, a pull request; dark theme and a phone. */
  async visitFinishedWork(): Promise<void> {
    const { page } = this;
    const subtotal = (await this.api<{ items: Item[] }>('/api/work-items?kind=implement')).items.find(
      (i) => i.title === 'Add cart subtotal',
    )!;
    await page.goto(`${this.url}/work/${subtotal.id}`);
    await page.getByRole('heading', { name: 'Add cart subtotal' }).waitFor();
    await page.getByRole('heading', { name: /Timeline/ }).waitFor();
    // The item's model usage, as the egress proxy counted it from the scripted model's answers.
    await page.getByText(/^\d+ runs?, [\d.]+K? tokens/).waitFor();
    await this.look('console-work-item');

    await page.goto(`${this.url}/usage`);
    await page.getByRole('rowheader', { name: 'demo/cart' }).waitFor();
    await page.getByRole('button', { name: 'By person' }).click();
    await page.getByRole('columnheader', { name: 'Person' }).waitFor();
    // The header changes with the choice; the rows come with the answer.
    await page.getByRole('table').getByRole('row').nth(1).waitFor();
    await this.look('console-usage');

    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('region', { name: 'Audit trail' }).getByText('auth.signed_in').first().waitFor();
    // identity-broker answers for GitHub: `npm start` configures no GitHub App, so it says so.
    const github = page.getByRole('region', { name: 'Integrations' }).getByRole('row', { name: /^GitHub/ });
    await github.getByRole('cell', { name: 'Not configured', exact: true }).waitFor();
    expect(await github.textContent()).toContain('set GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY');
    await this.look('console-settings');
    await this.unlinkInSettings();

    await page.goto(`${this.url}/runs/${subtotal.latestRun!.id}`);
    await page.getByRole('log', { name: 'Transcript' }).locator('li').first().waitFor({ timeout: 30_000 });
    await seeBrowserEvidence(page, 'cart (/)');
    await this.look('console-run');

    await page.goto(`${this.url}/pulls/demo/cart/1`);
    await page.getByRole('heading', { name: 'Changes' }).waitFor();
    await page.locator('.diff').first().waitFor({ timeout: 30_000 });
    await this.look('console-pull-request');

    await page.getByRole('button', { name: /Switch to dark theme/ }).click();
    await page.goto(`${this.url}/board`);
    await page.locator('li.card').first().waitFor();
    await this.look('console-board-dark');
    const phone = await this.browser.newContext({
      viewport: { width: 390, height: 844 },
      storageState: await this.context.storageState(),
    });
    const phonePage = await phone.newPage();
    await phonePage.goto(`${this.url}/board`);
    await phonePage.locator('li.card').first().waitFor();
    await phonePage.screenshot({ path: screenshotPath('console-board-phone'), fullPage: true });
    await phone.close();
    await page.getByRole('button', { name: /Switch to light theme/ }).click();
  }

  /**
   * From the run page of an item at work: the person writes to the agent mid-turn, sees their
   * words in the transcript under their name, and the agent take them up.
   */
  async messageTheAgent(title: string): Promise<void> {
    const { page } = this;
    let item: Item | undefined;
    for (let tries = 0; !item?.latestRun; tries++) {
      if (tries > 240) throw new Error(`no run of "${title}" after 2 minutes`);
      if (tries > 0) await page.waitForTimeout(500);
      item = (await this.api<{ items: Item[] }>('/api/work-items?kind=implement')).items.find(
        (i) => i.title === title,
      );
    }
    await page.goto(`${this.url}/runs/${item.latestRun.id}`);
    const transcript = page.getByRole('log', { name: 'Transcript' });
    await transcript.getByText('I will check the build first').waitFor({ timeout: 3 * 60_000 });
    await page.getByLabel('Your message').fill('Please add gift wrap too: 250 cents.');
    await page.getByRole('button', { name: 'Send to the agent' }).click();
    await page.getByRole('status').filter({ hasText: /^Sent/ }).waitFor();
    await transcript.getByText('Please add gift wrap too: 250 cents.').waitFor({ timeout: 60_000 });
    await transcript.getByText(/As you asked, gift wrap costs 250 cents/).waitFor({ timeout: 2 * 60_000 });
    await this.look('console-run-follow-up');
  }

  /** Grace, invited by the admin, opens the admin's new plan: each sees the other and their edits. */
  async planTogether(): Promise<void> {
    const { page } = this;
    const csrf = (await this.api<{ csrfToken: string }>('/api/session')).csrfToken;
    const invite = await page.request.post(`${this.url}/api/admin/sign-in-links`, {
      headers: { 'x-csrf-token': csrf },
      data: { person: 'grace', role: 'member', repo: 'demo/cart' },
    });
    const graceContext = await this.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const grace = await graceContext.newPage();
    await grace.goto(((await invite.json()) as { url: string }).url);
    await grace.getByRole('heading', { name: 'Board' }).waitFor();

    await page.goto(`${this.url}/plans`);
    await page.getByLabel('Repository (owner/name)').fill('demo/cart');
    await page.getByLabel('Title').fill('Checkout polish');
    await page.getByLabel('Brief').fill('Small things customers asked for at checkout.');
    await page.getByRole('button', { name: 'Create plan' }).click();
    await page.getByRole('heading', { level: 1, name: 'Checkout polish' }).waitFor();
    await grace.goto(page.url());
    await grace.getByRole('heading', { level: 1, name: 'Checkout polish' }).waitFor();

    await page.getByRole('region', { name: 'Who is here' }).getByText(/grace/).waitFor({ timeout: 15_000 });
    await grace
      .getByRole('region', { name: 'Who is here' })
      .getByText(/looking|editing/)
      .first()
      .waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Edit title and brief' }).click();
    await page.getByLabel('Title').fill('Checkout polish, together');
    await page.getByRole('button', { name: 'Save title and brief' }).click();
    await grace
      .getByRole('heading', { level: 1, name: 'Checkout polish, together' })
      .waitFor({ timeout: 5_000 });
    await this.look('console-plan');
    await grace.screenshot({ path: screenshotPath('console-plan-grace'), fullPage: true });
    await graceContext.close();
  }

  /**
   * A fleet over the demo's repository from the console's form: its page shows the child's run
   * end (the scripted model knows no script for this prompt, so it fails and names why) and
   * offers to retry it.
   */
  async launchFleet(): Promise<void> {
    const { page } = this;
    await page.getByRole('link', { name: 'Fleets' }).click();
    await page.getByLabel('Title').fill('Add a changelog');
    await page
      .getByLabel('What to do in each repository')
      .fill('Add a CHANGELOG.md that lists the releases.');
    await page.getByLabel('owner/name, one per line').fill('demo/cart');
    await page.getByRole('button', { name: 'Create fleet' }).click();
    await page.getByRole('heading', { level: 1, name: 'Add a changelog' }).waitFor();
    await page
      .getByRole('button', { name: 'Retry failed (1)' })
      .and(page.locator(':enabled'))
      .waitFor({
        timeout: 2 * 60_000,
      });
    expect(await page.getByRole('progressbar').getAttribute('aria-label')).toBe('1 of 1 repositories done');
    await this.look('console-fleet');
  }

  /**
   * What got in the demo's runs' way (the fleet's child, at least, met its agent failing), one
   * of them opened at its transcript line, and a retro started on it from the Friction page.
   */
  async reviewFriction(): Promise<void> {
    const { page } = this;
    await page.getByRole('link', { name: 'Friction' }).click();
    const cart = page.getByRole('region', { name: 'demo/cart' });
    await cart.getByRole('row').nth(1).waitFor();
    // Its weeks as charts (one per measure) above the table: the demo's runs ended this week.
    await cart.getByRole('img', { name: /^Tool calls per run, / }).waitFor();
    await this.look('console-friction');
    await cart.locator('a[href*="#line-"]').first().click();
    await page.locator('.entry-shown').waitFor();
    await this.look('console-run-friction');
    await page.goBack();
    await cart.getByRole('button', { name: 'Start a retro on demo/cart' }).click();
    await page.getByRole('heading', { level: 1, name: /^Retro: demo\/cart since / }).waitFor();
    await this.look('console-retro');
  }

  /**
   * Unlinks the account the test linked with `horizon identity link` (Grace Hopper's Slack), after
   * confirming, and finds it in the audit trail; then adds an automatic role for a domain.
   */
  private async unlinkInSettings(): Promise<void> {
    const { page } = this;
    const links = page.getByRole('region', { name: 'Identity links' });
    await links.getByRole('button', { name: 'Unlink Slack: U0GRACE from Grace Hopper' }).click();
    await links.getByRole('dialog', { name: 'Unlink Slack: U0GRACE from Grace Hopper?' }).waitFor();
    await this.look('console-settings-unlink-confirm');
    await links.getByRole('button', { name: 'Yes, unlink it' }).click();
    await links
      .getByRole('row', { name: /Grace Hopper/ })
      .getByText('none left')
      .waitFor();
    await page.reload();
    await page.getByRole('region', { name: 'Audit trail' }).getByText('identity.unlinked').first().waitFor();
    await this.look('console-settings-unlinked');

    // An automatic role for a team's email domain: viewer in every repository by default.
    const autoRoles = page.getByRole('region', { name: 'Automatic roles' });
    await autoRoles.getByRole('textbox', { name: 'Email domain' }).fill('acme.test');
    await autoRoles.getByRole('button', { name: 'Add rule' }).click();
    const rule = autoRoles.getByRole('row', { name: /acme\.test/ });
    await rule.getByRole('cell', { name: 'viewer', exact: true }).waitFor();
    await autoRoles.scrollIntoViewIfNeeded();
    await this.look('console-settings-auto-grant');
  }

  /** The delays measured so far, written beside the screenshots; p50 and p99 in ms. */
  async figures(): Promise<{ events: number; p50: number; p99: number }> {
    const delays = (
      await this.probe.evaluate(() => (globalThis as unknown as { delays: number[] }).delays)
    ).sort((a, b) => a - b);
    const at = (q: number) => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))]!;
    const figures = { events: delays.length, p50: at(0.5), p99: at(0.99) };
    const line = `CONSOLE e2e first_load_ms=${this.firstLoadMs} events=${figures.events} event_to_browser_p50_ms=${figures.p50} p99_ms=${figures.p99}`;
    fs.writeFileSync(path.join(path.dirname(screenshotPath('x')), 'console-figures.txt'), `${line}\n`);
    process.stdout.write(`${line}\n`);
    return figures;
  }

  async close(): Promise<void> {
    await this.context.close();
  }

  /**
   * A tab of its own that stays open while the other navigates, timing each event from its
   * writing (occurredAt) to its arrival. The code runs in the page, which has the DOM's
   * EventSource; the test's own types do not.
   */
  private async measureDelays(): Promise<void> {
    this.probe = await this.context.newPage();
    await this.probe.goto(`${this.url}/board`);
    await this.probe.evaluate(() => {
      type Source = { addEventListener(name: string, listener: (e: { data: string }) => void): void };
      const page = globalThis as unknown as { delays: number[]; EventSource: new (url: string) => Source };
      page.delays = [];
      new page.EventSource('/api/events').addEventListener('horizon', (e) => {
        page.delays.push(Date.now() - Date.parse((JSON.parse(e.data) as { occurredAt: string }).occurredAt));
      });
    });
  }

  /** A screenshot of the page, and no serious or critical axe finding on it. */
  private async look(name: string): Promise<void> {
    await this.page.screenshot({ path: screenshotPath(name), fullPage: true });
    expect(await axeViolations(this.page)).toEqual([]);
  }

  private async api<T>(route: string): Promise<T> {
    const res = await this.page.request.get(`${this.url}${route}`);
    if (!res.ok()) throw new Error(`${route}: ${res.status()} ${await res.text()}`);
    return (await res.json()) as T;
  }
}
