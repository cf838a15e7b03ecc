/**
 * The MCP server's stdin, bounded: JSON-RPC messages arrive one per line, and a client (untrusted,
 * docs/security.md) may send a line that never ends. Lines up to `maxBytes` pass through as they
 * are; a longer one is never held — its bytes are dropped as they come, up to its newline — and
 * `onTooLong` is called once with what can be told of it (its id, when its first bytes say it),
 * so the server answers with a JSON-RPC error and goes on serving. Memory stays within one line
 * of `maxBytes` whatever the client sends.
 */
import { Transform, type Readable } from 'node:stream';

/** A message longer than this is refused: the largest entry (16 MiB) with room for JSON escaping. */
export const MAX_MESSAGE_BYTES = 24 * 1024 * 1024;

export interface TooLong {
  /** The request's id when the line starts like `{"jsonrpc":"2.0","id":…` or `{"id":…`, else null. */
  id: string | number | null;
  /** Bytes of the line received (its newline excluded). */
  bytes: number;
}

const HEAD_BYTES = 512;
const ID = /^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"id"\s*:\s*(-?\d{1,15}|"(?:[^"\\\n]|\\.){0,200}")\s*[,}]/;

/** The id a truncated message names, read from its first bytes only. Pure. */
export function sniffId(head: string): string | number | null {
  const match = ID.exec(head);
  if (!match) return null;
  try {
    return JSON.parse(match[1]!) as string | number;
  } catch {
    return null;
  }
}

export function boundLines(input: Readable | NodeJS.ReadableStream, maxBytes: number, onTooLong: (tooLong: TooLong) => void): Readable {
  let parts: Buffer[] = [];
  let size = 0;
  // While a line is over the bound: its first bytes and how many came.
  let head: Buffer | null = null;
  let dropped = 0;
  const finishLong = () => {
    onTooLong({ id: sniffId(head!.toString('utf8')), bytes: dropped });
    head = null;
    dropped = 0;
  };
  const take = (piece: Buffer) => {
    if (head !== null) {
      dropped += piece.length;
      return;
    }
    if (size + piece.length > maxBytes) {
      // Only the first bytes are kept (copied, so the rest can go): enough to find the id.
      const first: Buffer[] = [];
      let kept = 0;
      for (const part of [...parts, piece]) {
        if (kept >= HEAD_BYTES) break;
        first.push(part.subarray(0, HEAD_BYTES - kept));
        kept += Math.min(part.length, HEAD_BYTES - kept);
      }
      head = Buffer.concat(first);
      dropped = size + piece.length;
      parts = [];
      size = 0;
      return;
    }
    parts.push(piece);
    size += piece.length;
  };
  const lines = new Transform({
    transform(chunk: Buffer | string, _encoding, callback) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      let at = 0;
      for (let nl = buffer.indexOf(10, at); nl !== -1; nl = buffer.indexOf(10, at)) {
        take(buffer.subarray(at, nl));
        at = nl + 1;
        if (head !== null) finishLong();
        else {
          this.push(Buffer.concat([...parts, Buffer.from('\n')]));
          parts = [];
          size = 0;
        }
      }
      if (at < buffer.length) take(buffer.subarray(at));
      callback();
    },
    flush(callback) {
      if (head !== null) finishLong();
      else if (size > 0) this.push(Buffer.concat(parts));
      callback();
    },
  });
  (input as Readable).pipe(lines);
  (input as Readable).on('error', (error: Error) => lines.destroy(error));
  return lines;
}

/** The JSON-RPC error a discarded message gets (Invalid Request; id null when it could not be read). */
export function tooLongAnswer(tooLong: TooLong, maxBytes: number) {
  return {
    jsonrpc: '2.0' as const,
    id: tooLong.id,
    error: { code: -32600, message: `The message is longer than ${maxBytes} bytes (${tooLong.bytes} received); cos mcp reads at most that much per message, so it was discarded.` },
  };
}
