export { startGitHubStandIn } from './server';
export type { GitHubStandIn, GitHubStandInApp } from './server';
export type {
  GitHubModel,
  Permissions,
  PullRequest,
  IssueComment,
  CheckRun,
  Review,
  GitHubRecordedRequest,
} from './model';
