import { describe, expect, it } from 'vitest';
import { compilePolicy, evaluate } from './index.js';
import type { CompiledPolicy, Decision } from './index.js';

const bash = (policy: CompiledPolicy, command: string): Promise<Decision> =>
  evaluate(policy, { tool: 'Bash', command });

describe('evaluate Bash', () => {
  it('denies `npm test && curl x | sh` part by part, naming the piped shell', async () => {
    const policy = compilePolicy({ allow: ['Bash(npm test:*)'] });
    const d = await bash(policy, 'npm test && curl x | sh');
    expect(d.verdict).toBe('deny');
    expect(d.reason).toContain('"sh"');
    expect(d.rule).toMatch(/piped into a shell/);
    expect(d.parts?.map((p) => [p.text, p.verdict])).toEqual([
      ['npm test', 'allow'],
      ['curl x', 'ask'],
      ['sh', 'deny'],
    ]);
  });

  it('denies find -exec rm when rm is denied', async () => {
    const d = await bash(compilePolicy({ deny: ['Bash(rm:*)'] }), 'find . -exec rm {} \\;');
    expect(d.verdict).toBe('deny');
    expect(d.rule).toBe('Bash(rm:*)');
    expect(d.reason).toContain('rm {}');
  });

  it('denies bash -c "rm -rf /" by the defaults, and not without them', async () => {
    const d = await bash(compilePolicy({}), 'bash -c "rm -rf /"');
    expect(d.verdict).toBe('deny');
    expect(d.rule).toBe('Bash(rm -rf /:*)');
    const off = await bash(compilePolicy({}, { defaults: false }), 'bash -c "rm -rf /"');
    expect(off.verdict).toBe('ask');
  });

  it('denies rm -r/-f of paths outside the worktree however the flags are written', async () => {
    const policy = compilePolicy({ allow: ['Bash(rm:*)'] });
    for (const c of ['rm -fr ~', 'rm -r -f ../x', 'rm --recursive /etc', 'sh -c "rm -Rf /home"']) {
      expect((await bash(policy, c)).verdict, c).toBe('deny');
    }
    expect((await bash(policy, 'rm -rf build')).verdict).toBe('allow');
    expect((await bash(policy, 'rm -rf "$DIR"')).verdict).toBe('ask');
  });

  it('denies writes to protected paths by sed -i and by redirection', async () => {
    const policy = compilePolicy({ allow: ['Bash(sed:*)', 'Bash(echo:*)'], deny: ['Edit(secrets/**)'] });
    const sed = await bash(policy, 'sed -i s/a/b/ .git/config');
    expect(sed.verdict).toBe('deny');
    expect(sed.rule).toBe('Edit(.git/**)');
    const redirect = await bash(policy, 'echo token >> secrets/prod.env');
    expect(redirect.verdict).toBe('deny');
    expect(redirect.rule).toBe('Edit(secrets/**)');
    expect((await bash(policy, 'echo ok > notes.txt 2>&1')).verdict).toBe('allow');
  });

  it('matches prefix rules on whole words', async () => {
    const policy = compilePolicy({ allow: ['Bash(npm test:*)'] });
    expect((await bash(policy, 'npm test -- --run')).verdict).toBe('allow');
    expect((await bash(policy, 'npm testing')).verdict).toBe('ask');
    const exact = compilePolicy({ allow: ['Bash(npm test)'] });
    expect((await bash(exact, 'npm test')).verdict).toBe('allow');
    expect((await bash(exact, 'npm test --x')).verdict).toBe('ask');
  });

  it('lets deny beat allow, and catches reordered force pushes', async () => {
    const policy = compilePolicy({ allow: ['Bash(git push:*)'], deny: ['Bash(git push --force:*)'] });
    expect((await bash(policy, 'git push origin main')).verdict).toBe('allow');
    const d = await bash(policy, 'git push origin main --force');
    expect(d.verdict).toBe('deny');
    expect(d.rule).toBe('Bash(git push --force:*)');
    expect((await bash(policy, 'git -C sub push --force')).verdict).toBe('deny');
    expect((await bash(compilePolicy({ allow: ['Bash(git:*)'] }), 'git clean -xdf')).verdict).toBe('deny');
  });

  it('never allows an unparsable command', async () => {
    const d = await bash(compilePolicy({ allow: ['Bash'] }), 'echo "unterminated');
    expect(d.verdict).toBe('ask');
    expect(d.reason).toMatch(/cannot be checked/);
  });

  it('asks when a command has more parts than the cap, and denies when a seen part is denied', async () => {
    const policy = compilePolicy({ allow: ['Bash(echo:*)'] }, { maxParts: 3 });
    expect((await bash(policy, 'echo 1; echo 2; echo 3; echo 4')).verdict).toBe('ask');
    expect((await bash(policy, 'echo 1; sudo x; echo 3; echo 4')).verdict).toBe('deny');
  });

  it('checks commands inside $(...) and backticks', async () => {
    const policy = compilePolicy({ allow: ['Bash(echo:*)'], deny: ['Bash(rm:*)'] });
    expect((await bash(policy, 'echo $(rm -f x)')).verdict).toBe('deny');
    expect((await bash(policy, 'echo `rm -f x`')).verdict).toBe('deny');
    expect((await bash(policy, 'echo "$(ls)"')).verdict).toBe('allow');
  });

  it('sees through env, timeout, nice, nohup and xargs', async () => {
    const policy = compilePolicy({ allow: ['Bash(npm test:*)'], deny: ['Bash(rm:*)'] });
    expect((await bash(policy, 'env CI=1 timeout 60 nice -n 5 npm test')).verdict).toBe('allow');
    expect((await bash(policy, 'nohup timeout 5 rm -f x')).verdict).toBe('deny');
    expect((await bash(policy, 'ls | xargs -n1 rm')).verdict).toBe('deny');
    expect((await bash(policy, 'timeout 5 make')).verdict).toBe('ask');
  });

  it('never allows eval or source of a dynamic argument', async () => {
    const policy = compilePolicy({ allow: ['Bash(eval:*)', 'Bash(source:*)'] });
    expect((await bash(policy, 'eval "$CMD"')).verdict).toBe('ask');
    expect((await bash(policy, 'source $FILE')).verdict).toBe('ask');
    expect((await bash(policy, 'eval "sudo ls"')).verdict).toBe('deny');
  });

  it('allows the built-in read-only commands and asks for the rest', async () => {
    const policy = compilePolicy({});
    for (const c of [
      'ls -la',
      'git status',
      'git log --oneline | head -5',
      'rg foo src',
      'node --version',
      'find . -name "*.ts"',
    ]) {
      expect((await bash(policy, c)).verdict, c).toBe('allow');
    }
    for (const c of ['find . -delete', 'git commit -m x', 'npm install', 'git -c core.pager=x log']) {
      expect((await bash(policy, c)).verdict, c).toBe('ask');
    }
  });

  it('denies every non-read-only command and every write in plan mode', async () => {
    const policy = compilePolicy({ mode: 'plan', allow: ['Bash(npm test:*)'] });
    expect((await bash(policy, 'git diff')).verdict).toBe('allow');
    const d = await bash(policy, 'npm test');
    expect(d.verdict).toBe('deny');
    expect(d.reason).toMatch(/plan mode/);
    expect((await bash(policy, 'echo x > file.txt')).verdict).toBe('deny');
  });
});

describe('evaluate Edit/Write/Read', () => {
  it('allows in-scope edits and asks for out-of-scope ones in default mode', async () => {
    const policy = compilePolicy({});
    expect((await evaluate(policy, { tool: 'Edit', path: 'src/a.ts', inScope: true })).verdict).toBe('allow');
    expect((await evaluate(policy, { tool: 'Write', path: 'docs/b.md', inScope: false })).verdict).toBe('ask');
  });

  it('allows out-of-scope edits in acceptEdits mode, still subject to deny rules', async () => {
    const policy = compilePolicy({ mode: 'acceptEdits', deny: ['Edit(secrets/**)'] });
    expect((await evaluate(policy, { tool: 'Edit', path: 'docs/b.md', inScope: false })).verdict).toBe('allow');
    const d = await evaluate(policy, { tool: 'Write', path: './secrets/key.pem', inScope: true });
    expect(d).toMatchObject({ verdict: 'deny', rule: 'Edit(secrets/**)' });
    expect((await evaluate(policy, { tool: 'Edit', path: '.git/HEAD', inScope: true })).rule).toBe('Edit(.git/**)');
  });

  it('denies writes in plan mode and paths outside the worktree', async () => {
    const plan = compilePolicy({ mode: 'plan' });
    const d = await evaluate(plan, { tool: 'Edit', path: 'src/a.ts', inScope: true });
    expect(d.verdict).toBe('deny');
    expect(d.reason).toMatch(/plan mode/);
    expect((await evaluate(plan, { tool: 'Read', path: 'src/a.ts', inScope: false })).verdict).toBe('allow');
    expect((await evaluate(compilePolicy({}), { tool: 'Read', path: '../other/x', inScope: false })).verdict).toBe(
      'deny',
    );
  });

  it('matches gitignore-style globs at any depth and ask rules beat allow rules', async () => {
    const policy = compilePolicy({ allow: ['Edit(src/**)'], ask: ['Edit(*.lock)'] });
    expect((await evaluate(policy, { tool: 'Edit', path: 'src/deep/x.ts', inScope: false })).verdict).toBe('allow');
    expect((await evaluate(policy, { tool: 'Edit', path: 'src/pkg/yarn.lock', inScope: true })).verdict).toBe('ask');
  });
});
