import {
  browserEvidenceKinds,
  browserEvidenceMetadataSchema,
  type BrowserEvidenceKind,
  type DataOf,
  type sandboxArtifactRecorded,
} from '@horizon/contracts';
import type { ArtifactStore } from '@horizon/messaging';
import { evidenceHeaders } from '../domain/evidence-response';
import type { RunEvidenceRepository } from '../persistence/run-evidence.repository';
import type { BrowserEvidenceView } from '../shared/run-browser';

/** No such evidence in the run (or the store no longer has it): the message says which. */
export class EvidenceNotFound extends Error {}

/** Where evidence files are: the artifact store sandbox-manager puts them in. */
export type EvidenceFiles = Pick<ArtifactStore, 'get' | 'nameOf'>;

export interface EvidenceFile {
  headers: Record<string, string>;
  data: Uint8Array;
}

const isBrowserEvidence = (kind: string): kind is BrowserEvidenceKind =>
  (browserEvidenceKinds as readonly string[]).includes(kind);

/**
 * Runs' browser evidence (screenshots, DOM snapshots, visual diffs): kept from
 * `hzn.evt.sandbox.artifact_recorded`, listed on the run page and served from the artifact store.
 * Callers check the person may read the run first; this only knows runs and artifacts.
 */
export class BrowserEvidence {
  constructor(
    private readonly evidence: RunEvidenceRepository,
    private readonly files: EvidenceFiles,
  ) {}

  /**
   * Keeps a browser evidence artifact (any other kind is not the console's business). Returns why
   * one was not kept — a retry would not change it — or null.
   */
  async record(data: DataOf<typeof sandboxArtifactRecorded>, streamSeq: number): Promise<string | null> {
    if (!isBrowserEvidence(data.kind)) return null;
    const metadata = browserEvidenceMetadataSchema.safeParse(data.metadata);
    if (!metadata.success) {
      const why = metadata.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      return `its metadata is not browser evidence's (${why})`;
    }
    const name = this.files.nameOf(data.uri);
    // Without an artifact store, sandbox-manager keeps the file on its own disk, out of reach.
    if (!name) return `${data.uri} is not in the artifact store, so the console could not serve it`;
    await this.evidence.record({
      ...metadata.data,
      artifactId: data.artifactId,
      runId: data.runId,
      kind: data.kind,
      name,
      contentType: data.contentType,
      sizeBytes: data.sizeBytes,
      changedRatio: metadata.data.changedRatio ?? null,
      streamSeq,
    });
    return null;
  }

  async ofRun(runId: string): Promise<BrowserEvidenceView[]> {
    const rows = await this.evidence.ofRun(runId);
    return rows.map((e) => ({
      id: e.artifactId,
      kind: e.kind,
      page: e.page,
      path: e.path,
      target: e.target,
      round: e.round,
      changedRatio: e.changedRatio,
      contentType: e.contentType,
      sizeBytes: e.sizeBytes,
      url: `/api/runs/${runId}/evidence/${e.artifactId}`,
    }));
  }

  async file(runId: string, artifactId: string): Promise<EvidenceFile> {
    const evidence = await this.evidence.get(runId, artifactId);
    if (!evidence) throw new EvidenceNotFound(`run ${runId} has no browser evidence ${artifactId}`);
    const stored = await this.files.get(evidence.name);
    if (!stored)
      throw new EvidenceNotFound(
        `the artifact store no longer has ${artifactId} of run ${runId}: evidence is kept for a limited time`,
      );
    return { data: stored.data, headers: evidenceHeaders(evidence, stored.contentType) };
  }
}
