/** Exit codes scripts can rely on (docs/cli.md). */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  notFound: 3,
  unavailable: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure with the exit code it means; the message is the one line printed on stderr. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** An HTTP answer's status as an exit code. */
export function exitForStatus(status: number): ExitCode {
  if (status === 404) return EXIT.notFound;
  if (status === 400) return EXIT.usage;
  if (status === 502 || status === 503 || status === 504) return EXIT.unavailable;
  return EXIT.failure;
}

/** `fetch` failed before any answer: the service is not running or not reachable. */
export function unreachable(service: string, url: string, err: unknown): CliError {
  const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
  return new CliError(
    EXIT.unavailable,
    `${service} is not reachable at ${url} (${cause}); is it running? try \`horizon status\``,
  );
}
