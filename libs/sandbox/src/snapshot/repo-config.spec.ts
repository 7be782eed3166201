import { parseRepoConfig } from './repo-config';

describe('.horizon/config.yaml', () => {
  it('reads setup, verify and egress hosts, defaulting what is missing', () => {
    expect(
      parseRepoConfig('setup: [npm ci]\negress:\n  allow: ["registry.example.com", "*.cdn.test:8443"]\n'),
    ).toEqual({
      setup: ['npm ci'],
      verify: [],
      egress: { allow: ['registry.example.com', '*.cdn.test:8443'] },
      schedules: [],
      review: { enabled: true, humanPullRequests: false, selfRevisions: 1 },
      budgets: {},
      agent: {},
      retro: { weekly: true },
    });
    expect(parseRepoConfig('')).toEqual({
      setup: [],
      verify: [],
      egress: { allow: [] },
      schedules: [],
      review: { enabled: true, humanPullRequests: false, selfRevisions: 1 },
      budgets: {},
      agent: {},
      retro: { weekly: true },
    });
  });

  it('reads the review station settings, and refuses a bound it does not allow', () => {
    expect(parseRepoConfig('review:\n  humanPullRequests: true\n').review).toEqual({
      enabled: true,
      humanPullRequests: true,
      selfRevisions: 1,
    });
    expect(parseRepoConfig('review: { selfRevisions: 0 }').review.selfRevisions).toBe(0);
    expect(parseRepoConfig('review: { enabled: false }').review.enabled).toBe(false);
    expect(() => parseRepoConfig('review: { selfRevisions: 9 }')).toThrow(
      /\.horizon\/config\.yaml is invalid: review\.selfRevisions: /,
    );
    expect(() => parseRepoConfig('review: { humanPRs: true }')).toThrow(/review: Unrecognized key/);
  });

  it('reads the harness its runs use, and names the harnesses there are when it is not one', () => {
    expect(parseRepoConfig('agent: { harness: codex }').agent).toEqual({ harness: 'codex' });
    expect(() => parseRepoConfig('agent: { harness: aider }')).toThrow(
      /agent\.harness: expected one of "opencode"\|"codex"\|"claude-code", or a map from default, plan, implement, review to one/,
    );
  });

  it('reads a harness per flavour, refusing a flavour no harness runs and a name it does not have', () => {
    expect(parseRepoConfig('agent: { harness: { implement: codex, review: claude-code } }').agent).toEqual({
      harness: { implement: 'codex', review: 'claude-code' },
    });
    expect(parseRepoConfig('agent:\n  harness:\n    default: opencode\n    plan: codex\n').agent).toEqual({
      harness: { default: 'opencode', plan: 'codex' },
    });
    expect(() => parseRepoConfig('agent: { harness: { verify: codex } }')).toThrow(
      /agent\.harness: Unrecognized key: "verify"/,
    );
    expect(() => parseRepoConfig('agent: { harness: { review: aider } }')).toThrow(
      /agent\.harness: expected one of/,
    );
  });

  it('reads whether the repository takes the weekly retro every repository gets', () => {
    expect(parseRepoConfig('retro: { weekly: false }').retro).toEqual({ weekly: false });
    expect(parseRepoConfig('retro: {}').retro).toEqual({ weekly: true });
    expect(() => parseRepoConfig('retro: { weekly: off }')).toThrow(/retro\.weekly: /);
    expect(() => parseRepoConfig('retro: { schedule: off }')).toThrow(/retro: Unrecognized key/);
  });

  it('reads how to preview the app, defaulting its ready path and timeout, and has none unless declared', () => {
    expect(parseRepoConfig('').preview).toBeUndefined();
    expect(parseRepoConfig('preview: { command: npm run dev, port: 5173 }').preview).toEqual({
      command: 'npm run dev',
      port: 5173,
      readyPath: '/',
      readyTimeoutSeconds: 60,
    });
    expect(
      parseRepoConfig(
        'preview: { command: node server.js, port: 3000, readyPath: /health, readyTimeoutSeconds: 600 }',
      ).preview,
    ).toEqual({ command: 'node server.js', port: 3000, readyPath: '/health', readyTimeoutSeconds: 600 });
    expect(() => parseRepoConfig('preview: { command: x, port: 70000 }')).toThrow(/preview\.port: /);
    expect(() => parseRepoConfig('preview: { command: x, port: 80, readyPath: health }')).toThrow(
      /preview\.readyPath: a path starting with \//,
    );
    expect(() => parseRepoConfig('preview: { command: x, port: 80, readyTimeoutSeconds: 601 }')).toThrow(
      /preview\.readyTimeoutSeconds: /,
    );
    expect(() => parseRepoConfig('preview: { port: 80 }')).toThrow(/preview\.command: /);
    expect(() => parseRepoConfig('preview: { command: x, port: 80, host: 0.0.0.0 }')).toThrow(
      /preview: Unrecognized key/,
    );
  });

  it('reads schedules, with UTC and implement by default', () => {
    const yaml = [
      'schedules:',
      '  - name: nightly-deps',
      '    cron: "0 3 * * 1-5"',
      '    timezone: Europe/Paris',
      '    title: Bump dependencies',
      '    prompt: Update every dependency to its latest patch release.',
      '  - { name: weekly-plan, cron: "0 9 * * 1", title: Plan the week, prompt: Plan it., flavour: plan }',
    ].join('\n');
    expect(parseRepoConfig(yaml).schedules).toEqual([
      {
        name: 'nightly-deps',
        cron: '0 3 * * 1-5',
        timezone: 'Europe/Paris',
        title: 'Bump dependencies',
        prompt: 'Update every dependency to its latest patch release.',
        flavour: 'implement',
      },
      {
        name: 'weekly-plan',
        cron: '0 9 * * 1',
        timezone: 'UTC',
        title: 'Plan the week',
        prompt: 'Plan it.',
        flavour: 'plan',
      },
    ]);
  });

  it('names what is wrong', () => {
    expect(() =>
      parseRepoConfig(
        'schedules:\n  - { name: a, cron: "* * * * *", title: T, prompt: P }\n  - { name: a, cron: "* * * * *", title: T, prompt: P }\n',
      ),
    ).toThrow(/schedules: two schedules share a name/);
    expect(() =>
      parseRepoConfig('schedules:\n  - { name: Nightly, cron: "* * * * *", title: T, prompt: P }\n'),
    ).toThrow(/schedules.0.name: lower-case letters/);
    expect(() => parseRepoConfig('setup: npm ci\n')).toThrow(/config.yaml is invalid: setup: /);
    expect(() => parseRepoConfig('egress: { allow: ["https://x.test/"] }\n')).toThrow(
      /egress.allow.0: host or host:port/,
    );
    expect(() => parseRepoConfig('steup: [x]\n')).toThrow(/Unrecognized key/i);
  });
});
