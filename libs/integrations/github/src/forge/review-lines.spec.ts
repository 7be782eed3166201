import { commentableLines, unresolvedComment } from './review-lines';

// `git diff` output as the forge's PR diff endpoint serves it.
const diff = `diff --git a/src/totals.ts b/src/totals.ts
index 3b18e51..a1f9c2d 100644
--- a/src/totals.ts
+++ b/src/totals.ts
@@ -1,4 +1,5 @@
 export function total(items: number[]): number {
-  return items.reduce((a, b) => a + b, 0);
+  const cents = items.map((x) => Math.round(x * 100));
+  return cents.reduce((a, b) => a + b, 0) / 100;
 }
 
@@ -20,3 +21,3 @@ export function tax(amount: number) {
   const rate = 0.2;
-  return amount * rate;
+  return Math.round(amount * rate * 100) / 100;
 }
diff --git a/old.txt b/old.txt
deleted file mode 100644
index 5716ca5..0000000
--- a/old.txt
+++ /dev/null
@@ -1 +0,0 @@
-bye
`;

describe('review comment lines (what GitHub resolves on the RIGHT side)', () => {
  const lines = commentableLines(diff);

  it('takes added lines and context of each hunk, by new line number', () => {
    expect([...lines.get('src/totals.ts')!].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 21, 22, 23]);
    expect(lines.has('old.txt')).toBe(false);
  });

  it('refuses a line outside the hunks and a file outside the diff, as GitHub does', () => {
    expect(unresolvedComment(lines, { path: 'src/totals.ts', line: 3 })).toBeNull();
    expect(unresolvedComment(lines, { path: 'src/totals.ts', line: 12 })).toBe(
      'Line could not be resolved: src/totals.ts:12 is not part of the diff',
    );
    expect(unresolvedComment(lines, { path: 'README.md', line: 1 })).toBe(
      'Path could not be resolved: README.md is not part of the diff',
    );
    expect(unresolvedComment(lines, { path: 'src/totals.ts' })).toBeNull();
  });
});
