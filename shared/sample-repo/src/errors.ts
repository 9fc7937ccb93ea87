/** Options that cannot describe a sample repository (too few files for the packages asked). */
export class SampleRepoOptionsError extends Error {
  override readonly name = 'SampleRepoOptionsError';
  constructor(
    readonly option: string,
    readonly value: number,
    readonly reason: string,
  ) {
    super(`invalid sample repository option ${option}=${value}: ${reason}`);
  }
}
