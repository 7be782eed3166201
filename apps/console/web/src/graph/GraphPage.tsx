import { Link, useSearchParams } from 'react-router';
import { stateGroups } from '../board/groups';
import { ErrorNotice } from '../shell/ErrorNotice';
import { GraphCanvas } from './GraphCanvas';
import { GraphPicker } from './GraphPicker';
import { useGraph } from './useGraph';

function Legend() {
  return (
    <ul className="legend" aria-label="Legend">
      {stateGroups.map((g) => (
        <li key={g.id}>
          <span className={`swatch group-${g.id}`} aria-hidden="true" />
          {g.label}
        </li>
      ))}
      <li>
        <span className="swatch critical" aria-hidden="true" />
        Critical path
      </li>
    </ul>
  );
}

function Graph({ query, title }: { query: { parentId: string } | { repo: string }; title: string }) {
  const graph = useGraph(query);
  return (
    <section className="page graph-page" aria-labelledby="graph-title">
      <h1 id="graph-title">{title}</h1>
      <p>
        <Link to="/graph">Pick another plan or repository</Link>
      </p>
      <Legend />
      {graph.status === 'loading' && <p className="page-status">Loading the graph…</p>}
      {graph.status === 'error' && (
        <ErrorNotice what="Loading the graph" error={graph.error} onRetry={graph.retry} />
      )}
      {graph.status === 'ready' && graph.nodes.length === 0 && (
        <p className="empty">No items in this graph yet.</p>
      )}
      {graph.status === 'ready' && graph.nodes.length > 0 && (
        <GraphCanvas nodes={graph.nodes} edges={graph.edges} />
      )}
    </section>
  );
}

export function GraphPage() {
  const [params] = useSearchParams();
  const parentId = params.get('parentId');
  const repo = params.get('repo');
  if (parentId) return <Graph key={parentId} query={{ parentId }} title="Plan graph" />;
  if (repo) return <Graph key={repo} query={{ repo }} title={`Graph of ${repo}`} />;
  return <GraphPicker />;
}
