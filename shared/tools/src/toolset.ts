import { z } from 'zod';
import { createBashTool } from './bash-tool.js';
import { createGlobTool } from './glob-tool.js';
import { createGrepTool } from './grep-tool.js';
import { createTextEditorTool } from './text-editor-tool.js';
import type { Tool } from './tool.js';

/** Names of the tools in the set, as the model calls them. */
export const ToolName = { Editor: 'str_replace_based_edit_tool', Glob: 'glob', Grep: 'grep', Bash: 'bash' } as const;
/** Names of the tools in the set, as the model calls them. */
export type ToolName = (typeof ToolName)[keyof typeof ToolName];

/** Which tools {@link createToolset} returns. */
export type ToolsetOptions = {
  /** Only these tools, in this order (default: editor, glob, grep, bash). */
  include?: readonly ToolName[];
  /** Leave out every tool whose `readOnly` is false (the editor and bash). */
  readOnlyOnly?: boolean;
};

const factories: Record<ToolName, () => Tool> = {
  str_replace_based_edit_tool: createTextEditorTool,
  glob: createGlobTool,
  grep: createGrepTool,
  bash: createBashTool,
};

/**
 * Creates the editor agent's tools.
 * @example const tools = createToolset({ include: ['str_replace_based_edit_tool', 'grep'] });
 */
export function createToolset(options: ToolsetOptions = {}): Tool[] {
  const names = options.include ?? Object.values(ToolName);
  const tools = names.map((name) => factories[name]());
  return options.readOnlyOnly ? tools.filter((tool) => tool.readOnly) : tools;
}

/** A tool definition for the Anthropic Messages API (`tools` parameter). */
export type ToolSpec = {
  name: string;
  description: string;
  input_schema: { type: 'object'; properties?: Record<string, unknown>; required?: string[]; [key: string]: unknown };
};

/** Anthropic tool definitions for `tools`, with JSON Schema generated from each input schema (io: 'input'). */
export function toolSpecs(tools: readonly Tool[]): ToolSpec[] {
  return tools.map((tool) => ({ name: tool.name, description: tool.description, input_schema: inputJsonSchema(tool) }));
}

/** The JSON Schema the model sees for a tool's input (without `$schema`). */
export function inputJsonSchema(tool: Tool): ToolSpec['input_schema'] {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(tool.inputSchema, { io: 'input' });
  if (schema.type !== 'object') throw new TypeError(`tool ${tool.name}: input schema must be an object schema`);
  return { ...schema, type: 'object' };
}
