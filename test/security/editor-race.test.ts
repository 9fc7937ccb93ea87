import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createFileTracker, createTextEditorTool } from '@baton/tools';
import type { ToolContext } from '@baton/tools';
import { describe, expect, it } from 'vitest';

const WRITES = 5_000;

/**
 * A second process swaps the editor's target folder for a symlink to a folder outside the worktree, again and
 * again, while the editor writes. It stops by itself: after 200,000 swaps, 300 s, or when the stop file appears.
 */
const RACER = `
out="$1"; n=0
while [ "$n" -lt 200000 ] && [ "$SECONDS" -lt 300 ] && [ ! -e stop ]; do
  mv -T dir "keep.$n" 2>/dev/null
  ln -sfn "$out" dir 2>/dev/null
  rm -f dir 2>/dev/null
  mkdir -p dir 2>/dev/null
  n=$((n + 1))
done
echo "$n" > swaps
`;

async function countFiles(dir: string): Promise<number> {
  let count = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    count++;
    if (entry.isDirectory()) count += await countFiles(path.join(dir, entry.name));
  }
  return count;
}

describe("the editor's confinement under a symlink race", () => {
  it(`lands none of ${WRITES} writes outside the worktree while a parent folder is swapped for a symlink`, async () => {
    const base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'baton-race-')));
    const root = path.join(base, 'wt');
    const outside = path.join(base, 'outside');
    await mkdir(path.join(root, 'dir'), { recursive: true });
    await mkdir(outside);
    await writeFile(path.join(root, 'racer.sh'), RACER);
    const racer = spawn('bash', ['racer.sh', outside], { cwd: root, stdio: 'ignore' });
    const exited = once(racer, 'exit');
    const tool = createTextEditorTool();
    const ctx: ToolContext = {
      root,
      files: createFileTracker(),
      authorize: () => Promise.resolve({ allowed: true, reason: 'the race test allows every write' }),
    };
    let written = 0;
    let refused = 0;
    try {
      for (let i = 0; i < WRITES; i++) {
        const outcome = await tool.run({ command: 'create', path: `dir/f${i}.txt`, file_text: `write ${i}\n` }, ctx);
        if (outcome.ok) written++;
        else refused++;
      }
    } finally {
      await writeFile(path.join(root, 'stop'), '');
      await exited;
    }
    const escaped = await countFiles(outside);
    const strays = (await readdir(base)).filter((name) => name !== 'wt' && name !== 'outside');
    console.log(
      `editor race: ${WRITES} writes (${written} written, ${refused} refused while the folder was swapped), ` +
        `files outside the worktree ${escaped}`,
    );
    await rm(base, { recursive: true, force: true });
    expect({ escaped, strays }).toEqual({ escaped: 0, strays: [] });
    // A race in which nothing was written proves nothing.
    expect(written).toBeGreaterThan(0);
  });
});
