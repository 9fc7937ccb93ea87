import { describe, expect, it } from 'vitest';
import { compilePolicy, evaluate, splitCommand } from './index.js';
import type { CompiledPolicy } from './index.js';

const verdict = async (policy: CompiledPolicy, command: string): Promise<string> =>
  (await evaluate(policy, { tool: 'Bash', command })).verdict;

describe('evaluate against hostile input', () => {
  it('answers instead of throwing on input that overflows parsers, with the reason', async () => {
    const policy = compilePolicy({ allow: ['Bash'] });
    for (const command of [
      '('.repeat(5_000) + 'ls' + ')'.repeat(5_000),
      'if true; then '.repeat(600) + 'ls' + '; fi'.repeat(600),
      'a'.repeat(200_000),
    ]) {
      const d = await evaluate(policy, { tool: 'Bash', command });
      expect(d.verdict).toBe('ask');
      expect(d.reason).toMatch(/cap|parser failed|cannot be checked/);
    }
    expect(await splitCommand('$(('.repeat(1_000) + '1' + '))'.repeat(1_000))).toMatchObject({ ok: false });
  });

  it('never auto-allows what bash evaluates at run time', async () => {
    const policy = compilePolicy({ allow: ['Bash(git:*)'] });
    for (const c of [
      'echo $((x))',
      '(( x ))',
      'echo ${!x}',
      'echo ${x[$i]}',
      'echo ${x@P}',
      '[[ $x -eq 1 ]]',
      'read x',
    ])
      expect([c, await verdict(policy, c)]).toEqual([c, 'ask']);
    expect(await verdict(policy, 'echo $((1 + 2))')).toBe('allow');
    expect(await verdict(policy, 'git log ${x@P}')).toBe('ask');
  });

  it('judges the read-only commands with their options', async () => {
    const policy = compilePolicy({});
    for (const c of [
      'git grep -Oid x',
      'rg --pre sh x',
      'sort -o /tmp/x a',
      'sort --compress=sh a',
      'tree -o /tmp/x',
      'date -s now',
      'uniq a /tmp/b',
      'find / -delete',
    ])
      expect([c, await verdict(policy, c)]).toEqual([c, 'ask']);
    const sed = compilePolicy({ allow: ['Bash(sed:*)', 'Bash(awk:*)', 'Bash(tar:*)'] });
    for (const c of [
      "sed '1e id' a",
      "sed 's/x/y/w out' a",
      'awk \'BEGIN{system("id")}\'',
      'tar -xf a.tar --to-command=sh',
    ])
      expect([c, await verdict(sed, c)]).toEqual([c, 'ask']);
    expect(await verdict(sed, "sed -i 's/hello/world/g' src/a.ts")).toBe('allow');
  });

  it('reads git the way git does: spelling, abbreviations, global options, force pushes and rewrites', async () => {
    const policy = compilePolicy({ allow: ['Bash(git:*)'] });
    for (const c of [
      '/usr/bin/git push -f',
      'g""it push --forc',
      'git push --mirro',
      'git push origin +main',
      'git -C . push -uf',
      'git reset --har',
      'git commit --am',
      'git branch -D x',
      'git checkout -B x',
      'git switch -C x',
      'git update-ref refs/heads/main HEAD~1',
      'git config core.hooksPath /tmp',
    ])
      expect([c, await verdict(policy, c)]).toEqual([c, 'deny']);
    for (const c of [
      'git -c core.pager=id log',
      'git --exec-path=/tmp status',
      "git fetch --upload-pack='id' o",
      'git -C /etc log',
    ])
      expect([c, await verdict(policy, c)]).toEqual([c, 'ask']);
    const deny = compilePolicy({ allow: ['Bash(git:*)'], deny: ['Bash(git push --force:*)'] });
    expect((await evaluate(deny, { tool: 'Bash', command: 'git --no-pager push --forc' })).rule).toBe(
      'Bash(git push --force:*)',
    );
    expect(await verdict(policy, 'git commit -am "wip"')).toBe('allow');
  });

  it('asks about assignments that change what runs, before a command, through env and export', async () => {
    const policy = compilePolicy({ allow: ['Bash(git:*)', 'Bash(npm test:*)'] });
    for (const c of [
      'GIT_DIR=/x git status',
      'PATH=/tmp git status',
      'env LD_PRELOAD=x git log',
      'export BASH_ENV=x',
      'NODE_OPTIONS=--require=x npm test',
    ])
      expect([c, await verdict(policy, c)]).toEqual([c, 'ask']);
    expect(await verdict(policy, 'CI=1 NODE_ENV=test npm test')).toBe('allow');
  });

  it('sees through wrappers, here-documents and process substitutions', async () => {
    const policy = compilePolicy({ allow: ['Bash(bash:*)', 'Bash(sh:*)'] });
    for (const c of [
      'stdbuf -oL git push -f',
      'busybox rm -rf /',
      'coproc git push -f',
      "bash <<'X'\ngit push -f\nX",
      "sh <<< 'git push -f'",
      "echo 'id' > >(sh)",
    ])
      expect([c, await verdict(policy, c)]).toEqual([c, 'deny']);
    expect(await verdict(policy, 'bash < script.sh')).toBe('ask');
  });

  it('applies Read deny rules to shell reads and protects paths at any depth and case', async () => {
    const policy = compilePolicy({ allow: ['Bash(git:*)', 'Bash(cp:*)', 'Bash(echo:*)'], deny: ['Read(secrets/**)'] });
    for (const c of [
      'cat secrets/k',
      'grep x secrets/k',
      'git show HEAD:secrets/k',
      'cat < secrets/k',
      'cat SECRETS/k',
    ])
      expect([c, await verdict(policy, c)]).toEqual([c, 'deny']);
    for (const c of [
      'echo x > sub/.git/config',
      'echo x > .GIT/config',
      'cp -t .git/hooks x',
      'echo x > .baton/settings.json',
    ])
      expect([c, await verdict(policy, c)]).toEqual([c, 'deny']);
    expect((await evaluate(policy, { tool: 'Edit', path: 'vendor/.Git/hooks/x', inScope: true })).verdict).toBe('deny');
    expect((await evaluate(policy, { tool: 'Write', path: '.env.local', inScope: true })).verdict).toBe('ask');
    expect(await verdict(policy, 'cat src/a.ts')).toBe('allow');
  });

  it('checks chmod/chown -R on every argument', async () => {
    const policy = compilePolicy({ allow: ['Bash(chmod:*)', 'Bash(chown:*)'] });
    for (const c of ['chmod -R 777 /', 'chmod 777 -R /', 'chown -R u /etc', 'chmod -R 777 . /'])
      expect([c, await verdict(policy, c)]).toEqual([c, 'deny']);
    expect(await verdict(policy, 'chmod -R u+w src')).toBe('allow');
  });
});
