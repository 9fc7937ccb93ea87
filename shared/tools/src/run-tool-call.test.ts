import { describe, expect, it } from 'vitest';
import { createTempWorktree } from '../test/temp-worktree.js';
import { runToolCall } from './run-tool-call.js';
import { createToolset, toolSpecs } from './toolset.js';

const tools = createToolset();

describe('runToolCall', () => {
  it('names the available tools when the tool is unknown', async () => {
    await using wt = await createTempWorktree();
    expect(await runToolCall(tools, 'Read', { path: 'a' }, wt.ctx())).toEqual({
      ok: false,
      content: 'Unknown tool "Read". The available tools are: str_replace_based_edit_tool, glob, grep, bash.',
    });
  });

  it('says which field is wrong and what it should be', async () => {
    await using wt = await createTempWorktree();
    const call = (input: unknown) => runToolCall(tools, 'str_replace_based_edit_tool', input, wt.ctx());
    expect((await call({ command: 'delete', path: 'a' })).content).toBe(
      'Invalid input for str_replace_based_edit_tool:\n- `command` must be one of "view", "str_replace", "create", "insert"; got the string "delete"\nFix these fields and call str_replace_based_edit_tool again.',
    );
    expect((await call({ command: 'str_replace', path: 'a', new_str: 'x' })).content).toContain(
      '- `old_str` is required when command is "str_replace"',
    );
    expect((await call({ command: 'view' })).content).toContain('- `path` is required (a string)');
    expect((await call({ command: 'view', path: 'a', view_range: [1] })).content).toContain(
      '- `view_range` must have exactly 2 items; got array [1]',
    );
    expect((await call({ command: 'insert', path: 'a', insert_line: 1.5, insert_text: '' })).content).toContain(
      '- `insert_line` must be an integer, got number 1.5',
    );
    expect((await call({ command: 'view', path: 'a', file: 'x' })).content).toContain(
      '- unknown field `file`; the allowed fields are command, path, view_range, old_str, new_str, file_text, insert_line, insert_text',
    );
    expect((await call('view a')).content).toContain('- the input must be a JSON object with the fields command, path');
    expect(wt.asked).toEqual([]);
  });
});

describe('toolSpecs', () => {
  it('gives Anthropic tool definitions with object JSON Schemas', () => {
    const specs = toolSpecs(tools);
    expect(specs.map((spec) => spec.name)).toEqual(['str_replace_based_edit_tool', 'glob', 'grep', 'bash']);
    const editor = specs[0]!;
    expect(editor.input_schema).toMatchObject({
      type: 'object',
      required: ['command', 'path'],
      additionalProperties: false,
      properties: {
        command: { type: 'string', enum: ['view', 'str_replace', 'create', 'insert'] },
        view_range: { type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 2 },
      },
    });
    expect(editor.input_schema).not.toHaveProperty('$schema');
    expect(specs.find((spec) => spec.name === 'bash')?.input_schema.required).toEqual(['command']);
  });

  it('reports per call whether the editor only reads', () => {
    const editor = tools[0]!;
    expect(editor.readOnly).toBe(false);
    expect(editor.isReadOnly?.({ command: 'view', path: 'a' })).toBe(true);
    expect(editor.isReadOnly?.({ command: 'create', path: 'a', file_text: '' })).toBe(false);
    expect(createToolset({ readOnlyOnly: true }).map((tool) => tool.name)).toEqual(['glob', 'grep']);
  });
});
