/**
 * Bounded reads (src/trust/read.ts): the part of a file readBounded reads — from a byte, or up to
 * and including the first stop byte (the read cache's index line) — is exactly that slice of the
 * file, across the chunks a head read takes, and the bounds still hold.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readBounded } from '../../src/trust/read.js';
import { testdir } from '../helpers/tmp.js';

const CHUNK = 256 * 1024;

function file(bytes: Buffer): string {
  const path = join(testdir(), 'f');
  writeFileSync(path, bytes);
  return path;
}

function bytesOf(read: ReturnType<typeof readBounded>): Buffer {
  if (!read.ok) throw new Error(read.reason);
  return read.bytes;
}

describe('readBounded parts', () => {
  it('a head read stops after the first stop byte, also past the first chunk; without one it is the whole file', () => {
    const long = Buffer.alloc(CHUNK + 1000, 'a');
    long[CHUNK + 10] = 10;
    long[CHUNK + 20] = 10;
    expect(bytesOf(readBounded(file(long), 1 << 20, { stop: 10 }))).toEqual(long.subarray(0, CHUNK + 11));
    const none = Buffer.alloc(3 * CHUNK + 5, 'b');
    expect(bytesOf(readBounded(file(none), 1 << 22, { stop: 10 }))).toEqual(none);
    expect(bytesOf(readBounded(file(Buffer.from('\nrest')), 100, { stop: 10 }))).toEqual(Buffer.from('\n'));
    expect(bytesOf(readBounded(file(Buffer.alloc(0)), 100, { stop: 10 }))).toEqual(Buffer.alloc(0));
  });

  it('the size bound holds for a head read and a read from a byte', () => {
    const path = file(Buffer.alloc(2000, 'c'));
    const head = readBounded(path, 1000, { stop: 10 });
    expect(head.ok ? 'read' : head.kind).toBe('too-large');
    const rest = readBounded(path, 1000, { from: 1500 });
    expect(rest.ok ? 'read' : rest.kind).toBe('too-large');
  });

  it('any file, stop byte and start: the part read is that slice of the file', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 700 }), (array, stop, from) => {
        const bytes = Buffer.from(array);
        const path = file(bytes);
        const at = bytes.indexOf(stop);
        expect(bytesOf(readBounded(path, 1000, { stop }))).toEqual(at < 0 ? bytes : bytes.subarray(0, at + 1));
        expect(bytesOf(readBounded(path, 1000, { from }))).toEqual(bytes.subarray(Math.min(from, bytes.length)));
        expect(bytesOf(readBounded(path, 1000))).toEqual(bytes);
      }),
      { numRuns: 200 },
    );
  });
});
