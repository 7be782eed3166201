/** A refusal the REST API answers with `status` and the message (GitHub's codes where it has one). */
export class ForgeError extends Error {
  constructor(
    readonly status: 400 | 401 | 404 | 405 | 409 | 422,
    message: string,
  ) {
    super(message);
    this.name = 'ForgeError';
  }
}

export const notFound = (what: string) => new ForgeError(404, `${what} not found`);
