import { startNatsServer, type NatsServer } from '@baton/nats-launcher';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Objm } from '@nats-io/obj';
import { connect } from '@nats-io/transport-node';
import { busContract } from '../contract/bus-contract.js';
import type { Bus } from '../types.js';
import { connectNats } from './connect-nats.js';

/**
 * Damages a stored object the way a bad disk would: the last chunk message (`$O.<bucket>.C.<nuid>`) is
 * deleted and republished on the same subject with one byte flipped, so size and order stay the same.
 */
async function corruptObject(server: NatsServer, bucket: string, name: string): Promise<void> {
  const nc = await connect({ servers: server.url });
  try {
    const js = jetstream(nc);
    const jsm = await jetstreamManager(nc);
    const info = await (await new Objm(js).open(bucket)).info(name);
    if (info === null) throw new Error(`no object ${bucket}/${name} to corrupt`);
    const stream = `OBJ_${bucket}`;
    const subject = `$O.${bucket}.C.${info.nuid}`;
    const chunk = await jsm.streams.getMessage(stream, { last_by_subj: subject });
    if (chunk === null) throw new Error(`object ${bucket}/${name} has no chunks`);
    const altered = Uint8Array.from(chunk.data);
    altered[0] = (altered[0]! + 1) % 256;
    await jsm.streams.deleteMessage(stream, chunk.seq, false);
    await js.publish(subject, altered);
  } finally {
    await nc.close();
  }
}

busContract('nats', async () => {
  const server = await startNatsServer();
  const clients: Bus[] = [];
  const connectBus = async () => {
    const bus = await connectNats({ servers: server.url, prefix: 'contract' });
    clients.push(bus);
    return bus;
  };
  const bus = await connectBus();
  return {
    bus,
    connect: connectBus,
    corruptObject: (bucket, name) => corruptObject(server, bucket, name),
    close: async () => {
      await Promise.all(clients.map((client) => client.close()));
      await server.stop();
    },
  };
});
