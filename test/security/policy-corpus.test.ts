import { compilePolicy, evaluate } from '@baton/policy';
import type { CompiledPolicy, Decision } from '@baton/policy';
import { describe, expect, it } from 'vitest';
import { CRASH_INPUTS } from './crash-inputs.js';
import { HARMLESS_COMMANDS } from './harmless-commands.js';
import { HOSTILE_COMMANDS } from './hostile-commands.js';
import { HOSTILE_EDIT_PATHS } from './hostile-paths.js';
import { HARMLESS_PROFILE, PROFILES } from './profiles.js';

type Miss = { profile: string; input: string; verdict: string; reason: string };

const VERDICTS = new Set(['allow', 'ask', 'deny']);

/** Runs the evaluator, turning a throw or a malformed answer into a crash record instead of a failure. */
async function judge(policy: CompiledPolicy, action: Parameters<typeof evaluate>[1]): Promise<Decision | Error> {
  try {
    const d = await evaluate(policy, action);
    if (!VERDICTS.has(d.verdict) || typeof d.reason !== 'string')
      return new Error(`malformed decision ${JSON.stringify(d)}`);
    return d;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

const show = (s: string): string => JSON.stringify(s.length > 120 ? `${s.slice(0, 117)}...` : s);

describe('security corpus against @baton/policy', () => {
  it('allows no hostile command or path, never crashes, and denies no harmless command', async () => {
    const wronglyAllowed: Miss[] = [];
    const askedNotDenied: Miss[] = [];
    const crashes: Miss[] = [];
    const harmlessDenied: Miss[] = [];
    let judged = 0;
    const policies = PROFILES.map((p) => ({ name: p.name, policy: compilePolicy(p.config) }));

    // Command-major order: each command is parsed once (splitCommand's cache) and judged under every profile.
    for (const c of HOSTILE_COMMANDS) {
      for (const { name, policy } of policies) {
        if (c.profiles !== undefined && !c.profiles.includes(name)) continue;
        judged++;
        const d = await judge(policy, { tool: 'Bash', command: c.command });
        if (d instanceof Error) crashes.push({ profile: name, input: c.command, verdict: 'throw', reason: d.message });
        else if (d.verdict === 'allow')
          wronglyAllowed.push({ profile: name, input: c.command, verdict: d.verdict, reason: d.reason });
        else if (c.expect === 'deny' && d.verdict !== 'deny')
          askedNotDenied.push({ profile: name, input: c.command, verdict: d.verdict, reason: d.reason });
      }
    }
    for (const { name, policy } of policies) {
      for (const p of HOSTILE_EDIT_PATHS) {
        for (const tool of ['Edit', 'Write'] as const) {
          judged++;
          const d = await judge(policy, { tool, path: p.path, inScope: true });
          const input = `${tool}(${p.path})`;
          if (d instanceof Error) crashes.push({ profile: name, input, verdict: 'throw', reason: d.message });
          else if (d.verdict === 'allow')
            wronglyAllowed.push({ profile: name, input, verdict: d.verdict, reason: d.reason });
          else if (p.expect === 'deny' && d.verdict !== 'deny')
            askedNotDenied.push({ profile: name, input, verdict: d.verdict, reason: d.reason });
        }
      }
      for (const input of CRASH_INPUTS) {
        judged++;
        const d = await judge(policy, { tool: 'Bash', command: input });
        // Only that an answer comes matters here: some are harmless once read (`echo` with a NUL byte).
        if (d instanceof Error) crashes.push({ profile: name, input, verdict: 'throw', reason: d.message });
      }
    }
    const harmless = compilePolicy(HARMLESS_PROFILE.config);
    for (const command of HARMLESS_COMMANDS) {
      judged++;
      const d = await judge(harmless, { tool: 'Bash', command });
      if (d instanceof Error)
        crashes.push({ profile: HARMLESS_PROFILE.name, input: command, verdict: 'throw', reason: d.message });
      else if (d.verdict !== 'allow')
        harmlessDenied.push({ profile: HARMLESS_PROFILE.name, input: command, verdict: d.verdict, reason: d.reason });
    }

    const list = (title: string, misses: Miss[]): string[] =>
      misses.length === 0
        ? []
        : [`  ${title}:`, ...misses.map((m) => `    [${m.profile}] ${show(m.input)} -> ${m.verdict}: ${m.reason}`)];
    console.log(
      [
        `security corpus: ${HOSTILE_COMMANDS.length} hostile commands, ${HOSTILE_EDIT_PATHS.length} hostile paths, ` +
          `${CRASH_INPUTS.length} parser-breaking inputs under ${PROFILES.length} profiles, ${HARMLESS_COMMANDS.length} harmless commands (${judged} decisions)`,
        `  wrongly allowed ${wronglyAllowed.length}`,
        `  asked where a deny was due ${askedNotDenied.length}`,
        `  evaluator crashes ${crashes.length}`,
        `  harmless denied ${harmlessDenied.length}`,
        ...list('wrongly allowed', wronglyAllowed),
        ...list('asked where a deny was due', askedNotDenied),
        ...list('evaluator crashes', crashes),
        ...list('harmless denied', harmlessDenied),
      ].join('\n'),
    );
    expect(HOSTILE_COMMANDS.length + HOSTILE_EDIT_PATHS.length).toBeGreaterThanOrEqual(500);
    expect(HARMLESS_COMMANDS.length).toBeGreaterThanOrEqual(40);
    expect({
      wronglyAllowed: wronglyAllowed.length,
      askedNotDenied: askedNotDenied.length,
      crashes: crashes.length,
      harmlessDenied: harmlessDenied.length,
    }).toEqual({ wronglyAllowed: 0, askedNotDenied: 0, crashes: 0, harmlessDenied: 0 });
  });
});
