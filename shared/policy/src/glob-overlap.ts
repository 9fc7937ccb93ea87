import picomatch from 'picomatch';

const WILD = /[*?[]/;

/** Whether two path segments, either of which may be a glob, can name the same entry. */
function segmentsMeet(glob: string, rule: string): boolean {
  if (glob === '**' || rule === '**') return true;
  if (!WILD.test(rule)) return picomatch(glob, { dot: false })(rule) || glob === rule;
  if (!WILD.test(glob)) return picomatch(rule, { dot: true })(glob);
  return true;
}

/**
 * Whether a shell glob (`src/*.ts`, as bash expands it: `*` skips dotfiles) may expand to a path a Read rule's
 * gitignore-style specifier matches. Errs towards `true` whenever both sides are patterns.
 * @example globMayMatch('src/*.ts', 'secrets/**') // false
 */
export function globMayMatch(glob: string, spec: string): boolean {
  if (spec.startsWith('~') || spec.startsWith('//')) return false;
  let p = spec.startsWith('./') ? spec.slice(2) : spec;
  const anchored = p.startsWith('/') || p.replace(/\/$/, '').includes('/');
  p = p.replace(/^\/+/, '').replace(/\/+$/, '');
  const ruleSegs = p.split('/');
  const globSegs = glob
    .replace(/^\.\//, '')
    .split('/')
    .filter((s) => s !== '' && s !== '.');
  if (globSegs.includes('..')) return true;
  const fromStart = (start: number): boolean => {
    for (let i = 0; i < ruleSegs.length; i++) {
      const r = ruleSegs[i] ?? '';
      const g = globSegs[start + i];
      if (r === '**') return true;
      // The glob names a folder above what the rule covers, or the rule covers the folder the glob is in.
      if (g === undefined) return false;
      if (!segmentsMeet(g, r)) return false;
    }
    return true;
  };
  if (anchored) return fromStart(0);
  return globSegs.some((_, i) => fromStart(i));
}
