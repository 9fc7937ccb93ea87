import { describe, expect, it } from 'vitest';
import { runCommand } from './run-command.js';
import { projectPath, scrubEnv } from './scrub-env.js';

describe('scrubEnv', () => {
  it('drops the node_modules/.bin folders npx put on PATH and the variables npm set for Baton’s package', () => {
    const env = scrubEnv({
      PATH: '/opt/baton/node_modules/.bin:/home/u/.npm/_npx/ab12/node_modules/.bin:/usr/local/bin:/usr/bin',
      npm_package_name: '@baton/cli',
      npm_lifecycle_event: 'npx',
      INIT_CWD: '/opt/baton',
      HOME: '/home/u',
    });
    expect(env.PATH).toBe('/usr/local/bin:/usr/bin');
    expect(env).not.toHaveProperty('npm_package_name');
    expect(env).not.toHaveProperty('INIT_CWD');
    expect(env.HOME).toBe('/home/u');
  });

  it('keeps the PATH of a command free of Baton’s own tools', async () => {
    const r = await runCommand('echo "$PATH"', {
      cwd: process.cwd(),
      timeoutMs: 10_000,
      env: { PATH: `${process.cwd()}/node_modules/.bin:/usr/bin:/bin` },
    });
    expect(r.stdout.trim()).toBe('/usr/bin:/bin');
    expect(projectPath('/a/node_modules/.bin/:/b')).toBe('/b');
  });
});
