import { z } from 'zod';
import { createFile, insertLines, strReplace } from './editor-edits.js';
import type { EditTarget } from './editor-edits.js';
import { viewPath } from './editor-view.js';
import { resolveWorktreePath } from './resolve-path.js';
import type { Tool } from './tool.js';
import { failuresAsOutcome } from './tool-failure.js';

/** The commands of the text editor tool, as Anthropic names them. */
export const EditorCommand = { View: 'view', StrReplace: 'str_replace', Create: 'create', Insert: 'insert' } as const;
/** The commands of the text editor tool, as Anthropic names them. */
export type EditorCommand = (typeof EditorCommand)[keyof typeof EditorCommand];

const requiredBy: Record<EditorCommand, readonly string[]> = {
  view: [],
  str_replace: ['old_str'],
  create: ['file_text'],
  insert: ['insert_line', 'insert_text'],
};

/** Input of `str_replace_based_edit_tool`: Anthropic's field names, one flat object. */
export const textEditorInput = z
  .strictObject({
    command: z.enum(EditorCommand).describe('The command to run: view, str_replace, create or insert.'),
    path: z.string().min(1).describe('File or directory, relative to the repository root (or absolute inside it).'),
    view_range: z
      .array(z.number().int())
      .length(2)
      .optional()
      .describe('view only: [start, end] lines to show, 1-based and inclusive; end -1 means to the end of the file.'),
    old_str: z
      .string()
      .optional()
      .describe('str_replace: the exact text to replace; it must occur exactly once in the file.'),
    new_str: z.string().optional().describe('str_replace: the replacement text (omit to delete old_str).'),
    file_text: z.string().optional().describe('create: the full content of the new file.'),
    insert_line: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('insert: the line after which to insert (0 inserts at the top).'),
    insert_text: z.string().optional().describe('insert: the lines to insert.'),
  })
  .superRefine((input, check) => {
    for (const field of requiredBy[input.command]) {
      if (input[field as keyof typeof input] === undefined) {
        check.addIssue({ code: 'custom', path: [field], message: `is required when command is "${input.command}"` });
      }
    }
  });
/** Input of `str_replace_based_edit_tool`. */
export type TextEditorInput = z.infer<typeof textEditorInput>;

const description = `View, create and edit text files in the repository (Anthropic's text editor tool).
- view: a file with line numbers (like cat -n), optionally only view_range [start, end] (end -1 = to the end); or a directory listing two levels deep.
- str_replace: replace old_str with new_str; old_str must match the file exactly once, whitespace included.
- create: write file_text as a new file (parent directories are created). An existing file is replaced only if you viewed it first.
- insert: insert insert_text after line insert_line (0 = at the top).
You must view a file before str_replace or insert, and view it again if it changed on disk since. Paths are relative to the repository root; nothing outside it or inside .git can be touched.`;

/** Creates `str_replace_based_edit_tool`, mirroring Anthropic's text editor tool with worktree confinement and read-before-edit. */
export function createTextEditorTool(): Tool<TextEditorInput> {
  return {
    name: 'str_replace_based_edit_tool',
    description,
    inputSchema: textEditorInput,
    readOnly: false,
    isReadOnly: (input) => input.command === EditorCommand.View,
    run: (input, ctx) =>
      failuresAsOutcome(async () => {
        const intent = input.command === EditorCommand.View ? 'read' : 'write';
        const target: EditTarget = {
          resolved: await resolveWorktreePath(ctx.root, input.path, intent),
          input: input.path,
          shown: input.path,
        };
        switch (input.command) {
          case EditorCommand.View:
            return viewPath(ctx, target.resolved, target.shown, input.view_range);
          case EditorCommand.StrReplace:
            return strReplace(ctx, target, input.old_str ?? '', input.new_str ?? '');
          case EditorCommand.Create:
            return createFile(ctx, target, input.file_text ?? '');
          case EditorCommand.Insert:
            return insertLines(ctx, target, input.insert_line ?? 0, input.insert_text ?? '');
        }
      }),
  };
}
