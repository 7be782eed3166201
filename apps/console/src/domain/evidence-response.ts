import type { BrowserEvidenceKind, BrowserEvidenceMetadata } from '@horizon/contracts';

/**
 * Raster image types a browser only ever draws. SVG is left out on purpose: it can carry
 * script, and would run it as a document of the console's origin.
 */
const RASTER_IMAGES = new Set(['image/png', 'image/jpeg', 'image/webp']);

/** Evidence is immutable once stored; `private`: it is a repository's, not for shared caches. */
const COMMON = { 'cache-control': 'private, max-age=3600', 'x-content-type-options': 'nosniff' };

/**
 * The headers a browser evidence file is served with. Screenshots and diffs are images with
 * their own type. A DOM snapshot is HTML the agent's change produced: served as HTML from the
 * console's origin it would run with the person's session (stored XSS), so it is plain text,
 * a download, and sandboxed should a browser render it anyway. Anything else is a download too.
 */
export function evidenceHeaders(
  evidence: { kind: BrowserEvidenceKind } & Pick<BrowserEvidenceMetadata, 'page' | 'target'>,
  storedType: string,
): Record<string, string> {
  const name = `${evidence.page}-${evidence.target}`.replace(/[^A-Za-z0-9._-]/g, '_');
  if (evidence.kind === 'dom_snapshot')
    return { ...COMMON, 'content-type': 'text/plain; charset=utf-8', ...download(`${name}.html`) };
  if (RASTER_IMAGES.has(storedType)) return { ...COMMON, 'content-type': storedType };
  return { ...COMMON, 'content-type': 'application/octet-stream', ...download(name) };
}

function download(filename: string): Record<string, string> {
  return {
    'content-disposition': `attachment; filename="${filename}"`,
    'content-security-policy': 'sandbox',
  };
}
