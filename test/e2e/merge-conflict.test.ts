import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunSpec } from '@baton/protocol';
import type { ScriptTurn, ScriptedRequest } from '@baton/scripted-api';
import { startEmbeddedStack, type EmbeddedStack } from './embedded-stack.js';
import { batonMerges, createGitRepo, git, showFile } from './git-repo-fixture.js';
import { editorSubtaskId, scriptedEditor, isPlannerRequest, type ScriptedEdit } from './scripted-agents.js';

const files = {
  'src/app.mjs': "import { config } from './config.mjs';\nexport const banner = () => 'app';\n",
  'src/config.mjs': "export const config = {\n  name: 'demo',\n  port: 8080,\n};\n",
};

// edit-app strays out of its scope into config.mjs (allowed in acceptEdits mode) and changes the line
// next to the one edit-config changes: whichever merges second conflicts. Each str_replace still
// matches exactly once on the other's result, so the re-dispatched attempt applies cleanly.
const edits: Record<string, ScriptedEdit[]> = {
  'edit-app': [
    { path: 'src/app.mjs', oldStr: "() => 'app'", newStr: '() => `app ${config.name}`' },
    { path: 'src/config.mjs', oldStr: "  name: 'demo',", newStr: "  name: 'baton'," },
  ],
  'edit-config': [{ path: 'src/config.mjs', oldStr: '  port: 8080,', newStr: '  port: 9090,' }],
};

const plan = {
  summary: 'banner shows the name; new port',
  subtasks: [
    {
      id: 'edit-app',
      kind: 'editor',
      title: 'show the app name in the banner',
      instructions: 'Use config.name in the banner.',
      scope: { paths: ['src/app.mjs'] },
      deps: [],
    },
    {
      id: 'edit-config',
      kind: 'editor',
      title: 'move to port 9090',
      instructions: 'Set the port to 9090.',
      scope: { paths: ['src/config.mjs'] },
      deps: [],
    },
  ],
};

describe('merge conflict between parallel editors', () => {
  let dir: string;
  let stack: EmbeddedStack;
  const problems: string[] = [];

  const script = (request: ScriptedRequest): ScriptTurn | undefined => {
    if (isPlannerRequest(request)) return { content: [{ type: 'tool_use', name: 'submit_plan', input: plan }] };
    return scriptedEditor(request, edits, problems);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'baton-e2e-conflict-'));
    stack = await startEmbeddedStack({ dir, script });
  });

  afterAll(async () => {
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('re-dispatches the loser on the new head, and both changes end up on the branch', async () => {
    const repo = join(dir, 'repo');
    const base = await createGitRepo(repo, files);
    const spec = RunSpec.parse({
      v: 1,
      repo: { path: repo },
      task: 'Show the name in the banner and move to port 9090.',
      policy: { mode: 'acceptEdits' },
    });
    const { runId, branch } = await stack.coordinator.submit(spec);
    const run = await stack.coordinator.waitForRun(runId);

    expect(problems).toEqual([]);
    expect(run.status, run.detail).toBe('succeeded');

    // Exactly one of the two lost the merge race: it conflicted once and merged on its second attempt.
    const states = [run.subtasks['edit-app']!, run.subtasks['edit-config']!];
    expect(states.map((s) => s.status)).toEqual(['merged', 'merged']);
    const loser = states.find((s) => s.conflicts > 0);
    const winner = states.find((s) => s.conflicts === 0);
    expect(loser).toMatchObject({ conflicts: 1, attempt: 2 });
    expect(winner).toMatchObject({ conflicts: 0, attempt: 1 });
    const loserId = loser === states[0] ? 'edit-app' : 'edit-config';

    // Three editor sessions: two first attempts and the loser's second, which started from the winner's merge.
    const sessions = stack
      .api!.requests.filter((r) => !isPlannerRequest(r) && r.body.messages.length === 1)
      .map(editorSubtaskId);
    expect(sessions.sort()).toEqual(['edit-app', 'edit-config', loserId].sort());

    const merges = await batonMerges(repo, base, branch);
    expect(merges.map((m) => [m.subtaskId, m.attempt])).toEqual([
      [loserId === 'edit-app' ? 'edit-config' : 'edit-app', 1],
      [loserId, 2],
    ]);
    expect(await showFile(repo, branch, 'src/config.mjs')).toBe(
      "export const config = {\n  name: 'baton',\n  port: 9090,\n};",
    );
    expect(await showFile(repo, branch, 'src/app.mjs')).toContain('`app ${config.name}`');
    expect(await git(repo, 'rev-parse', 'HEAD')).toBe(base);
    expect(await git(repo, 'status', '--porcelain')).toBe('');
  });
});
