import { existsSync, readFileSync } from 'node:fs';

/** What the planner's system prompt is filled with. */
export interface PlannerPromptInput {
  repoMap: string;
  /** Project memory sections (CLAUDE.md, AGENTS.md, .baton/memory.md); `''` when there are none. */
  memory: string;
  baseCommit: string;
  maxSubtasks: number;
  testCommands?: readonly string[];
}

let template: string | undefined;

/** Fills `planner-prompt.md` (read once, beside this module) with the repository map, memory and limits. */
export function renderPlannerPrompt(input: PlannerPromptInput): string {
  template ??= loadTemplate();
  const values: Record<string, string> = {
    repo_map: input.repoMap,
    base_commit: input.baseCommit,
    max_subtasks: String(input.maxSubtasks),
    test_commands:
      input.testCommands === undefined || input.testCommands.length === 0
        ? ''
        : `## Test commands the user gave\n\nTesters run these from the repository root, after the editors whose work they check:\n${input.testCommands.map((c) => `- \`${c}\``).join('\n')}`,
    memory:
      input.memory === '' ? '' : `## Project memory (instructions from the repository's owners)\n\n${input.memory}`,
  };
  return template
    .replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function loadTemplate(): string {
  const beside = new URL('./planner-prompt.md', import.meta.url);
  // `npm run build -w services/planner` copies the .md into dist/; a root `tsc -b` does not, so fall back to the source.
  const source = new URL('../src/planner-prompt.md', import.meta.url);
  return readFileSync(existsSync(beside) ? beside : source, 'utf8');
}
