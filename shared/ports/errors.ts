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

/**
 * An approval's or revocation's commit lost only on the unit's score records: another approval
 * of the same unit moved them on. The visit itself is unchanged, so the use case re-reads just
 * the scores and tries again.
 */
export class ScoresMovedError extends StaleWriteError {
  constructor() {
    super('The unit score records changed concurrently');
    this.name = 'ScoresMovedError';
  }
}
