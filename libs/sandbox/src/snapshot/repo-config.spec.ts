import { parseRepoConfig } from './repo-config';

describe('.horizon/config.yaml', () => {
  it('reads setup, verify and egress hosts, defaulting what is missing', () => {
    expect(
      parseRepoConfig('setup: [npm ci]\negress:\n  allow: ["registry.example.com", "*.cdn.test:8443"]\n'),
    ).toEqual({
      setup: ['npm ci'],
      verify: [],
      egress: { allow: ['registry.example.com', '*.cdn.test:8443'] },
    });
    expect(parseRepoConfig('')).toEqual({ setup: [], verify: [], egress: { allow: [] } });
  });

  it('names what is wrong', () => {
    expect(() => parseRepoConfig('setup: npm ci\n')).toThrow(/config.yaml is invalid: setup: /);
    expect(() => parseRepoConfig('egress: { allow: ["https://x.test/"] }\n')).toThrow(
      /egress.allow.0: host or host:port/,
    );
    expect(() => parseRepoConfig('steup: [x]\n')).toThrow(/Unrecognized key/i);
  });
});
