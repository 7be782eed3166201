import {
  Background,
  Controls,
  MarkerType,
  Position,
  ReactFlow,
  useNodesState,
  type Edge,
  type Node,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { BoardItem, GraphView } from '../../../src/shared/console-api';
import { groupOf } from '../board/groups';
import { criticalPath, edgeKey, pathEdges } from './criticalPath';
import { layoutGraph, NODE_HEIGHT, NODE_WIDTH } from './layout';

interface Props {
  nodes: BoardItem[];
  edges: GraphView['edges'];
}

type Positions = Map<string, { x: number; y: number }>;

/** Lays out once per shape of the graph: live updates recolour nodes without moving them. */
function useLayout(nodes: BoardItem[], edges: GraphView['edges']): Positions | null {
  const ids = nodes.map((n) => n.id).join(',');
  const shape = `${ids}|${edges.map(edgeKey).join(',')}`;
  const [layout, setLayout] = useState<{ shape: string; positions: Positions } | null>(null);
  useEffect(() => {
    let current = true;
    layoutGraph(ids ? ids.split(',') : [], edges).then((positions) => {
      if (current) setLayout({ shape, positions });
    });
    return () => {
      current = false;
    };
    // Keyed by `shape` alone (it covers `ids` and `edges`): a new edges array holding the same
    // edges, as every live update brings, must not lay the graph out again.
  }, [shape]);
  return layout?.positions ?? null;
}

export function GraphCanvas({ nodes, edges }: Props) {
  const navigate = useNavigate();
  const positions = useLayout(nodes, edges);
  const path = useMemo(() => criticalPath(nodes, edges), [nodes, edges]);

  const flowNodes = useMemo<Node[]>(() => {
    const onPath = new Set(path);
    return nodes.map((item) => ({
      id: item.id,
      position: positions?.get(item.id) ?? { x: 0, y: 0 },
      data: {
        label: (
          <>
            <strong>{item.title}</strong>
            <span className="node-state">{item.state}</span>
          </>
        ),
      },
      className: `graph-node group-${groupOf(item.state)}${onPath.has(item.id) ? ' on-critical-path' : ''}`,
      // Inline, so the colour wins over @xyflow/react's stylesheet whatever order they load in.
      style: {
        width: NODE_WIDTH,
        height: NODE_HEIGHT,
        background: `var(--group-${groupOf(item.state)})`,
        color: 'var(--text)',
      },
      ariaLabel: `${item.title}, ${item.state}`,
      // Left to right, like the layout: edges leave a node's right side, enter the left.
      sourcePosition: Position.Right,
      targetPosition: Position.Left,
      connectable: false,
      draggable: false,
    }));
  }, [nodes, positions, path]);

  const flowEdges = useMemo<Edge[]>(() => {
    const critical = pathEdges(path);
    return edges.map((e) => {
      const key = edgeKey(e);
      const isCritical = critical.has(key);
      return {
        id: key,
        source: e.from,
        target: e.to,
        className: isCritical ? 'critical-edge' : undefined,
        style: isCritical
          ? { strokeWidth: 4, stroke: 'var(--critical)' }
          : { strokeWidth: 1.5, stroke: 'var(--muted)' },
        // Marker sizes are in stroke widths: both arrowheads come out about 20 px.
        markerEnd: isCritical
          ? { type: MarkerType.ArrowClosed, color: 'var(--critical)', width: 5, height: 5 }
          : { type: MarkerType.ArrowClosed, color: 'var(--muted)', width: 13, height: 13 },
      };
    });
  }, [edges, path]);

  return (
    <>
      {positions ? (
        <FlowView nodes={flowNodes} edges={flowEdges} onOpen={(id) => navigate(`/work/${id}`)} />
      ) : (
        <p className="page-status">Laying out the graph…</p>
      )}
      <GraphItemList nodes={nodes} path={path} />
    </>
  );
}

function FlowView({ nodes, edges, onOpen }: { nodes: Node[]; edges: Edge[]; onOpen: (id: string) => void }) {
  // React Flow keeps a node hidden until it knows the node's measured size, which it reports
  // through onNodesChange. A live update builds new node objects without it, and the node's box
  // does not resize, so nothing would measure it again: it would stay hidden for good. Each
  // update keeps the size measured before.
  const [flowNodes, setFlowNodes, onNodesChange] = useNodesState(nodes);
  useEffect(() => {
    setFlowNodes((current) => {
      const measured = new Map(current.map((n) => [n.id, n.measured]));
      return nodes.map((n) => ({ ...n, measured: measured.get(n.id) }));
    });
  }, [nodes, setFlowNodes]);
  return (
    <div className="graph-canvas">
      <ReactFlow
        nodes={flowNodes}
        onNodesChange={onNodesChange}
        edges={edges}
        onNodeClick={(_e, node) => onOpen(node.id)}
        nodesConnectable={false}
        nodesDraggable={false}
        fitView
        // A four-layer plan is ~1,100 px wide: a phone must zoom out below the default 0.5.
        minZoom={0.2}
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}

/** The graph's items as links: what a keyboard or screen-reader user opens instead of nodes. */
function GraphItemList({ nodes, path }: { nodes: BoardItem[]; path: string[] }) {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  return (
    <>
      <h2 id="critical-path-title">Critical path</h2>
      {path.length === 0 ? (
        <p className="muted">Everything here is done.</p>
      ) : (
        <ol className="critical-path" aria-labelledby="critical-path-title">
          {path.map((id) => (
            <li key={id}>
              <Link to={`/work/${id}`}>{byId.get(id)?.title ?? id}</Link> ({byId.get(id)?.state})
            </li>
          ))}
        </ol>
      )}
      <details>
        <summary>All {nodes.length} items</summary>
        <ul>
          {nodes.map((n) => (
            <li key={n.id}>
              <Link to={`/work/${n.id}`}>{n.title}</Link> ({n.state})
            </li>
          ))}
        </ul>
      </details>
    </>
  );
}
