import { runToolCall, type Tool, type ToolContext } from '@baton/tools';

/** A tool call the model asked for. */
export interface ToolCall {
  id: string;
  name: string;
  input: unknown;
}

/** What one call returned, with when it ran (the dashboard and tests read the timing). */
export interface ToolCallResult {
  id: string;
  name: string;
  ok: boolean;
  content: string;
  changedPaths: string[];
  startedAt: number;
  finishedAt: number;
}

function readOnly(tools: readonly Tool[], call: ToolCall): boolean {
  const tool = tools.find((t) => t.name === call.name);
  if (!tool) return true; // unknown tools only produce an error result
  if (!tool.isReadOnly) return tool.readOnly;
  const parsed = tool.inputSchema.safeParse(call.input);
  return parsed.success ? tool.isReadOnly(parsed.data) : true;
}

/**
 * Runs one turn's tool calls: consecutive read-only calls run in parallel, every write runs alone
 * and in the model's order (a write never overlaps a read of the same turn). Results keep call order.
 */
export async function runToolBatch(
  tools: readonly Tool[],
  calls: readonly ToolCall[],
  ctx: ToolContext,
): Promise<ToolCallResult[]> {
  const results: ToolCallResult[] = [];
  const runOne = async (call: ToolCall): Promise<ToolCallResult> => {
    const startedAt = Date.now();
    const outcome = await runToolCall([...tools], call.name, call.input, ctx);
    return {
      id: call.id,
      name: call.name,
      ok: outcome.ok,
      content: outcome.content,
      changedPaths: outcome.changedPaths ?? [],
      startedAt,
      finishedAt: Date.now(),
    };
  };
  let i = 0;
  while (i < calls.length) {
    if (ctx.signal?.aborted) break;
    if (readOnly(tools, calls[i]!)) {
      let j = i;
      while (j < calls.length && readOnly(tools, calls[j]!)) j++;
      results.push(...(await Promise.all(calls.slice(i, j).map(runOne))));
      i = j;
    } else {
      results.push(await runOne(calls[i]!));
      i++;
    }
  }
  return results;
}
