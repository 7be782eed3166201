import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

// findBy/waitFor give up after 1 s by default; a page that lazy-loads its module (the graph's
// layout engine) took longer than that on a loaded two-core machine. A wait that succeeds
// returns as soon as it does, so only a failing test waits the longer time.
configure({ asyncUtilTimeout: 3000 });

// No vitest globals, so Testing Library cannot register its own cleanup.
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
});

// jsdom has no canvas; axe-core probes one for colour contrast and copes with null.
HTMLCanvasElement.prototype.getContext = () => null;
// jsdom lays nothing out, so it has nothing to scroll into view.
Element.prototype.scrollIntoView = () => undefined;
