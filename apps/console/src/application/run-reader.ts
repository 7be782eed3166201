import { orchestratorGetWorkItem } from '@horizon/contracts';
import type { RpcClient } from '@horizon/messaging';
import { roleIn } from '../domain/access';
import type { EventStream } from '../messaging/event-stream';
import type { RunTranscriptsRepository } from '../persistence/run-transcripts.repository';
import type { RunPage } from '../shared/console-api';
import type { BrowserEvidence, EvidenceFile } from './browser-evidence';
import type { Viewer } from './sign-in.service';

/** No run by that id that the person may see: one 404 for both, as for work items. */
export class RunNotFound extends Error {}

/**
 * A run's page: the orchestrator's view of the run (through its RPC) with the transcript and
 * browser verification the console kept from the run's events. The run is found through its
 * work item, which the console learnt from the run's events, so a run none of whose events
 * arrived yet is not found. Its evidence files are served to exactly those who may read it.
 */
export class RunReader {
  constructor(
    private readonly rpc: RpcClient,
    private readonly events: EventStream,
    private readonly transcripts: RunTranscriptsRepository,
    private readonly browser: BrowserEvidence,
  ) {}

  async run(viewer: Viewer, runId: string): Promise<RunPage> {
    const streamSeq = await this.events.position();
    const { workItem, run } = await this.visible(viewer, runId);
    const durationMs =
      run.startedAt && run.finishedAt ? Date.parse(run.finishedAt) - Date.parse(run.startedAt) : null;
    return {
      run: { ...run, durationMs },
      workItem: { id: workItem.id, title: workItem.title, repo: workItem.repo, state: workItem.state },
      transcript: await this.transcripts.transcript(runId),
      browser: {
        // The orchestrator keeps the run's report: its checks come with its view of the run.
        results: run.browser,
        evidence: await this.browser.ofRun(runId),
      },
      streamSeq,
    };
  }

  /** One evidence file of the run, for a person who may read the run (else RunNotFound). */
  async evidence(viewer: Viewer, runId: string, artifactId: string): Promise<EvidenceFile> {
    await this.visible(viewer, runId);
    return this.browser.file(runId, artifactId);
  }

  private async visible(viewer: Viewer, runId: string) {
    const workItemId = await this.transcripts.workItemOf(runId);
    if (!workItemId) throw new RunNotFound(runId);
    const { workItem } = await this.rpc.call(orchestratorGetWorkItem, { workItemId });
    if (!workItem || !roleIn(viewer.grants, workItem.repo)) throw new RunNotFound(runId);
    const run = workItem.runs.find((r) => r.id === runId);
    if (!run) throw new RunNotFound(runId);
    return { workItem, run };
  }
}
