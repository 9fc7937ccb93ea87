import type { CompiledPolicy } from './compile-policy.js';
import type { Decision, PolicyAction } from './decision.js';
import { evaluateBash } from './evaluate-bash.js';
import { evaluateFile } from './evaluate-file.js';

/**
 * Decides whether an action may run under a compiled policy (precedence deny > ask > allow). Async because the
 * shell parser (sh-syntax, WebAssembly) is. Never throws: input the evaluator cannot judge is asked about (denied in
 * plan mode), with the reason.
 * @example await evaluate(policy, { tool: 'Bash', command: 'npm test && git push --force' }) // verdict 'deny'
 */
export async function evaluate(policy: CompiledPolicy, action: PolicyAction): Promise<Decision> {
  try {
    if (action.tool === 'Bash') return await evaluateBash(policy, action.command);
    return evaluateFile(policy, action.tool, action.path, action.inScope);
  } catch (err) {
    // A policy that throws leaves its caller to guess; an unreadable action is one a human must look at.
    return {
      verdict: policy.mode === 'plan' ? 'deny' : 'ask',
      reason: `the policy could not evaluate this ${action.tool} action (${err instanceof Error ? `${err.name}: ${err.message}` : String(err)})`,
    };
  }
}
