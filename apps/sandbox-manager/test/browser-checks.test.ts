import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBrowserChecks } from '@horizon/sandbox';
import { freePort, launchChromium } from '@horizon/testing';
import type { Browser } from 'playwright-core';
import { PNG } from 'pngjs';
import { captureBrowserChecks, type BrowserCapture, type PageCapture } from '../src/host/browser/capture';
import { compareScreenshots } from '../src/host/browser/compare';
import { browserVerdict } from '../src/host/browser/verdict';

/** A box of a colour and height: the base and change variants differ in exactly that. */
const box = (colour: string, height = 200) =>
  `<div style="width:300px;height:${height}px;background:${colour}">Cart</div>`;

/** The preview: a small app whose pages each show one kind of evidence. */
function pages(unreachable: string): Record<string, string> {
  return {
    '/': `<h1>Cart</h1><p id="status">Empty</p>
      <button id="add" onclick="document.getElementById('status').textContent = 'Added 1 item'">Add</button>`,
    '/console': `<p>Console</p><script>console.error('cart failed to load'); missingFunction();</script>`,
    // The second image is on another origin, which the verdict leaves out.
    '/image': `<p>Image</p><img src="/missing.png"><img src="${unreachable}/elsewhere.png">`,
    '/base': box('rgb(0, 0, 255)'),
    '/change': box('rgb(255, 0, 0)'),
    '/tall': box('rgb(0, 0, 255)', 2000),
  };
}

describe('browser checks against a real Chromium', () => {
  let browser: Browser;
  let server: Server;
  let baseUrl: string;
  let outDir: string;
  let capture: BrowserCapture;
  const byName = (name: string): PageCapture => capture.pages.find((p) => p.name === name)!;

  beforeAll(async () => {
    const unreachable = `http://127.0.0.1:${await freePort()}`;
    const html = pages(unreachable);
    server = createServer((req, res) => {
      const body = html[new URL(req.url ?? '/', 'http://x').pathname];
      res.writeHead(body ? 200 : 404, { 'content-type': 'text/html' });
      res.end(body ? `<!doctype html><html><body style="margin:0">${body}</body></html>` : 'not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    outDir = await mkdtemp(join(tmpdir(), 'browser-checks-'));
    browser = await launchChromium();
    const checks = parseBrowserChecks(`
viewport: { width: 800, height: 600 }
pages:
  - name: cart
    path: /
    steps:
      - waitFor: '#add'
      - click: '#add'
      - expectText: { selector: '#status', text: 'Added 1 item' }
  - { name: console, path: /console }
  - { name: image, path: /image }
  - name: stuck
    path: /
    steps:
      - click: '#add'
      - click: '#checkout'
      - expectText: { selector: '#status', text: 'never' }
  - name: wrong-text
    path: /
    steps:
      - expectText: { selector: '#status', text: 'Added 1 item' }
  - { name: base, path: /base }
  - { name: base-again, path: /base }
  - { name: change, path: /change }
  - { name: tall, path: /tall }
`);
    capture = await captureBrowserChecks({ browser, baseUrl, checks, outDir, timeoutMs: 3_000 });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('takes a full-page PNG at the viewport width and the DOM after the steps ran', () => {
    const cart = byName('cart');
    expect(cart).toMatchObject({
      url: `${baseUrl}/`,
      screenshot: join(outDir, 'cart.png'),
      dom: join(outDir, 'cart.html'),
      consoleErrors: [],
      failedRequests: [],
      stepError: null,
    });
    const png = PNG.sync.read(readFileSync(cart.screenshot!));
    expect([png.width, png.height]).toEqual([800, 600]);
    expect(readFileSync(cart.dom!, 'utf8')).toContain('<p id="status">Added 1 item</p>');
    // Full page: the tall page is captured whole, not cut at the viewport.
    expect(PNG.sync.read(readFileSync(byName('tall').screenshot!)).height).toBe(2000);
  });

  it('records console errors and uncaught exceptions, and failed requests of any origin', () => {
    expect(byName('console').consoleErrors).toEqual([
      'cart failed to load',
      expect.stringMatching(/^Uncaught ReferenceError: missingFunction is not defined/),
    ]);
    expect(byName('image').failedRequests).toEqual(
      expect.arrayContaining([
        { method: 'GET', url: `${baseUrl}/missing.png`, status: 404 },
        {
          method: 'GET',
          url: expect.stringMatching(/\/elsewhere\.png$/),
          error: 'net::ERR_CONNECTION_REFUSED',
        },
      ]),
    );
    // Chromium's own "Failed to load resource" console lines duplicate the requests: left out.
    expect(byName('image').consoleErrors).toEqual([]);
  });

  it('stops a page at its failing step, names the step, and still captures where it stopped', () => {
    const stuck = byName('stuck');
    expect(stuck.stepError).toMatch(
      /^step 2 \(click "#checkout"\) failed: locator\.click: Timeout 3000ms exceeded/,
    );
    expect(existsSync(stuck.screenshot!)).toBe(true);
    // Step 1 ran before it; step 3 never did.
    expect(readFileSync(stuck.dom!, 'utf8')).toContain('Added 1 item');
    expect(byName('wrong-text').stepError).toBe(
      'step 1 (expectText "Added 1 item" in "#status") failed: "#status" reads "Empty", not "Added 1 item", after 3000ms',
    );
  });

  it('compares screenshots: identical, visibly different, and of a page that grew', async () => {
    const shot = (name: string) => byName(name).screenshot!;
    expect(await compareScreenshots(shot('base'), shot('base-again'), join(outDir, 'same.diff.png'))).toEqual(
      {
        width: 800,
        height: 600,
        changedPixels: 0,
        changedRatio: 0,
        sizeChanged: false,
      },
    );

    const changed = await compareScreenshots(shot('base'), shot('change'), join(outDir, 'change.diff.png'));
    expect(changed.changedPixels).toBeGreaterThan(0);
    expect(changed.sizeChanged).toBe(false);
    const diff = PNG.sync.read(readFileSync(join(outDir, 'change.diff.png')));
    expect([diff.width, diff.height]).toEqual([800, 600]);

    const grew = await compareScreenshots(shot('base'), shot('tall'), join(outDir, 'tall.diff.png'));
    expect(grew).toMatchObject({ width: 800, height: 2000, sizeChanged: true });
    // At least the area only the tall page covers.
    expect(grew.changedPixels).toBeGreaterThanOrEqual(800 * 1400);
  });

  it('fails the change with a line per problem, naming the page', () => {
    const verdict = browserVerdict(capture);
    expect(verdict.passed).toBe(false);
    expect(verdict.problems).toEqual([
      'page "console" (/console): console error: cart failed to load',
      expect.stringMatching(
        /^page "console" \(\/console\): console error: Uncaught ReferenceError: missingFunction/,
      ),
      'page "image" (/image): GET /missing.png answered 404',
      expect.stringMatching(/^page "stuck" \(\/\): step 2 \(click "#checkout"\) failed: /),
      expect.stringMatching(
        /^page "wrong-text" \(\/\): step 1 \(expectText "Added 1 item" in "#status"\) failed: /,
      ),
    ]);
  });

  it('throws only when the browser itself is gone', async () => {
    const gone = await launchChromium();
    await gone.close();
    await expect(
      captureBrowserChecks({
        browser: gone,
        baseUrl,
        checks: parseBrowserChecks('pages: [{ name: cart, path: / }]'),
        outDir,
      }),
    ).rejects.toThrow();
  });
});
