/** @baton/sample-repo: Generator of sample TypeScript repositories for the demo, tests and benchmarks. */
export { generateSampleRepo, type SampleRepoOptions, type SampleRepo } from './generate-sample-repo.js';
export { sampleRenameTarget, corePackageFiles } from './sample-target.js';
export { ModuleKind } from './sample-module.js';
export { SampleRepoOptionsError } from './errors.js';
export {
  generateWorkspaceRepo,
  linkWorkspacePackages,
  type WorkspaceRepoOptions,
  type WorkspaceRepo,
} from './workspace-repo.js';
export { generateJavaScriptRepo, type JavaScriptRepo } from './javascript-repo.js';
