import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runProgram } from './run-program.js';
import type { CommandLauncher } from '@baton/tools';

// Mounts one overlay per environment folder (lower: the prepared copy, upper: this attempt's scratch), then runs the
// command as the worker's own user again (a nested user namespace mapping it back) unless the worker is root.
const MOUNT_SCRIPT = `set -e
t="$1"; l="$2"; s="$3"; u="$4"; g="$5"; cmd="$6"; shift 6
i=0
for d in "$@"; do
  i=$((i+1))
  mkdir -p "$t/$d" "$s/$i/upper" "$s/$i/work"
  mount -t overlay baton-env -o "lowerdir=$l/$d,upperdir=$s/$i/upper,workdir=$s/$i/work" "$t/$d"
done
if [ "$u" != 0 ]; then exec unshare --user --map-user="$u" --map-group="$g" bash -c "$cmd"; fi
exec bash -c "$cmd"`;

/** Where an overlay launcher mounts what. */
export interface OverlayLayout {
  /** The attempt's worktree. */
  worktree: string;
  /** The prepared checkout whose folders are the lower layers. */
  lower: string;
  /** Folders (relative) to mount, each at the same place in the worktree. */
  dirs: readonly string[];
  /** The attempt's scratch folder (upper and work layers); emptied when the attempt ends. */
  scratch: string;
}

/** A path overlayfs options cannot carry (`,` and `:` separate its options and layers). */
export function overlaySafe(path: string): boolean {
  return !/[,:\\\n]/.test(path);
}

/**
 * Runs each command in its own user and mount namespace (`unshare --user --map-root-user --mount`) where the
 * environment's folders are overlay mounts on the worktree: reads come from the prepared copy, every write lands in the
 * attempt's scratch, so nothing a command writes reaches the prepared environment, the user's checkout or another
 * attempt, and handing an attempt its environment copies nothing. The mounts exist only inside the command's
 * namespace: git and the editor's file tools, outside it, see an empty folder there.
 */
export function overlayLauncher(layout: OverlayLayout): CommandLauncher {
  const uid = String(process.getuid?.() ?? 0);
  const gid = String(process.getgid?.() ?? 0);
  return (command) => ({
    file: 'unshare',
    args: [
      '--user',
      '--map-root-user',
      '--mount',
      'sh',
      '-c',
      MOUNT_SCRIPT,
      'sh',
      layout.worktree,
      layout.lower,
      layout.scratch,
      uid,
      gid,
      command,
      ...layout.dirs,
    ],
  });
}

let probe: Promise<boolean> | undefined;

/**
 * Whether this machine lets an unprivileged process mount overlayfs in a user namespace (Linux 5.11+, user
 * namespaces allowed, `unshare` installed): tried once per process on a scratch folder under `dir`.
 */
export function canMountOverlay(dir: string): Promise<boolean> {
  probe ??= (async () => {
    if (process.platform !== 'linux') return false;
    await mkdir(dir, { recursive: true });
    const root = await mkdtemp(join(dir, 'overlay-probe-'));
    try {
      await mkdir(join(root, 'lower', 'd'), { recursive: true });
      await writeFile(join(root, 'lower', 'd', 'f'), 'lower');
      await mkdir(join(root, 'tree'));
      const launch = overlayLauncher({
        worktree: join(root, 'tree'),
        lower: join(root, 'lower'),
        dirs: ['d'],
        scratch: join(root, 's'),
      });
      const { file, args } = launch('echo upper > d/f && cat d/f');
      const r = await runProgram(file, args, { cwd: join(root, 'tree'), check: false });
      return (
        r.exitCode === 0 &&
        String(r.stdout).trim() === 'upper' &&
        (await readFile(join(root, 'lower', 'd', 'f'), 'utf8')) === 'lower'
      );
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  })();
  return probe;
}
