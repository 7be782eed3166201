import { evidenceHeaders } from './evidence-response';

describe('evidenceHeaders', () => {
  const page = { page: 'cart', target: 'change' as const };

  it('serves a screenshot or diff as the image it is, cached privately and never sniffed', () => {
    expect(evidenceHeaders({ ...page, kind: 'screenshot' }, 'image/png')).toEqual({
      'content-type': 'image/png',
      'cache-control': 'private, max-age=3600',
      'x-content-type-options': 'nosniff',
    });
    expect(evidenceHeaders({ ...page, target: 'diff', kind: 'visual_diff' }, 'image/webp')).toMatchObject({
      'content-type': 'image/webp',
    });
  });

  it('serves a DOM snapshot as a sandboxed plain-text download, whatever its stored type', () => {
    expect(evidenceHeaders({ ...page, kind: 'dom_snapshot' }, 'text/html')).toEqual({
      'content-type': 'text/plain; charset=utf-8',
      'content-disposition': 'attachment; filename="cart-change.html"',
      'content-security-policy': 'sandbox',
      'cache-control': 'private, max-age=3600',
      'x-content-type-options': 'nosniff',
    });
  });

  it('never renders an image type that can script (SVG), nor lets a page name break the header', () => {
    const svg = evidenceHeaders(
      { page: 'a "b"\r\nx: y', target: 'base', kind: 'screenshot' },
      'image/svg+xml',
    );
    expect(svg).toMatchObject({
      'content-type': 'application/octet-stream',
      'content-disposition': 'attachment; filename="a__b___x__y-base"',
      'content-security-policy': 'sandbox',
    });
  });
});
