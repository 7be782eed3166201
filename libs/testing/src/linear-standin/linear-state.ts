import { randomUUID } from 'node:crypto';

/** The stand-in's memory: a workspace with the objects Horizon touches. Tests seed and read it directly. */
export interface WorkflowStateRecord {
  id: string;
  teamId: string;
  name: string;
  type: 'triage' | 'backlog' | 'unstarted' | 'started' | 'completed' | 'canceled';
  position: number;
}
export interface TeamRecord {
  id: string;
  key: string;
  name: string;
}
export interface ProjectRecord {
  id: string;
  name: string;
  description: string;
  content: string;
  teamIds: string[];
}
export interface DocumentRecord {
  id: string;
  projectId: string;
  title: string;
  content: string;
}
export interface IssueRecord {
  id: string;
  teamId: string;
  projectId: string | null;
  number: number;
  identifier: string;
  title: string;
  description: string;
  stateId: string;
  createdAt: Date;
  updatedAt: Date;
}
export interface RelationRecord {
  id: string;
  issueId: string;
  relatedIssueId: string;
  type: 'blocks' | 'duplicate' | 'related' | 'similar';
  createdAt: Date;
}
export interface CommentRecord {
  id: string;
  issueId: string;
  body: string;
  createdAt: Date;
}
export interface AgentSessionRecord {
  id: string;
  issueId: string | null;
}
export interface AgentActivityRecord {
  id: string;
  agentSessionId: string;
  content: Record<string, unknown>;
  createdAt: Date;
}

const DEFAULT_STATES: Omit<WorkflowStateRecord, 'id' | 'teamId'>[] = [
  { name: 'Backlog', type: 'backlog', position: 0 },
  { name: 'Todo', type: 'unstarted', position: 1 },
  { name: 'In Progress', type: 'started', position: 2 },
  { name: 'In Review', type: 'started', position: 3 },
  { name: 'Done', type: 'completed', position: 4 },
  { name: 'Canceled', type: 'canceled', position: 5 },
];

export class LinearState {
  readonly teams = new Map<string, TeamRecord>();
  readonly states = new Map<string, WorkflowStateRecord>();
  readonly projects = new Map<string, ProjectRecord>();
  readonly documents = new Map<string, DocumentRecord>();
  readonly issues = new Map<string, IssueRecord>();
  readonly relations = new Map<string, RelationRecord>();
  readonly comments = new Map<string, CommentRecord>();
  readonly sessions = new Map<string, AgentSessionRecord>();
  readonly activities = new Map<string, AgentActivityRecord>();

  /** A team with Linear's default workflow (Backlog, Todo, In Progress, In Review, Done, Canceled). */
  addTeam(input: {
    key: string;
    name?: string;
    states?: Omit<WorkflowStateRecord, 'id' | 'teamId'>[];
  }): TeamRecord {
    const team = { id: randomUUID(), key: input.key, name: input.name ?? input.key };
    this.teams.set(team.id, team);
    for (const s of input.states ?? DEFAULT_STATES) {
      const state = { ...s, id: randomUUID(), teamId: team.id };
      this.states.set(state.id, state);
    }
    return team;
  }

  teamStates(teamId: string): WorkflowStateRecord[] {
    return [...this.states.values()]
      .filter((s) => s.teamId === teamId)
      .sort((a, b) => a.position - b.position);
  }

  stateOf(issueId: string): WorkflowStateRecord | undefined {
    const issue = this.issues.get(issueId);
    return issue && this.states.get(issue.stateId);
  }

  addProject(input: {
    name: string;
    teamIds: string[];
    description?: string;
    content?: string;
  }): ProjectRecord {
    const project = { id: randomUUID(), description: '', content: '', ...input };
    this.projects.set(project.id, project);
    return project;
  }

  addDocument(input: { projectId: string; title: string; content: string }): DocumentRecord {
    const doc = { id: randomUUID(), ...input };
    this.documents.set(doc.id, doc);
    return doc;
  }

  addIssue(input: {
    id?: string;
    teamId: string;
    title: string;
    description?: string;
    projectId?: string | null;
    stateId?: string;
  }): IssueRecord {
    const team = this.teams.get(input.teamId);
    if (!team) throw new Error(`no team ${input.teamId}`);
    const number = [...this.issues.values()].filter((i) => i.teamId === team.id).length + 1;
    const now = new Date();
    const issue: IssueRecord = {
      id: input.id ?? randomUUID(),
      teamId: team.id,
      projectId: input.projectId ?? null,
      number,
      identifier: `${team.key}-${number}`,
      title: input.title,
      description: input.description ?? '',
      stateId:
        input.stateId ??
        this.teamStates(team.id).find((s) => s.type === 'unstarted' || s.type === 'backlog')!.id,
      createdAt: now,
      updatedAt: now,
    };
    this.issues.set(issue.id, issue);
    return issue;
  }

  addAgentSession(input: { issueId?: string }): AgentSessionRecord {
    const session = { id: randomUUID(), issueId: input.issueId ?? null };
    this.sessions.set(session.id, session);
    return session;
  }

  commentsOn(issueId: string): CommentRecord[] {
    return [...this.comments.values()].filter((c) => c.issueId === issueId);
  }

  activitiesOf(agentSessionId: string): AgentActivityRecord[] {
    return [...this.activities.values()].filter((a) => a.agentSessionId === agentSessionId);
  }

  /** Ids of the issues `issueId` blocks. */
  blockedBy(issueId: string): string[] {
    return [...this.relations.values()]
      .filter((r) => r.type === 'blocks' && r.issueId === issueId)
      .map((r) => r.relatedIssueId);
  }
}
