import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeBrowserStep, parseBrowserChecks, readBrowserChecks } from './browser-checks';

const example = `
viewport: { width: 1024, height: 768 }
pages:
  - name: cart
    path: /
    steps:
      - click: 'button#add'
      - fill: { selector: '#qty', value: '2' }
      - press: { selector: '#qty', key: 'Enter' }
      - waitFor: '.total'
      - expectText: { selector: '.total', text: '$12.00' }
  - name: about
    path: /about?tab=team
`;

describe('.horizon/verify.yaml', () => {
  it('reads the viewport and the pages with their steps in order, defaulting what is missing', () => {
    expect(parseBrowserChecks(example)).toEqual({
      viewport: { width: 1024, height: 768 },
      pages: [
        {
          name: 'cart',
          path: '/',
          steps: [
            { click: 'button#add' },
            { fill: { selector: '#qty', value: '2' } },
            { press: { selector: '#qty', key: 'Enter' } },
            { waitFor: '.total' },
            { expectText: { selector: '.total', text: '$12.00' } },
          ],
        },
        { name: 'about', path: '/about?tab=team', steps: [] },
      ],
    });
    expect(parseBrowserChecks('pages: [{ name: home, path: / }]').viewport).toEqual({
      width: 1280,
      height: 800,
    });
  });

  it('names what is wrong', () => {
    const page = (yaml: string) => `pages:\n  - { name: home, path: /, ${yaml} }\n`;
    expect(() => parseBrowserChecks('')).toThrow(/^\.horizon\/verify\.yaml is invalid: pages: /);
    expect(() => parseBrowserChecks('pages: [{ name: Home, path: / }]')).toThrow(
      /pages\.0\.name: lower-case letters, digits and dashes/,
    );
    expect(() => parseBrowserChecks('pages: [{ name: home, path: cart }]')).toThrow(
      /pages\.0\.path: a path starting with \//,
    );
    expect(() => parseBrowserChecks('pages: [{ name: a, path: / }, { name: a, path: /b }]')).toThrow(
      /pages: two pages share a name/,
    );
    expect(() => parseBrowserChecks(page('steps: [{ tap: x }]'))).toThrow(
      /pages\.0\.steps\.0: Unrecognized key: "tap"/,
    );
    expect(() => parseBrowserChecks(page('steps: [{ click: x, waitFor: y }]'))).toThrow(
      /pages\.0\.steps\.0: a step is exactly one of click, fill, press, waitFor, expectText/,
    );
    expect(() => parseBrowserChecks(page('steps: [{ fill: { selector: x } }]'))).toThrow(
      /pages\.0\.steps\.0\.fill\.value: /,
    );
    expect(() => parseBrowserChecks(page('wait: 3'))).toThrow(/pages\.0: Unrecognized key: "wait"/);
    expect(() => parseBrowserChecks(`viewport: { width: 800 }\n${page('')}`)).toThrow(/viewport\.height: /);
  });

  it('refuses more than 20 pages or 30 steps on a page', () => {
    const pages = (n: number) =>
      `pages:\n${Array.from({ length: n }, (_, i) => `  - { name: p${i}, path: / }`).join('\n')}\n`;
    expect(parseBrowserChecks(pages(20)).pages).toHaveLength(20);
    expect(() => parseBrowserChecks(pages(21))).toThrow(/is invalid: pages: /);
    const steps = (n: number) =>
      `pages: [{ name: a, path: /, steps: [${Array(n).fill('{ waitFor: x }').join(', ')}] }]`;
    expect(parseBrowserChecks(steps(30)).pages[0]!.steps).toHaveLength(30);
    expect(() => parseBrowserChecks(steps(31))).toThrow(/is invalid: pages\.0\.steps: /);
  });

  it('names each step in one line, as problems show it', () => {
    expect(parseBrowserChecks(example).pages[0]!.steps.map(describeBrowserStep)).toEqual([
      'click "button#add"',
      'fill "#qty" with "2"',
      'press Enter in "#qty"',
      'waitFor ".total"',
      'expectText "$12.00" in ".total"',
    ]);
  });

  it('reads the file from a checkout, and has no checks when there is none', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'verify-yaml-'));
    try {
      expect(await readBrowserChecks(dir)).toBeNull();
      await mkdir(join(dir, '.horizon'));
      await writeFile(join(dir, '.horizon/verify.yaml'), example);
      expect((await readBrowserChecks(dir))?.pages.map((p) => p.name)).toEqual(['cart', 'about']);
      await writeFile(join(dir, '.horizon/verify.yaml'), 'pages: nope\n');
      await expect(readBrowserChecks(dir)).rejects.toThrow(/verify\.yaml is invalid: pages: /);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
