import type { RecordedContentBlock, ScriptTurn, ScriptedRequest } from '@baton/scripted-api';

/** The request's system prompt as one string (the model client sends it as cached text blocks). */
export function systemText(request: ScriptedRequest): string {
  const { system } = request.body;
  if (system === undefined) return '';
  return typeof system === 'string' ? system : system.map((b) => b.text ?? '').join('\n');
}

/** Whether the request comes from the model planner (it offers the `submit_plan` tool). */
export function isPlannerRequest(request: ScriptedRequest): boolean {
  return (request.body.tools ?? []).some((t) => t.name === 'submit_plan');
}

/** The id of the subtask an editor request works on, read from its system prompt (`id: <subtask>`). */
export function editorSubtaskId(request: ScriptedRequest): string | undefined {
  return /^id: (\S+)$/m.exec(systemText(request))?.[1];
}

/** The tool results the request's last user message carries back. */
export function lastToolResults(request: ScriptedRequest): RecordedContentBlock[] {
  const last = request.body.messages.at(-1);
  if (last === undefined || typeof last.content === 'string') return [];
  return last.content.filter((b) => b.type === 'tool_result');
}

/** A tool result's text, whether sent as a string or as text blocks. */
export function toolResultText(block: RecordedContentBlock): string {
  const { content } = block;
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content
      .map((c: unknown) => (typeof c === 'object' && c !== null && 'text' in c ? String(c.text) : ''))
      .join('\n');
  return '';
}

/** The planner's answer: one `submit_plan` call with this plan (without `v`). */
export function submitPlan(plan: Record<string, unknown>): ScriptTurn {
  return {
    content: [
      { type: 'text', text: 'Here is the plan.' },
      { type: 'tool_use', name: 'submit_plan', input: plan },
    ],
  };
}

/** One scripted text edit: replace `oldStr` with `newStr` in `path`. */
export interface ScriptedEdit {
  path: string;
  oldStr: string;
  newStr: string;
}

/**
 * An editor session as a function of the conversation so far: view every file, then one
 * `str_replace` per edit, then end the turn with a summary. A failed tool call is reported
 * through `problems` (the session still ends, so the run shows the failure instead of hanging).
 */
export function editorTurn(request: ScriptedRequest, edits: readonly ScriptedEdit[], problems: string[]): ScriptTurn {
  const turn = Math.floor(request.body.messages.length / 2);
  const failed = lastToolResults(request).filter((r) => r.is_error === true);
  for (const r of failed) problems.push(`${editorSubtaskId(request) ?? '?'}: tool error: ${toolResultText(r)}`);
  const tool = 'str_replace_based_edit_tool';
  if (turn === 0) {
    return {
      content: [...new Set(edits.map((e) => e.path))].map((path) => ({
        type: 'tool_use' as const,
        name: tool,
        input: { command: 'view', path },
      })),
    };
  }
  if (turn === 1 && failed.length === 0) {
    return {
      content: edits.map((e) => ({
        type: 'tool_use' as const,
        name: tool,
        input: { command: 'str_replace', path: e.path, old_str: e.oldStr, new_str: e.newStr },
      })),
    };
  }
  return { content: [{ type: 'text', text: `Edited ${edits.map((e) => e.path).join(', ')}.` }] };
}

/**
 * Answers an editor request with the scripted edits of its subtask (`editorTurn`); a request from a
 * subtask without edits is recorded in `problems` and gets no answer (the script is exhausted for it).
 */
export function scriptedEditor(
  request: ScriptedRequest,
  edits: Readonly<Record<string, readonly ScriptedEdit[]>>,
  problems: string[],
): ScriptTurn | undefined {
  const id = editorSubtaskId(request);
  const planned = id === undefined ? undefined : edits[id];
  if (planned === undefined) {
    problems.push(`unexpected model request ${request.index} (subtask ${id ?? 'unknown'})`);
    return undefined;
  }
  return editorTurn(request, planned, problems);
}
