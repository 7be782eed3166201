import type { Page } from 'playwright-core';

type Loaded = { decode(): Promise<void>; naturalWidth: number };

/**
 * On a run page, the browser check of one page, named `<page> (<path>)` (docs/browser-verification.md): its base, its
 * change and their diff, each image served by the console from the artifact store and loaded.
 */
export async function seeBrowserEvidence(page: Page, name: string): Promise<void> {
  const section = page.getByRole('region', { name: 'Browser evidence' });
  const widths: number[] = [];
  for (const alt of [`${name}, base`, `${name}, change`, `${name}, difference from the base`]) {
    const image = section.getByRole('img', { name: alt });
    // Lazy images load once in view; decode() settles when the image has (and fails when broken).
    await image.scrollIntoViewIfNeeded();
    widths.push(
      await image.evaluate(async (img) => {
        await (img as unknown as Loaded).decode();
        return (img as unknown as Loaded).naturalWidth;
      }),
    );
  }
  // Each is the PNG the evidence route served, at the checks' viewport width.
  expect(widths).toEqual([1280, 1280, 1280]);
}
