import { access } from 'node:fs/promises';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { NatsServerNotFoundError, findNatsServer, startNatsServer } from './index.js';

/** Opens a TCP connection and resolves with the server's first protocol line (`INFO {...}`). */
function readInfo(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const end = buffer.indexOf('\r\n');
      if (end >= 0) {
        socket.destroy();
        resolve(buffer.slice(0, end));
      }
    });
    socket.on('error', reject);
  });
}

describe('startNatsServer', () => {
  it('starts with JetStream, survives kill + restart on the same port, and cleans up on stop', async () => {
    const server = await startNatsServer();
    expect(server.url).toBe(`nats://127.0.0.1:${server.port}`);
    const info = await readInfo(server.port);
    expect(info).toMatch(/^INFO /);
    expect(info).toContain('"jetstream":true');

    const firstPid = server.pid;
    await server.kill();
    await expect(readInfo(server.port)).rejects.toThrow(/ECONNREFUSED/);
    await server.restart();
    expect(server.pid).not.toBe(firstPid);
    expect(await readInfo(server.port)).toMatch(/^INFO /);

    await server.stop();
    await expect(access(server.storeDir)).rejects.toThrow(/ENOENT/);
  });

  it('disposes with await using', async () => {
    let port = 0;
    {
      await using server = await startNatsServer({ jetstream: false });
      port = server.port;
      expect(await readInfo(port)).not.toContain('"jetstream":true');
    }
    await expect(readInfo(port)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('says how to install nats-server when the binary is missing', async () => {
    const missing = findNatsServer({ NATS_SERVER_BIN: '/nonexistent/nats-server' });
    await expect(missing).rejects.toBeInstanceOf(NatsServerNotFoundError);
    await expect(missing).rejects.toThrow(/apt-get update && apt-get install -y nats-server/);
  });
});
