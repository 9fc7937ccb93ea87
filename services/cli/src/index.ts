/** @baton/cli: the `baton` command. */
export { stopOnSignal } from './stop-on-signal.js';
