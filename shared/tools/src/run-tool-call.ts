import { describeInputIssues } from './describe-input-issues.js';
import type { Tool, ToolContext, ToolOutcome } from './tool.js';
import { inputJsonSchema } from './toolset.js';

/**
 * Runs one `tool_use` block: finds the tool by name, validates the raw input, and runs it.
 * Unknown tools and invalid input come back as `ok: false` with text that tells the model how
 * to fix the call; tool failures are `ok: false` from the tool itself.
 */
export async function runToolCall(
  tools: readonly Tool[],
  name: string,
  rawInput: unknown,
  ctx: ToolContext,
): Promise<ToolOutcome> {
  const tool = tools.find((candidate) => candidate.name === name);
  if (tool === undefined) {
    return {
      ok: false,
      content: `Unknown tool "${name}". The available tools are: ${tools.map((candidate) => candidate.name).join(', ')}.`,
    };
  }
  const parsed = tool.inputSchema.safeParse(rawInput);
  if (!parsed.success) {
    const fields = Object.keys(inputJsonSchema(tool).properties ?? {});
    return {
      ok: false,
      content: `Invalid input for ${tool.name}:\n${describeInputIssues(parsed.error.issues, rawInput, fields)}\nFix these fields and call ${tool.name} again.`,
    };
  }
  if (ctx.signal?.aborted) return { ok: false, content: `The call to ${tool.name} was cancelled before it started.` };
  return tool.run(parsed.data, ctx);
}
