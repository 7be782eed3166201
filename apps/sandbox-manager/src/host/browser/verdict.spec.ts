import type { PageCapture } from './capture';
import { browserVerdict } from './verdict';

const page = (overrides: Partial<PageCapture> = {}): PageCapture => ({
  name: 'cart',
  path: '/',
  url: 'http://127.0.0.1:5173/',
  screenshot: '/out/cart.png',
  dom: '/out/cart.html',
  consoleErrors: [],
  failedRequests: [],
  stepError: null,
  durationMs: 120,
  ...overrides,
});

describe('the browser verdict', () => {
  it('passes pages that finished their steps cleanly', () => {
    expect(browserVerdict({ pages: [page(), page({ name: 'about', path: '/about' })] })).toEqual({
      passed: true,
      problems: [],
    });
  });

  it('names the page and what failed on it, one line each', () => {
    const verdict = browserVerdict({
      pages: [
        page({
          stepError: 'step 2 (click "button#add") failed: locator.click: Timeout 3000ms exceeded.',
          consoleErrors: ['Uncaught TypeError: x is undefined'],
          failedRequests: [
            { method: 'GET', url: 'http://127.0.0.1:5173/img/logo.png', status: 404 },
            {
              method: 'POST',
              url: 'http://127.0.0.1:5173/api/cart?id=1',
              error: 'net::ERR_CONNECTION_RESET',
            },
          ],
        }),
        page({ name: 'about', path: '/about', screenshot: null, dom: null }),
      ],
    });
    expect(verdict).toEqual({
      passed: false,
      problems: [
        'page "cart" (/): step 2 (click "button#add") failed: locator.click: Timeout 3000ms exceeded.',
        'page "cart" (/): console error: Uncaught TypeError: x is undefined',
        'page "cart" (/): GET /img/logo.png answered 404',
        'page "cart" (/): POST /api/cart?id=1 failed: net::ERR_CONNECTION_RESET',
        'page "about" (/about): no screenshot could be taken',
      ],
    });
  });

  it('leaves out requests to other origins: third-party hosts are not the app', () => {
    const failedRequests = [
      { method: 'GET', url: 'https://fonts.example.com/inter.woff2', error: 'net::ERR_NAME_NOT_RESOLVED' },
      { method: 'GET', url: 'http://127.0.0.1:9999/other-port.js', status: 500 },
    ];
    expect(browserVerdict({ pages: [page({ failedRequests })] }).passed).toBe(true);
  });

  it('does not hold against the change what its base page did too, on whatever port it ran', () => {
    const base = page({
      url: 'http://127.0.0.1:4000/',
      consoleErrors: ['Uncaught Error: old bug\n    at http://127.0.0.1:4000/app.js:3:9'],
      failedRequests: [{ method: 'GET', url: 'http://127.0.0.1:4000/favicon.png', status: 404 }],
      stepError: 'step 1 (click "#new") failed: locator.click: Timeout 3000ms exceeded.',
    });
    const change = page({
      consoleErrors: [
        'Uncaught Error: old bug\n    at http://127.0.0.1:5173/app.js:3:9',
        'Uncaught Error: new bug',
      ],
      failedRequests: [
        { method: 'GET', url: 'http://127.0.0.1:5173/favicon.png', status: 404 },
        { method: 'GET', url: 'http://127.0.0.1:5173/new.png', status: 404 },
      ],
      stepError: 'step 1 (click "#new") failed: locator.click: Timeout 3000ms exceeded.',
    });
    expect(browserVerdict({ pages: [change] }, { pages: [base] }).problems).toEqual([
      // The steps say what the change must make work: failing them on the base too excuses nothing.
      'page "cart" (/): step 1 (click "#new") failed: locator.click: Timeout 3000ms exceeded.',
      'page "cart" (/): console error: Uncaught Error: new bug',
      'page "cart" (/): GET /new.png answered 404',
    ]);
    // A page the base did not have is judged on its own.
    expect(browserVerdict({ pages: [change] }, { pages: [page({ name: 'other' })] }).problems).toHaveLength(
      5,
    );
  });
});
