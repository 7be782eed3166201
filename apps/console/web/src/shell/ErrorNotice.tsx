import type { ApiFailure } from '../api/client';

/** What failed, why, and what to do: the same three parts everywhere in the console. */
export function ErrorNotice({
  what,
  error,
  onRetry,
}: {
  what: string;
  error: ApiFailure;
  onRetry?: () => void;
}) {
  const advice =
    error.status === 0
      ? 'Check that the console backend is running (npm start), then try again.'
      : error.status === 401
        ? 'Your session ended: run `npm run -s horizon -- console link` and open the link it prints.'
        : error.status === 403
          ? 'Ask an admin of the repository for access.'
          : error.status === 404
            ? 'Check the link; the item may have been removed.'
            : error.status === 400 || error.status === 409
              ? 'The message above says what to change or do instead.'
              : 'Try again; if it keeps failing, the console log in .horizon/logs/ says why.';
  return (
    <div role="alert" className="error-notice">
      <p>
        <strong>{what} failed:</strong> {error.message}
      </p>
      <p>{advice}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
