import { ciStationCases } from './support/ci-station-cases';
import { rebaseStationCases } from './support/rebase-station-cases';
import { StationStack } from './support/station-stack';

/**
 * The CI and merge-conflict stations on one whole stack with the scripted model
 * (e2e/scripts/stations), each on a repository of its own: one stack start instead of two.
 */
describe('stations, end to end on the local forge', () => {
  let s: StationStack;

  beforeAll(async () => {
    s = await StationStack.start();
  }, 5 * 60_000);

  afterAll(async () => {
    await s?.stop();
  });

  describe('CI station', () => ciStationCases(() => s));
  describe('rebase station', () => rebaseStationCases(() => s));
});
