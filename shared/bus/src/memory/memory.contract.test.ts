import { busContract } from '../contract/bus-contract.js';
import { createMemoryBroker } from './memory-broker.js';

busContract('memory', () => {
  const broker = createMemoryBroker({ prefix: 'contract' });
  return Promise.resolve({
    bus: broker.connect(),
    connect: () => Promise.resolve(broker.connect()),
    corruptObject: (bucket: string, name: string) => broker.corruptObject(bucket, name),
    close: () => broker.close(),
  });
});
