import { Link, Navigate, type RouteObject } from 'react-router';
import { BoardPage } from './board/BoardPage';
import { FleetPage } from './fleet/FleetPage';
import { FleetsPage } from './fleet/FleetsPage';
import { SettingsPage } from './settings/SettingsPage';
import { RunPage } from './run/RunPage';
import { AppShell } from './shell/AppShell';
import { UsagePage } from './usage/UsagePage';
import { FrictionPage } from './friction/FrictionPage';
import { WorkItemPage } from './workitem/WorkItemPage';

function NotFound() {
  return (
    <section className="page">
      <h1>Nothing here</h1>
      <p>
        This address is not a console page. Go to the <Link to="/board">board</Link>.
      </p>
    </section>
  );
}

export const routes: RouteObject[] = [
  {
    element: <AppShell />,
    // Shown while the graph page's chunk loads (it carries @xyflow/react and elkjs).
    hydrateFallbackElement: <p className="page-status">Loading…</p>,
    children: [
      { index: true, element: <Navigate to="/board" replace /> },
      { path: 'board', element: <BoardPage /> },
      { path: 'work/:id', element: <WorkItemPage /> },
      { path: 'runs/:id', element: <RunPage /> },
      { path: 'graph', lazy: () => import('./graph/GraphPage').then((m) => ({ Component: m.GraphPage })) },
      { path: 'settings', element: <SettingsPage /> },
      { path: 'usage', element: <UsagePage /> },
      { path: 'friction', element: <FrictionPage /> },
      { path: 'fleets', element: <FleetsPage /> },
      { path: 'fleets/:id', element: <FleetPage /> },
      {
        path: 'pulls/:owner/:name/:number',
        lazy: () => import('./pull/PullRequestPage').then((m) => ({ Component: m.PullRequestPage })),
      },
      { path: 'plans', lazy: () => import('./plan/PlansPage').then((m) => ({ Component: m.PlansPage })) },
      { path: 'plans/:id', lazy: () => import('./plan/PlanPage').then((m) => ({ Component: m.PlanPage })) },
      { path: '*', element: <NotFound /> },
    ],
  },
];
