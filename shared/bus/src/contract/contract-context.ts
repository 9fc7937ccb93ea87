import type { Bus } from '../types.js';

/** What a transport gives the contract: a client, more clients on the same broker or server, and a fault hook. */
export interface ContractFixture {
  bus: Bus;
  /** Another client on the same broker or server: another "process". */
  connect(): Promise<Bus>;
  /** Damages a stored object so that reading it must fail with ObjectDigestError. */
  corruptObject(bucket: string, name: string): Promise<void>;
}

/** The fixture of the running suite, plus the extra clients of the current case (closed after it). */
export class ContractContext {
  #fixture: ContractFixture | undefined;
  readonly #extra: Bus[] = [];

  /** Set by the suite's beforeAll. */
  use(fixture: ContractFixture): void {
    this.#fixture = fixture;
  }

  get fixture(): ContractFixture {
    if (this.#fixture === undefined) throw new Error('the contract fixture is not set up');
    return this.#fixture;
  }

  /** The fixture's long-lived client. */
  get bus(): Bus {
    return this.fixture.bus;
  }

  /** A new client for this case only. */
  async connect(): Promise<Bus> {
    const bus = await this.fixture.connect();
    this.#extra.push(bus);
    return bus;
  }

  /** Closes the clients the case opened. */
  async closeExtra(): Promise<void> {
    await Promise.all(this.#extra.splice(0).map((bus) => bus.close()));
  }
}
