import { compilePolicy, evaluate } from '@baton/policy';
import { HOSTILE_COMMANDS } from './hostile-commands.js';
import { HARMLESS_COMMANDS } from './harmless-commands.js';
const policy = compilePolicy({});
const t0 = performance.now();
for (const c of [...HOSTILE_COMMANDS.map((h) => h.command), ...HARMLESS_COMMANDS]) {
  const t = performance.now();
  await evaluate(policy, { tool: 'Bash', command: c });
  const ms = performance.now() - t;
  if (ms > 50) console.log(Math.round(ms), JSON.stringify(c).slice(0, 100));
}
console.log('total', Math.round(performance.now() - t0), HOSTILE_COMMANDS.length);
