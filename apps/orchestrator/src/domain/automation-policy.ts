/**
 * Configuration of automatic starts. Keys of `repos` are `owner/name`; keys of `labels` are
 * label names, compared case-insensitively.
 */
export interface AutomationConfig {
  readonly repos?: Readonly<Record<string, boolean>>;
  readonly labels?: Readonly<Record<string, boolean>>;
  /** For items the PM agent carved out of a plan run. Defaults to true. */
  readonly pmAgentItems?: boolean;
  /** For every other item. Defaults to false: a human starts it. */
  readonly otherItems?: boolean;
}

export interface AutomationCandidate {
  /** The item's own setting (`WorkItem.autoStart`); null when it has none. */
  readonly autoStart: boolean | null;
  readonly repo: string;
  readonly labels: readonly string[];
  readonly createdByPmAgent: boolean;
}

export interface AutomationDecision {
  readonly autoStart: boolean;
  /** Which setting decided, for the audit trail. */
  readonly reason: string;
}

/**
 * Whether an item may start without a human, e.g. once its last blocker merged. The most
 * specific setting wins: the item's own, then its labels (a label that says no beats one that
 * says yes, so a `needs-human` label is always honoured), then its repo, then who created it.
 */
export class AutomationPolicy {
  private readonly labels: ReadonlyMap<string, boolean>;

  constructor(private readonly config: AutomationConfig = {}) {
    this.labels = new Map(
      Object.entries(config.labels ?? {}).map(([label, on]) => [label.toLowerCase(), on]),
    );
  }

  decide(item: AutomationCandidate): AutomationDecision {
    if (item.autoStart !== null)
      return { autoStart: item.autoStart, reason: `the item's autoStart is ${item.autoStart}` };

    const labelled = item.labels.filter((label) => this.labels.has(label.toLowerCase()));
    const refusing = labelled.find((label) => this.labels.get(label.toLowerCase()) === false);
    if (refusing !== undefined)
      return { autoStart: false, reason: `label "${refusing}" turns automation off` };
    if (labelled.length > 0) return { autoStart: true, reason: `label "${labelled[0]}" turns automation on` };

    const repo = this.config.repos?.[item.repo];
    if (repo !== undefined)
      return { autoStart: repo, reason: `repo ${item.repo} turns automation ${repo ? 'on' : 'off'}` };

    return item.createdByPmAgent
      ? { autoStart: this.config.pmAgentItems ?? true, reason: 'default for items created by the PM agent' }
      : {
          autoStart: this.config.otherItems ?? false,
          reason: 'default for items not created by the PM agent',
        };
  }
}
