import { createHash, randomBytes } from 'crypto';
import {
  computeRevisionHashState,
  extendRevisionHashState,
  hashStateDigestHex,
  hashStateLength,
  hashStateTail,
  importHashState,
  RevisionHashStateError,
} from './revision-hash-state';

function nativeHex(...parts: Uint8Array[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}

describe('revision hash state', () => {
  const data = randomBytes(4 * 1024 * 1024 + 77);

  it('matches native SHA-256 for lengths 0 to 200', () => {
    for (let length = 0; length <= 200; length++) {
      const bytes = data.subarray(0, length);
      expect([length, hashStateDigestHex(computeRevisionHashState(bytes))]).toEqual([length, nativeHex(bytes)]);
    }
  });

  it('resumes at every split of 200 bytes', () => {
    const bytes = data.subarray(0, 200);
    for (let split = 0; split <= 200; split++) {
      const state = computeRevisionHashState(bytes.subarray(0, split));
      const resumed = extendRevisionHashState(state, bytes.subarray(split));
      expect([split, hashStateDigestHex(resumed)]).toEqual([split, nativeHex(bytes)]);
    }
  });

  it('matches native SHA-256 on several MB', () => {
    expect(hashStateDigestHex(computeRevisionHashState(data))).toBe(nativeHex(data));
  });

  it('resumes across several MB in uneven chunks', () => {
    let state = computeRevisionHashState(data.subarray(0, 1_000_003));
    state = extendRevisionHashState(state, data.subarray(1_000_003, 2_500_000));
    state = extendRevisionHashState(state, Buffer.alloc(0));
    state = extendRevisionHashState(state, data.subarray(2_500_000));
    expect(hashStateDigestHex(state)).toBe(nativeHex(data));
    expect(hashStateLength(state)).toBe(data.length);
  });

  it('serializes length and tail', () => {
    const state = computeRevisionHashState(data.subarray(0, 130));
    expect(state[0]).toBe(1);
    expect(state.length).toBe(41 + 2);
    expect(hashStateLength(state)).toBe(130);
    expect(hashStateTail(state)).toEqual(data.subarray(128, 130));
  });

  it('survives a base64 round trip', () => {
    const state = computeRevisionHashState(data.subarray(0, 1000));
    const decoded = Buffer.from(state.toString('base64'), 'base64');
    expect(hashStateDigestHex(extendRevisionHashState(decoded, data.subarray(1000, 5000)))).toBe(
      nativeHex(data.subarray(0, 5000)),
    );
  });

  it('reads a state inside a larger buffer', () => {
    const state = computeRevisionHashState(data.subarray(0, 99));
    const container = Buffer.concat([Buffer.from('xxxx'), state, Buffer.from('yy')]);
    const view = container.subarray(4, 4 + state.length);
    expect(hashStateDigestHex(view)).toBe(nativeHex(data.subarray(0, 99)));
  });

  it('does not change the state it resumes from', () => {
    const state = computeRevisionHashState(data.subarray(0, 70));
    const copy = Buffer.from(state);
    importHashState(state).update(data.subarray(70, 500)).digest();
    expect(state).toEqual(copy);
  });

  it('rejects an unknown version', () => {
    const state = computeRevisionHashState(data.subarray(0, 10));
    state[0] = 2;
    expect(() => importHashState(state)).toThrow(RevisionHashStateError);
  });

  it('rejects a tail that does not match the length', () => {
    const state = computeRevisionHashState(data.subarray(0, 10));
    expect(() => importHashState(state.subarray(0, state.length - 1))).toThrow(RevisionHashStateError);
  });
});
