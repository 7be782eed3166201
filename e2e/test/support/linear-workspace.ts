import { linearDelivery, linearFixture } from '@horizon/testing';
import type { IssueRecord, LinearStandin, ProjectRecord, TeamRecord } from '@horizon/testing';

/** A person in the Linear workspace: who Linear names as a session's creator or an update's actor. */
export interface LinearPerson {
  id: string;
  name: string;
  email: string;
}

/** The URL the stand-in gives an issue (resolvers.ts), so webhooks and API answers agree. */
const issueUrl = (issue: IssueRecord) => `https://linear.app/standin/issue/${issue.identifier}`;

/**
 * People acting in the Linear stand-in's workspace, as Linear's webhooks tell an app about it:
 * each act changes the stand-in's state first (what the API answers afterwards), then is
 * delivered to ingress as a signed webhook shaped like the fixtures in libs/testing/fixtures/linear.
 */
export class LinearWorkspace {
  private seq = 0;

  constructor(
    private readonly linear: LinearStandin,
    private readonly options: { ingressUrl: string; webhookSecret: string; appUserId: string },
  ) {}

  /** `person` asks the app for help on `issue`: an agent session is created and `created` delivered. */
  async startAgentSession(issue: IssueRecord, person: LinearPerson): Promise<string> {
    const session = this.linear.state.addAgentSession({ issueId: issue.id });
    const team = this.team(issue);
    const fixture = linearFixture('agent-session-created');
    const now = new Date().toISOString();
    const payload = {
      ...fixture,
      appUserId: this.options.appUserId,
      createdAt: now,
      promptContext: `<issue identifier="${issue.identifier}">\n<title>${issue.title}</title>\n<description>${issue.description}</description>\n<team name="${team.name}"/>\n</issue>`,
      agentSession: {
        ...fixture.agentSession,
        id: session.id,
        createdAt: now,
        updatedAt: now,
        appUserId: this.options.appUserId,
        creatorId: person.id,
        creator: { ...fixture.agentSession.creator, ...person },
        // Started on the issue itself, not from a comment thread.
        type: 'issue',
        commentId: null,
        comment: null,
        url: `${issueUrl(issue)}#agent-session-${session.id}`,
        issueId: issue.id,
        issue: {
          id: issue.id,
          identifier: issue.identifier,
          title: issue.title,
          description: issue.description,
          teamId: team.id,
          team: { id: team.id, key: team.key, name: team.name },
          url: issueUrl(issue),
        },
      },
    };
    await this.deliver(payload);
    return session.id;
  }

  /** `person` moves `issue` to the team's workflow state `stateName`: an `Issue` `update` is delivered. */
  async moveIssue(issue: IssueRecord, stateName: string, person: LinearPerson): Promise<void> {
    const team = this.team(issue);
    const target = this.linear.state.teamStates(team.id).find((s) => s.name === stateName);
    if (!target) throw new Error(`team ${team.key} has no state ${stateName}`);
    const previous = issue.stateId;
    issue.stateId = target.id;
    issue.updatedAt = new Date();
    const project: ProjectRecord | undefined = issue.projectId
      ? this.linear.state.projects.get(issue.projectId)
      : undefined;
    const fixture = linearFixture('issue-update-state');
    const at = issue.updatedAt.toISOString();
    const who = { ...fixture.data.creator, ...person };
    const payload = {
      ...fixture,
      actor: { ...fixture.actor, ...person },
      createdAt: at,
      url: issueUrl(issue),
      updatedFrom: { updatedAt: issue.createdAt.toISOString(), stateId: previous, startedAt: null },
      data: {
        ...fixture.data,
        id: issue.id,
        createdAt: issue.createdAt.toISOString(),
        updatedAt: at,
        number: issue.number,
        identifier: issue.identifier,
        title: issue.title,
        description: issue.description,
        startedAt: target.type === 'started' ? at : null,
        teamId: team.id,
        team: { id: team.id, key: team.key, name: team.name },
        stateId: target.id,
        state: { ...fixture.data.state, id: target.id, name: target.name, type: target.type },
        creatorId: person.id,
        creator: who,
        assigneeId: person.id,
        assignee: who,
        projectId: project?.id ?? null,
        project: project
          ? { id: project.id, name: project.name, url: `https://linear.app/standin/project/${project.id}` }
          : null,
        subscriberIds: [person.id],
        labelIds: [],
        labels: [],
        url: issueUrl(issue),
      },
    };
    await this.deliver(payload);
  }

  private team(issue: IssueRecord): TeamRecord {
    const team = this.linear.state.teams.get(issue.teamId);
    if (!team) throw new Error(`issue ${issue.identifier} has no team in the stand-in`);
    return team;
  }

  /** Signed now, as Linear signs each delivery; ingress must accept it. */
  private async deliver(payload: { type: string; webhookTimestamp: number }): Promise<void> {
    payload.webhookTimestamp = Date.now();
    const { rawBody, headers } = linearDelivery(
      payload,
      this.options.webhookSecret,
      `linear-e2e-${Date.now()}-${++this.seq}`,
    );
    const res = await fetch(`${this.options.ingressUrl}/webhooks/linear`, {
      method: 'POST',
      headers,
      body: rawBody,
    });
    const body = (await res.json()) as { status?: string };
    if (res.status !== 202 || body.status !== 'accepted')
      throw new Error(
        `ingress did not accept the Linear ${payload.type}: ${res.status} ${JSON.stringify(body)}`,
      );
  }
}
