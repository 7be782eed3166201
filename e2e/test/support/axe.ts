import fs from 'node:fs';
import type { Page } from 'playwright-core';

/** axe's serious and critical findings on the page, each with the first elements it names. */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated, not added as a <script>: the console's CSP refuses inline scripts, as it should.
  await page.evaluate(fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  type Violation = { id: string; impact: string; help: string; nodes: { target: string[] }[] };
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: () => Promise<{ violations: Violation[] }> } }).axe;
    return (await axe.run()).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id}: ${v.help} (${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(', ')})`,
    );
}
