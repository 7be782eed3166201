import type { GetCommentsResponse, GetFileResponse } from '@figma/rest-api-spec';
import type { DesignComment, DesignFrame } from '../domain/records';
import { DesignSource, MAX_SOURCE_ITEMS, SourceNotFound } from './ports';

export interface FigmaDesignsOptions {
  token: string;
  /** `https://api.figma.com` or a stand-in. */
  url: string;
}

/**
 * Figma's REST API (there is no official Node client; the response types are Figma's own,
 * `@figma/rest-api-spec`): a file's pages and their top-level frames (`depth=2`, so the rest of
 * the tree is never sent) and its comments, each pinned frame named by its node id.
 */
export class FigmaDesigns implements DesignSource {
  readonly name = 'figma';
  constructor(private readonly options: FigmaDesignsOptions) {}

  async getFile(keyOrUrl: string) {
    const key = figmaKey(keyOrUrl);
    const file = await this.get<GetFileResponse>(`/v1/files/${key}?depth=2`, key);
    const frames: DesignFrame[] = [];
    for (const page of file.document.children)
      for (const node of 'children' in page ? page.children : [])
        frames.push({
          id: node.id,
          name: node.name,
          page: page.name,
          url: `https://www.figma.com/design/${key}/?node-id=${encodeURIComponent(node.id.replace(':', '-'))}`,
        });
    return {
      key,
      name: file.name,
      lastModified: file.lastModified,
      frames: frames.slice(0, MAX_SOURCE_ITEMS),
    };
  }

  async listComments(keyOrUrl: string): Promise<DesignComment[]> {
    const key = figmaKey(keyOrUrl);
    const { comments } = await this.get<GetCommentsResponse>(`/v1/files/${key}/comments?as_md=true`, key);
    return comments.slice(0, MAX_SOURCE_ITEMS).map((c) => ({
      id: c.id,
      author: c.user.handle,
      message: c.message,
      createdAt: c.created_at,
      resolved: Boolean(c.resolved_at),
      frameId: 'node_id' in c.client_meta ? c.client_meta.node_id : null,
    }));
  }

  private async get<T>(path: string, key: string): Promise<T> {
    const res = await fetch(new URL(path, this.options.url), {
      headers: { 'x-figma-token': this.options.token },
      signal: AbortSignal.timeout(15_000),
    });
    if (res.status === 404) throw new SourceNotFound(`figma: no file ${key} that Horizon's token may read`);
    if (!res.ok) throw new Error(`figma: HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`);
    return (await res.json()) as T;
  }
}

/** A file key, bare or from a Figma URL (`/file/<key>/…`, `/design/<key>/…`, `/proto/<key>/…`). */
export function figmaKey(keyOrUrl: string): string {
  const fromUrl = /figma\.com\/(?:file|design|proto|board)\/([A-Za-z0-9]{10,})/.exec(keyOrUrl)?.[1];
  const key = fromUrl ?? keyOrUrl.trim();
  if (!/^[A-Za-z0-9]{10,}$/.test(key))
    throw new SourceNotFound(`figma: "${keyOrUrl}" names no Figma file (its key, or its URL)`);
  return key;
}
