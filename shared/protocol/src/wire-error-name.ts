/**
 * Names of errors that cross the bus and that another process acts on (the coordinator's run rules, the cli's exit
 * codes): the class that throws and the code that reads the name share this one spelling, so neither compares a
 * made-up string. The throwing package keeps the class; only the name lives here.
 */
export const WireErrorName = {
  /** The model API answered 429/529 past its retries (`@baton/model`): model work pauses for every run. */
  modelOverloaded: 'ModelOverloadedError',
  /** A worktree's environment could not be prepared (the worker): the run stops at once, no retry, no repair. */
  environmentSetupFailed: 'EnvironmentSetupError',
  /** A recipe refused before anything runs (the planner's check): the submit is refused, exit 2. */
  recipeRefused: 'RecipeRefusedError',
} as const;
/** One of WireErrorName's names. */
export type WireErrorName = (typeof WireErrorName)[keyof typeof WireErrorName];
