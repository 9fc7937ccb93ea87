import type { ObjectInfo as NatsObjectInfo, ObjectStore as NatsObjectStoreApi } from '@nats-io/obj';
import { InvalidNameError, ObjectDigestError } from '../errors.js';
import type { ObjectInfo, ObjectReader, ObjectSource, ObjectStore } from '../types.js';

const OBJECT_NAME = /^[^\s*>]+$/;

function checkName(name: string): string {
  if (!OBJECT_NAME.test(name)) throw new InvalidNameError('object name', name);
  return name;
}

function infoOf(info: NatsObjectInfo): ObjectInfo {
  return { name: info.name, size: info.size, digest: info.digest };
}

function toReadableStream(source: ObjectSource): ReadableStream<Uint8Array> {
  if (source instanceof ReadableStream) return source;
  const iterator = (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done === true) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

// nats.js reports a digest mismatch only as a plain Error with this text; it has no error class for it.
const DIGEST_MISMATCH = /digests do not match[\s\S]*computed: SHA-256 ([0-9a-f]+)/;

/** An object bucket on the JetStream Object Store; nats.js checks the SHA-256 digest while reading. */
export class NatsObjectStore implements ObjectStore {
  constructor(
    readonly bucket: string,
    private readonly os: NatsObjectStoreApi,
  ) {}

  async put(name: string, data: ObjectSource): Promise<ObjectInfo> {
    const meta = { name: checkName(name) };
    const info =
      data instanceof Uint8Array ? await this.os.putBlob(meta, data) : await this.os.put(meta, toReadableStream(data));
    return infoOf(info);
  }

  async get(name: string): Promise<ObjectReader | null> {
    const result = await this.os.get(checkName(name));
    if (result === null) return null;
    const info = infoOf(result.info);
    return { info, data: this.#read(info, result.data) };
  }

  async *#read(info: ObjectInfo, stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
    const reader = stream.getReader();
    try {
      for (;;) {
        const next = await reader.read();
        if (next.done) return;
        yield next.value;
      }
    } catch (err) {
      const match = err instanceof Error ? DIGEST_MISMATCH.exec(err.message) : null;
      if (match?.[1] !== undefined) {
        throw new ObjectDigestError(
          this.bucket,
          info.name,
          info.digest,
          `SHA-256=${Buffer.from(match[1], 'hex').toString('base64url')}=`,
        );
      }
      throw err;
    } finally {
      reader.releaseLock();
    }
  }

  async getBytes(name: string): Promise<Uint8Array | null> {
    const reader = await this.get(name);
    if (reader === null) return null;
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of reader.data) {
      chunks.push(chunk);
      size += chunk.length;
    }
    const bytes = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.length;
    }
    return bytes;
  }

  async info(name: string): Promise<ObjectInfo | null> {
    const info = await this.os.info(checkName(name));
    return info === null || info.deleted ? null : infoOf(info);
  }

  async delete(name: string): Promise<void> {
    const info = await this.os.info(checkName(name));
    if (info === null || info.deleted) return;
    await this.os.delete(name);
  }
}
