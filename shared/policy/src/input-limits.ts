/** Longest command line the policy parses; longer input is asked about without parsing. */
const MAX_COMMAND_LENGTH = 100_000;

/** Deepest bracket nesting the policy parses: sh-syntax (WebAssembly) traps and our grammar recurses past ~1,000. */
const MAX_NESTING_DEPTH = 48;

/**
 * Why a command line is too big or too deeply nested to parse safely, or undefined when it is within the caps.
 * Checked before any parser runs; quotes are not honoured, so the count errs on the side of refusing.
 */
export function inputLimitProblem(command: string): string | undefined {
  if (command.length > MAX_COMMAND_LENGTH)
    return `the command is ${command.length} characters long, over the cap of ${MAX_COMMAND_LENGTH}`;
  let depth = 0;
  let max = 0;
  // Brackets, and the reserved words that open and close compound commands (`if ... fi` nests like `( ... )`).
  // An escaped backtick opens a substitution nested in a backtick one, so it counts as an opening too.
  for (const m of command.matchAll(/[({[]|\\`|[)}\]]|\b(?:if|while|until|for|select|case)\b|\b(?:fi|done|esac)\b/g)) {
    const t = m[0];
    if (/^[)}\]]$|^(?:fi|done|esac)$/.test(t)) depth = Math.max(0, depth - 1);
    else {
      depth++;
      if (depth > max) max = depth;
    }
  }
  if (max > MAX_NESTING_DEPTH) return `brackets are nested ${max} deep, over the cap of ${MAX_NESTING_DEPTH}`;
  return undefined;
}
