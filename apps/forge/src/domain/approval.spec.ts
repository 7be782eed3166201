import { approvalOf } from './approval';

const at = (s: number) => new Date(1_700_000_000_000 + s * 1000);

describe('approvalOf', () => {
  it('is not approved without reviews, or with comments only', () => {
    expect(approvalOf([]).approved).toBe(false);
    expect(approvalOf([{ author: 'ann', state: 'commented', createdAt: at(1) }]).approved).toBe(false);
  });

  it("counts each reviewer's latest decision; a comment after an approval keeps it", () => {
    const reviews = [
      { author: 'ann', state: 'changes_requested', createdAt: at(1) },
      { author: 'ann', state: 'approved', createdAt: at(2) },
      { author: 'ann', state: 'commented', createdAt: at(3) },
    ];
    expect(approvalOf(reviews)).toEqual({ approved: true, approvedBy: ['ann'], changesRequestedBy: [] });
  });

  it('is blocked while any reviewer still requests changes', () => {
    const reviews = [
      { author: 'bob', state: 'changes_requested', createdAt: at(2) },
      { author: 'ann', state: 'approved', createdAt: at(1) },
    ];
    expect(approvalOf(reviews)).toEqual({
      approved: false,
      approvedBy: ['ann'],
      changesRequestedBy: ['bob'],
    });
  });
});
