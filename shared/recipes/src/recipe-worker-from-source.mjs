// Worker entry used only when @baton/recipes runs from TypeScript source (vitest, tsx): Node 20 does not apply
// `--import` loader hooks inside worker threads, so the thread registers tsx itself before loading the real worker.
import { register } from 'tsx/esm/api';

register();
const { default: runRecipeTask } = await import('./recipe-worker.ts');
export default runRecipeTask;
