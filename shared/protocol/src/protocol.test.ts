import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ActorId,
  InvalidSubjectTokenError,
  PermissionRequest,
  actorIdOf,
  Plan,
  RunSpec,
  WorkItem,
  jsonSchemaOf,
  messages,
  subjectsFor,
  type MessageName,
} from './index.js';

const schemaDir = fileURLToPath(new URL('../../../docs/schemas/', import.meta.url));

describe('JSON Schema export', () => {
  it('docs/schemas has exactly one file per message, matching the zod schemas (run `npm run schemas` after a change)', () => {
    const names = Object.keys(messages) as MessageName[];
    expect(
      readdirSync(schemaDir)
        .filter((f) => f.endsWith('.json'))
        .sort(),
    ).toEqual(names.map((n) => `${n}.json`).sort());
    for (const name of names) {
      const onDisk: unknown = JSON.parse(readFileSync(`${schemaDir}${name}.json`, 'utf8'));
      expect(onDisk, `docs/schemas/${name}.json is stale: run npm run schemas`).toEqual(jsonSchemaOf(name));
    }
  });
});

describe('messages', () => {
  const spec = { v: 1, repo: { path: '/tmp/repo' }, task: 'rename purry' };

  it('applies defaults and accepts a minimal RunSpec', () => {
    const parsed = RunSpec.parse(spec);
    expect(parsed.baseRef).toBe('HEAD');
    expect(parsed.limits.maxRetriesPerSubtask).toBe(3);
  });

  it('rejects unknown fields, naming them', () => {
    const r = RunSpec.safeParse({ ...spec, extra: true });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain('extra');
  });

  it('rejects a message of another schema version', () => {
    expect(RunSpec.safeParse({ ...spec, v: 2 }).success).toBe(false);
  });

  it('needs a task or a recipe', () => {
    const r = RunSpec.safeParse({ v: 1, repo: { path: '/r' } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/task or a recipe/);
  });

  it('refuses scopes that escape the repository', () => {
    const subtask = (paths: string[]) => ({
      v: 1,
      subtasks: [{ id: 'a', kind: 'editor', title: 't', scope: { paths } }],
    });
    expect(Plan.safeParse(subtask(['src/**'])).success).toBe(true);
    expect(Plan.safeParse(subtask(['../outside'])).success).toBe(false);
    expect(Plan.safeParse(subtask(['/etc/passwd'])).success).toBe(false);
  });

  it('validates ids that end up in subjects and refs', () => {
    const base = {
      v: 1,
      id: 'p1',
      runId: 'r1',
      subtaskId: 's1',
      attempt: 1,
      workerId: 'w1',
      tool: 'Bash',
      command: 'ls',
      requestedAt: 1,
    };
    expect(PermissionRequest.safeParse(base).success).toBe(true);
    expect(PermissionRequest.safeParse({ ...base, runId: 'a.b' }).success).toBe(false);
    expect(PermissionRequest.safeParse({ ...base, runId: 'a>' }).success).toBe(false);
  });

  it('makes a valid actor id of every subtask id and attempt, distinct for distinct subtasks', () => {
    expect(actorIdOf('edit-a', 2)).toBe('edit-a-2');
    // Nested package folders make 64-character subtask ids that differ only at the end.
    const long = ['a', 'b'].map((end) => `cmd-${'c-'.repeat(29)}${end}`);
    const ids = long.flatMap((id) => [1, 12, 1234].map((attempt) => actorIdOf(id, attempt)));
    for (const id of ids) expect(ActorId.safeParse(id).success, id).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(actorIdOf(long[0]!, 12)).toBe(actorIdOf(long[0]!, 12));
  });

  it('requires a full commit id on work items', () => {
    const item = {
      v: 1,
      runId: 'r',
      attempt: 1,
      subtask: { id: 's', kind: 'shell', title: 'x' },
      baseCommit: 'abc',
      repo: { kind: 'local', path: '/r' },
      policy: {},
      issuedAt: 0,
    };
    expect(WorkItem.safeParse(item).success).toBe(false);
    expect(WorkItem.safeParse({ ...item, baseCommit: 'a'.repeat(40) }).success).toBe(true);
  });
});

describe('subjects', () => {
  const s = subjectsFor('baton');
  it('builds the architecture subjects', () => {
    expect(s.runsSubmit()).toBe('baton.runs.submit');
    expect(s.work('editor')).toBe('baton.work.editor');
    expect(s.results('r1')).toBe('baton.results.r1');
    expect(s.events('r1', 'editor-1')).toBe('baton.events.r1.editor-1');
    expect(s.permPending('r1')).toBe('baton.perm.r1.pending');
    expect(subjectsFor('acme.baton').workersHeartbeat()).toBe('acme.baton.workers.heartbeat');
  });
  it('refuses tokens that would change the subject', () => {
    for (const bad of ['', 'a.b', '*', '>', 'a b', 'a\nb']) {
      expect(() => s.results(bad)).toThrow(InvalidSubjectTokenError);
    }
    expect(() => s.work('hacker' as 'editor')).toThrow(InvalidSubjectTokenError);
    expect(() => subjectsFor('bad prefix')).toThrow(InvalidSubjectTokenError);
  });
});
