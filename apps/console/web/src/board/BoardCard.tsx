import { memo } from 'react';
import { Link } from 'react-router';
import type { BoardItem } from '../../../src/shared/console-api';

const verificationText = { passed: 'checks passed', failed: 'checks failed', none: 'no checks' } as const;

/** Cheap on purpose: no effects, no state; a board renders a thousand of these. */
export const BoardCard = memo(function BoardCard({ item }: { item: BoardItem }) {
  const run = item.latestRun;
  const pr = item.pullRequest;
  return (
    <li className="card">
      <Link to={`/work/${item.id}`} className="card-title">
        {item.title}
      </Link>
      <div className="card-meta">
        <span className={`badge state-${item.state}`}>{item.state}</span>
        <span>{item.kind}</span>
        <span>{item.repo}</span>
      </div>
      <div className="card-meta">
        <span>owner: {item.ownerId ?? 'none'}</span>
        <span>run: {run ? (run.outcome ?? 'in progress') : 'none'}</span>
        <span className={`verification-${run?.verification ?? 'none'}`}>
          {verificationText[run?.verification ?? 'none']}
        </span>
        {pr &&
          (pr.provider === 'local' ? (
            <Link to={`/pulls/${item.repo}/${pr.number}`}>PR #{pr.number}</Link>
          ) : pr.url ? (
            <a href={pr.url} target="_blank" rel="noreferrer">
              PR #{pr.number}
            </a>
          ) : (
            <span>PR #{pr.number}</span>
          ))}
      </div>
    </li>
  );
});
