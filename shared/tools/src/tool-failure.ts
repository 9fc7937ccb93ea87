import { PathRefusedError, ToolFailure } from './errors.js';
import type { ToolOutcome } from './tool.js';

// Filesystem errors the model can act on (a missing file, a directory where a file was expected).
const fsCodes: Record<string, string> = {
  ENOENT: 'does not exist',
  EISDIR: 'is a directory',
  ENOTDIR: 'has a part that is not a directory',
  EACCES: 'is not accessible (permission denied)',
  EPERM: 'is not accessible (operation not permitted)',
  EEXIST: 'already exists',
  ELOOP: 'is a symbolic link (refused)',
  ENOSPC: 'cannot be written: no space left on device',
  ENAMETOOLONG: 'has a name that is too long',
};

/**
 * Runs a tool body and converts failures the model can fix ({@link ToolFailure},
 * {@link PathRefusedError}, and filesystem errors such as ENOENT) into `ok: false` outcomes;
 * anything else is a programmer error and propagates.
 */
export async function failuresAsOutcome(body: () => Promise<ToolOutcome>): Promise<ToolOutcome> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof ToolFailure) return { ok: false, content: error.message };
    if (error instanceof PathRefusedError)
      return { ok: false, content: `Refused: ${error.message}. Nothing was changed.` };
    const errno = error as NodeJS.ErrnoException;
    const meaning = typeof errno.code === 'string' ? fsCodes[errno.code] : undefined;
    if (meaning !== undefined) {
      return { ok: false, content: `${errno.path ?? 'the path'} ${meaning} (${errno.code}).` };
    }
    throw error;
  }
}
