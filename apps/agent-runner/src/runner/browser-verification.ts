import type {
  AgentRunSpec,
  BrowserCheckAnswer,
  BrowserCheckRequest,
  BrowserCheckResult,
} from '@horizon/contracts';
import { startPreview } from './preview';
import type { Transcript } from './transcript';

/**
 * The host's answers to this runner's `browser_check` requests, as they come in on stdin:
 * each resolves the request it names; an answer nobody waits for is dropped.
 */
export class BrowserCheckInbox {
  private readonly waiting = new Map<string, (answer: BrowserCheckAnswer) => void>();

  answer(answer: BrowserCheckAnswer): void {
    this.waiting.get(answer.requestId)?.(answer);
    this.waiting.delete(answer.requestId);
  }

  /** Sends the request and waits for its answer; aborting the signal gives up on it. */
  ask(
    request: BrowserCheckRequest,
    send: (request: BrowserCheckRequest) => void,
    signal: AbortSignal,
  ): Promise<BrowserCheckAnswer | null> {
    return new Promise((resolve) => {
      const abandon = () => {
        this.waiting.delete(request.requestId);
        resolve(null);
      };
      if (signal.aborted) return abandon();
      signal.addEventListener('abort', abandon, { once: true });
      this.waiting.set(request.requestId, (answer) => {
        signal.removeEventListener('abort', abandon);
        resolve(answer);
      });
      send(request);
    });
  }
}

export interface BrowserVerificationDeps {
  spec: AgentRunSpec;
  transcript: Transcript;
  /** Where the host's answers come in; without it (no host answers) browser checks are skipped. */
  inbox: BrowserCheckInbox | undefined;
  workdir: string;
  env: Record<string, string>;
  deadlineAt: () => number;
  signal: AbortSignal;
}

/**
 * Browser verification from inside the run's sandbox (docs/browser-verification.md): the
 * runner starts the repository's preview and asks the host to check it from a verify sandbox —
 * once at the base before the agent starts (what the change is compared with), and on the
 * change after the command checks pass. The host does the browsing; the runner only serves.
 */
export class BrowserVerification {
  readonly results: BrowserCheckResult[] = [];
  private requests = 0;

  constructor(private readonly deps: BrowserVerificationDeps) {}

  /** Whether this run is verified in a browser: a preview is configured and it changes code. */
  get enabled(): boolean {
    const { spec } = this.deps;
    return spec.preview !== null && (spec.kind === 'implement' || spec.kind === 'revise');
  }

  /** The base as it is before the agent changes anything; a base that fails is only noted. */
  async captureBase(): Promise<void> {
    if (!this.enabled) return;
    await this.check('base', 0);
  }

  /** The change, after its command checks passed: null when it passed (or is not verified). */
  async checkChange(round: number): Promise<BrowserCheckResult | null> {
    if (!this.enabled) return null;
    const result = await this.check('change', round);
    return result.outcome === 'failed' ? result : null;
  }

  private async check(target: BrowserCheckRequest['target'], round: number): Promise<BrowserCheckResult> {
    const { spec, transcript } = this.deps;
    const settings = spec.preview!;
    const phase = phaseOf(target);
    transcript.emit(phase, 'preview.starting', `$ ${settings.command} (${target})`, {
      target,
      round,
      command: settings.command,
      port: settings.port,
    });
    const started = await startPreview({ settings, ...this.deps, cwd: this.deps.workdir });
    if (!started.ok) {
      const result: BrowserCheckResult = {
        target,
        round,
        outcome: target === 'base' ? 'skipped' : 'failed',
        problems: [`${started.problem}. Its output ends:\n${started.output.trimEnd()}`],
        summary: started.problem,
      };
      return this.record(result);
    }
    transcript.emit(
      phase,
      'preview.ready',
      `preview ready on port ${settings.port} after ${started.readyMs} ms`,
      {
        target,
        round,
        readyMs: started.readyMs,
      },
    );
    try {
      this.requests += 1;
      const request: BrowserCheckRequest = {
        type: 'browser_check',
        requestId: `${target}-${round}-${this.requests}`,
        target,
        round,
        port: settings.port,
      };
      const answer = this.deps.inbox
        ? await this.deps.inbox.ask(request, (r) => transcript.request(r), this.deps.signal)
        : null;
      if (!answer) {
        const why = this.deps.inbox
          ? 'the run stopped before the browser check answered'
          : 'nothing answers browser checks here';
        return this.record({ target, round, outcome: 'skipped', problems: [], summary: why });
      }
      const { type: _type, requestId: _id, ...result } = answer;
      return this.record(result);
    } finally {
      await started.preview.stop();
    }
  }

  private record(result: BrowserCheckResult): BrowserCheckResult {
    this.results.push(result);
    const kind =
      result.outcome === 'passed'
        ? 'browser.passed'
        : result.outcome === 'failed'
          ? 'browser.failed'
          : 'browser.skipped';
    this.deps.transcript.emit(
      phaseOf(result.target),
      kind,
      `browser check of the ${result.target}: ${result.summary}`,
      {
        target: result.target,
        round: result.round,
        outcome: result.outcome,
        problems: result.problems,
      },
    );
    return result;
  }
}

/**
 * The base is looked at while the run gets ready, before the agent starts: in the verification
 * phase it would read as the run verifying work it has not done yet.
 */
function phaseOf(target: BrowserCheckRequest['target']): 'provisioning' | 'verification' {
  return target === 'base' ? 'provisioning' : 'verification';
}
