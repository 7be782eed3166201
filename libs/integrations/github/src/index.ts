export * from './webhooks';
export * from './app/github-app';
export * from './forge/forge';
export * from './forge/octokit-forge';
export * from './forge/attribution';
export * from './forge/verification-report';
export * from './forge/pull-request-reader';
export * from './forge/review-lines';
