import { FLEET_SECTION_END, FLEET_SECTION_START } from '@horizon/contracts';
import { linkCount } from './fleet-links';

describe('linkCount', () => {
  const section = (...links: string[]) =>
    [FLEET_SECTION_START, '**Fleet** “x”', ...links.map((l) => `- ${l}`), FLEET_SECTION_END].join('\n');

  it('counts the sibling links of the fleet section only, so an older section is told from a newer', () => {
    expect(linkCount(`Summary\n- not a link of the fleet\n\n${section('a/b: u', 'a/c: v')}`)).toBe(2);
    expect(linkCount(section())).toBe(0);
  });

  it('is -1 for a body without a section', () => {
    expect(linkCount('Summary\n- a list item')).toBe(-1);
  });
});
