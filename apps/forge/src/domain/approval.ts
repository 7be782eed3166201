export type ReviewState = 'approved' | 'changes_requested' | 'commented';

/**
 * Whether a pull request counts as approved, GitHub's way: each reviewer's latest approving or
 * change-requesting review counts (comments do not); approved when at least one reviewer
 * approves and none still requests changes.
 */
export function approvalOf(reviews: { author: string; state: string; createdAt: Date }[]): {
  approved: boolean;
  approvedBy: string[];
  changesRequestedBy: string[];
} {
  const latest = new Map<string, string>();
  for (const r of [...reviews].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()))
    if (r.state === 'approved' || r.state === 'changes_requested') latest.set(r.author, r.state);
  const approvedBy = [...latest].filter(([, s]) => s === 'approved').map(([a]) => a);
  const changesRequestedBy = [...latest].filter(([, s]) => s === 'changes_requested').map(([a]) => a);
  return {
    approved: approvedBy.length > 0 && changesRequestedBy.length === 0,
    approvedBy,
    changesRequestedBy,
  };
}
