import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiFailure, getJson } from './client';

export type Resource<T> =
  { status: 'loading' } | { status: 'error'; error: ApiFailure } | { status: 'ready'; data: T };

/**
 * One GET, re-run when `path` changes or `reload()` is called. A reload keeps showing the
 * previous data until the new answer arrives, so live refreshes never flash a spinner.
 */
export function useResource<T>(path: string): Resource<T> & { reload: () => void } {
  const [state, setState] = useState<Resource<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const shownPath = useRef<string | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    if (shownPath.current !== path) setState({ status: 'loading' });
    shownPath.current = path;
    getJson<T>(path, abort.signal).then(
      (data) => {
        if (!abort.signal.aborted) setState({ status: 'ready', data });
      },
      (err: unknown) => {
        if (abort.signal.aborted) return;
        const failure = err instanceof ApiFailure ? err : new ApiFailure(path, 0, String(err));
        setState({ status: 'error', error: failure });
      },
    );
    return () => abort.abort();
  }, [path, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}
