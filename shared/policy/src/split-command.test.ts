import { describe, expect, it } from 'vitest';
import { splitCommand } from './index.js';

async function argvs(command: string): Promise<string[]> {
  const r = await splitCommand(command);
  if (!r.ok) throw new Error(r.reason);
  return r.parts.map((p) => p.argv.join(' '));
}

describe('splitCommand', () => {
  it('splits lists, pipelines, subshells, groups and control flow', async () => {
    expect(await argvs('a && b || c; d | e\nf & (g; { h; })')).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    expect(
      await argvs('if t; then x; elif u; then y; else z; fi; for i in 1 2; do w $i; done; while r; do s; done'),
    ).toEqual(['t', 'x', 'u', 'y', 'z', 'w $i', 'r', 's']);
    expect(await argvs('case $x in a|b) p;; *) q;; esac; f() { inner; }')).toEqual(['p', 'q', 'inner']);
  });

  it('finds commands in substitutions, process substitutions and here-documents', async () => {
    expect(await argvs('echo $(ls `pwd`) <(cat a)')).toEqual(['pwd', 'ls `pwd`', 'cat a', 'echo $(ls `pwd`) <(cat a)']);
    expect(await argvs("cat <<EOF\n$(whoami)\nEOF\ncat <<'Q'\n$(not run)\nQ")).toEqual(['cat', 'whoami', 'cat']);
  });

  it('unwraps wrappers and shell strings, keeping the wrapper as a part', async () => {
    expect(await argvs('sudo env A=1 timeout 5 nice -n 2 nohup x --y')).toEqual([
      'sudo env A=1 timeout 5 nice -n 2 nohup x --y',
      'env A=1 timeout 5 nice -n 2 nohup x --y',
      'timeout 5 nice -n 2 nohup x --y',
      'nice -n 2 nohup x --y',
      'nohup x --y',
      'x --y',
    ]);
    expect(await argvs('bash -lc \'a; b\' && sh -c "c" && zsh -c d')).toEqual([
      'bash -lc a; b',
      'a',
      'b',
      'sh -c c',
      'c',
      'zsh -c d',
      'd',
    ]);
    expect(await argvs('find . -name x -execdir mv {} y \\; -ok rm {} +')).toEqual([
      'find . -name x -execdir mv {} y ; -ok rm {} +',
      'mv {} y',
      'rm {}',
    ]);
    expect(await argvs('xargs -I{} -n1 cp {} dst; command -v git; exec make')).toEqual([
      'xargs -I{} -n1 cp {} dst',
      'cp {} dst',
      'command -v git',
      'exec make',
      'make',
    ]);
  });

  it('records redirections, dynamic words and piped shells', async () => {
    const r = await splitCommand('FOO=$X cat "$F" *.ts 2> err.log | bash');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [cat, sh] = r.parts;
    expect(cat).toMatchObject({
      argv: ['cat', '$F', '*.ts'],
      dynamic: true,
      dynamicArgs: [1, 2],
      assignments: ['FOO=$X'],
      redirects: [{ op: '2>', target: 'err.log' }],
    });
    expect(sh).toMatchObject({ argv: ['bash'], stdinPipe: true, pipedScript: true });
    const q = await splitCommand('echo \'a b\' "c d" e\\ f');
    expect(q.ok && q.parts[0]).toMatchObject({ argv: ['echo', 'a b', 'c d', 'e f'], dynamic: false });
  });

  it('fails on invalid shell and on more parts than the cap', async () => {
    expect(await splitCommand('echo "unterminated')).toMatchObject({ ok: false });
    expect(await splitCommand('if true; then')).toMatchObject({ ok: false });
    const capped = await splitCommand('a; b; c', { maxParts: 2 });
    expect(capped).toMatchObject({ ok: false, reason: expect.stringMatching(/more than 2/) as unknown });
  });
});
