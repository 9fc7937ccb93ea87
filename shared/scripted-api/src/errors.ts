/** A `waitForRequests` that could not be satisfied because the server closed first. */
export class ScriptedApiClosedError extends Error {
  override readonly name = 'ScriptedApiClosedError';
  constructor(
    /** Requests the caller waited for. */
    readonly wanted: number,
    /** Requests that had arrived when the server closed. */
    readonly received: number,
  ) {
    super(`scripted-api: closed after ${received} request(s) while waiting for ${wanted}`);
  }
}
