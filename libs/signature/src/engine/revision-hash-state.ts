import { sha256 } from '@noble/hashes/sha2';

/**
 * SHA-256 intermediate state ("midstate") of a stored revision, so that signing the next revision
 * hashes only the bytes appended after it.
 *
 * Node's `crypto` hashes cannot export or import their state, so this module uses the SHA-256 of
 * `@noble/hashes` and reads and writes its internal fields. The eight words go through the
 * `get()`/`set()` methods, the partial block through `buffer` and `pos`, the byte count through
 * `length`. Those fields are not public API, so the package version is pinned and every use of
 * them stays in this file, whose unit test compares the results with `crypto.createHash('sha256')`.
 *
 * Serialized state, version 1 (41 to 104 bytes):
 * - byte 0: format version (1);
 * - bytes 1–32: the eight 32-bit chaining words, big-endian;
 * - bytes 33–40: number of bytes hashed, unsigned 64-bit big-endian;
 * - then the unprocessed tail: the last `length % 64` bytes hashed.
 */

const STATE_VERSION = 1;
const BLOCK_BYTES = 64;
const HEADER_BYTES = 1 + 32 + 8;

type Sha256 = ReturnType<typeof sha256.create>;

/** Fields of `@noble/hashes` 1.8.0's SHA256 class that TypeScript marks protected or omits. */
interface Sha256Internals {
  get(): number[];
  set(...words: number[]): void;
  buffer: Uint8Array;
  pos: number;
  length: number;
}

export class RevisionHashStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RevisionHashStateError';
  }
}

function internals(hash: Sha256): Sha256Internals {
  return hash as unknown as Sha256Internals;
}

/** Serializes the state of a SHA-256 that has not been finalized. */
export function exportHashState(hash: Sha256): Buffer {
  const fields = internals(hash);
  const words = fields.get();
  if (words.length !== 8 || fields.pos !== fields.length % BLOCK_BYTES) {
    throw new RevisionHashStateError('The @noble/hashes SHA-256 lacks the expected internal fields; pin the version this module was tested with');
  }
  const state = Buffer.alloc(HEADER_BYTES + fields.pos);
  state[0] = STATE_VERSION;
  words.forEach((word, index) => state.writeUInt32BE(word >>> 0, 1 + index * 4));
  state.writeBigUInt64BE(BigInt(fields.length), 33);
  state.set(fields.buffer.subarray(0, fields.pos), HEADER_BYTES);
  return state;
}

/** Reads the byte count of a serialized state and checks its format. */
export function hashStateLength(state: Uint8Array): number {
  const bytes = Buffer.from(state.buffer, state.byteOffset, state.byteLength);
  if (bytes.length < HEADER_BYTES || bytes[0] !== STATE_VERSION) {
    throw new RevisionHashStateError(`Unsupported SHA-256 state: version ${bytes[0]}, ${bytes.length} bytes`);
  }
  const length = Number(bytes.readBigUInt64BE(33));
  if (bytes.length !== HEADER_BYTES + (length % BLOCK_BYTES)) {
    throw new RevisionHashStateError(
      `Invalid SHA-256 state: a tail of ${bytes.length - HEADER_BYTES} bytes for a length of ${length} bytes`,
    );
  }
  return length;
}

/** Returns the unprocessed tail of a serialized state: the last `length % 64` bytes hashed. */
export function hashStateTail(state: Uint8Array): Buffer {
  hashStateLength(state);
  return Buffer.from(state.buffer, state.byteOffset + HEADER_BYTES, state.byteLength - HEADER_BYTES);
}

/** Creates a SHA-256 that continues from a serialized state. */
export function importHashState(state: Uint8Array): Sha256 {
  const length = hashStateLength(state);
  const bytes = Buffer.from(state.buffer, state.byteOffset, state.byteLength);
  const hash = sha256.create();
  const fields = internals(hash);
  const words = Array.from({ length: 8 }, (_, index) => bytes.readUInt32BE(1 + index * 4));
  fields.set(...words);
  fields.buffer.set(bytes.subarray(HEADER_BYTES));
  fields.pos = length % BLOCK_BYTES;
  fields.length = length;
  return hash;
}

/**
 * Computes the SHA-256 state after hashing all of `bytes`. It runs in JavaScript at a fraction
 * of the native hash's speed, so call it when a revision is stored, not inside the sign step.
 */
export function computeRevisionHashState(bytes: Uint8Array): Buffer {
  return exportHashState(sha256.create().update(bytes));
}

/** Returns the state after hashing the bytes of `state`, then `appended`. */
export function extendRevisionHashState(state: Uint8Array, appended: Uint8Array): Buffer {
  return exportHashState(importHashState(state).update(appended));
}

/** Returns the SHA-256 digest, in hex, of the bytes that `state` covers. */
export function hashStateDigestHex(state: Uint8Array): string {
  return Buffer.from(importHashState(state).digest()).toString('hex');
}
