import ELK from 'elkjs/lib/elk.bundled.js';

export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 72;

const elk = new ELK();

/** Positions for a DAG, layered left to right (blockers left of what they block). */
export async function layoutGraph(
  nodeIds: readonly string[],
  edges: readonly { from: string; to: string }[],
): Promise<Map<string, { x: number; y: number }>> {
  const known = new Set(nodeIds);
  const laid = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.spacing.nodeNode': '32',
      'elk.layered.spacing.nodeNodeBetweenLayers': '64',
    },
    children: nodeIds.map((id) => ({ id, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges: edges
      .filter((e) => known.has(e.from) && known.has(e.to))
      .map((e, i) => ({ id: `e${i}`, sources: [e.from], targets: [e.to] })),
  });
  return new Map((laid.children ?? []).map((n) => [n.id, { x: n.x ?? 0, y: n.y ?? 0 }]));
}
