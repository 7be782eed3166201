import { StorageType } from '@nats-io/jetstream';
import { Objm, type ObjectStore } from '@nats-io/obj';
import { nanos } from '@nats-io/transport-node';
import type { JetStreamConnection } from './connection';

export interface StoredArtifact {
  data: Uint8Array;
  contentType: string;
}

const SCHEME = 'nats-object:';
/** Browser evidence is read while a PR is reviewed; a month covers review and the retro after. */
const DEFAULT_MAX_AGE_MS = 30 * 24 * 3600_000;

/**
 * Run artifacts that people look at from another service (the console, a PR comment's link):
 * screenshots and DOM snapshots kept in a JetStream object store, so any host reads them from
 * NATS rather than from the sandbox host's disk. Names are `runs/<run id>/…`; a stored
 * artifact is addressed as `nats-object://<bucket>/<name>` in `artifact_recorded`.
 */
export class ArtifactStore {
  readonly bucket: string;
  private opened: Promise<ObjectStore> | null = null;

  constructor(
    private readonly connection: JetStreamConnection,
    private readonly maxAgeMs = DEFAULT_MAX_AGE_MS,
  ) {
    const { prefix } = connection.naming;
    this.bucket = prefix ? `${prefix}_HZN_ARTIFACTS` : 'HZN_ARTIFACTS';
  }

  /** Keeps `data` under `name` (replacing what was there); the URI names it. */
  async put(name: string, data: Uint8Array, contentType: string): Promise<string> {
    const store = await this.store();
    await store.putBlob({ name, metadata: { contentType } }, data);
    return `${SCHEME}//${this.bucket}/${name}`;
  }

  /** The artifact, or null when there is none by that name (never stored, or aged out). */
  async get(name: string): Promise<StoredArtifact | null> {
    const store = await this.store();
    const info = await store.info(name);
    if (!info || info.deleted) return null;
    const data = await store.getBlob(name);
    if (!data) return null;
    return { data, contentType: info.metadata?.contentType ?? 'application/octet-stream' };
  }

  /** The name inside this store of an artifact URI, or null when it is not one of this store's. */
  nameOf(uri: string): string | null {
    const prefix = `${SCHEME}//${this.bucket}/`;
    return uri.startsWith(prefix) ? uri.slice(prefix.length) : null;
  }

  private store(): Promise<ObjectStore> {
    this.opened ??= new Objm(this.connection.js)
      .create(this.bucket, {
        storage: StorageType.File,
        replicas: this.connection.options.replicas ?? 1,
        ttl: nanos(this.maxAgeMs),
        description: 'Horizon run artifacts: browser screenshots, DOM snapshots, visual diffs',
      })
      .catch((error: unknown) => {
        this.opened = null;
        throw error;
      });
    return this.opened;
  }
}
