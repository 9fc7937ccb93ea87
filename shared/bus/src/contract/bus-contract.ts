import { afterAll, afterEach, beforeAll, describe } from 'vitest';
import { ContractContext, type ContractFixture } from './contract-context.js';
import { kvCases } from './kv-cases.js';
import { objectStoreCases } from './object-store-cases.js';
import { pubsubCases } from './pubsub-cases.js';
import { requestCases } from './request-cases.js';
import { workQueueCases } from './work-queue-cases.js';

export type { ContractFixture } from './contract-context.js';

/**
 * The one contract suite every transport runs: declares vitest `describe` blocks against the
 * fixture `setup` returns. Each case uses its own subjects, queues and buckets, so cases
 * never interfere; every wait is bounded.
 * @example busContract('memory', async () => { const broker = createMemoryBroker(); return { bus: broker.connect(), ... }; });
 */
export function busContract(
  transport: string,
  setup: () => Promise<ContractFixture & { close(): Promise<void> }>,
): void {
  describe(`bus contract (${transport})`, () => {
    const ctx = new ContractContext();
    let close: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      const fixture = await setup();
      close = () => fixture.close();
      ctx.use(fixture);
    });
    afterEach(() => ctx.closeExtra());
    afterAll(async () => {
      await close?.();
    });
    describe('pub/sub', () => pubsubCases(ctx));
    describe('request/reply', () => requestCases(ctx));
    describe('work queue', () => workQueueCases(ctx));
    describe('kv', () => kvCases(ctx));
    describe('object store', () => objectStoreCases(ctx));
  });
}
