#!/usr/bin/env node
// Makes sure a nats-server binary is available before the tests run: the NATS transport's
// tests spawn their own servers. Installs Debian's package when root; otherwise says how.
import { execFileSync } from 'node:child_process';

function has(bin) {
  try {
    execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const binary = process.env.NATS_SERVER_BIN ?? 'nats-server';
if (has(binary) || has('/usr/sbin/nats-server')) process.exit(0);
if (process.getuid?.() !== 0) {
  console.error(
    'nats-server is not installed and this user is not root.\n' +
      'Install it with: sudo apt-get update && sudo apt-get install -y nats-server\n' +
      '(or set NATS_SERVER_BIN to a nats-server binary), then run the tests again.',
  );
  process.exit(1);
}
console.error('nats-server not found: installing Debian package nats-server…');
execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server'], {
  stdio: 'inherit',
});
