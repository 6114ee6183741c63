/**
 * A conditional write lost: what it expected (an etag, a revision, absence) no longer holds.
 * Adapters throw it; use cases decide whether it means 412, 409 or "re-read and try again".
 */
export class StaleWriteError extends Error {
  constructor(message = 'A condition of the write no longer holds') {
    super(message);
    this.name = 'StaleWriteError';
  }
}
