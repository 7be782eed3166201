import { SETUP_INPUT_PATHS, changedSetupInputs } from './setup-inputs';

const blob = (n: number) => n.toString(16).padStart(40, '0');

describe('setup inputs: what a snapshot rebuild after a merge depends on', () => {
  it("lists the repository's config and the root lockfiles, not text such as AGENTS.md", () => {
    expect(SETUP_INPUT_PATHS).toEqual(
      expect.arrayContaining([
        '.horizon/config.yaml',
        'package-lock.json',
        'yarn.lock',
        'go.sum',
        'Cargo.lock',
      ]),
    );
    expect(SETUP_INPUT_PATHS).not.toContain('AGENTS.md');
    expect(SETUP_INPUT_PATHS).not.toContain('package.json');
    expect(new Set(SETUP_INPUT_PATHS).size).toBe(SETUP_INPUT_PATHS.length);
  });

  it('finds nothing changed when every input has the same blob (a text-only change)', () => {
    const tree = { '.horizon/config.yaml': blob(1), 'package-lock.json': blob(2) };
    expect(changedSetupInputs(tree, { ...tree })).toEqual([]);
    expect(changedSetupInputs({}, {})).toEqual([]);
  });

  it('names an input whose blob changed', () => {
    expect(
      changedSetupInputs(
        { '.horizon/config.yaml': blob(1), 'package-lock.json': blob(2) },
        { '.horizon/config.yaml': blob(1), 'package-lock.json': blob(3) },
      ),
    ).toEqual(['package-lock.json']);
  });

  it('names inputs added or removed, sorted', () => {
    expect(
      changedSetupInputs(
        { 'yarn.lock': blob(4), '.horizon/config.yaml': blob(1) },
        { '.horizon/config.yaml': blob(1), 'pnpm-lock.yaml': blob(5) },
      ),
    ).toEqual(['pnpm-lock.yaml', 'yarn.lock']);
  });
});
