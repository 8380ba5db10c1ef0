import type { Session } from './session.js';

/**
 * One decoded package and how many input bytes it used. The engine reads both fields right after `read`
 * returns and never keeps the object, so a codec may reuse one mutable instance to allocate nothing.
 */
export interface Decoded<P> {
  /** The package. It may be a view (`subarray`) of the input bytes: they are not reused by the engine. */
  pkg: P;
  /** Bytes consumed from the start of the input, > 0. */
  length: number;
}

/**
 * What {@link Codec.read} returns: a {@link Decoded} package, or "need more bytes" as `null`/`undefined`/`0`,
 * or as a positive number: the total bytes the package at the start of the input needs (a hint that lets the
 * engine wait for them without re-trying, and reject an oversize package from its header alone).
 */
export type ReadResult<P> = Decoded<P> | number | null | undefined;

/**
 * Turns bytes into packages and back (getty's ReadWriter). The engine handles packets split or stuck together:
 * `read` always gets the unconsumed bytes from the start of the next package.
 */
export interface Codec<P> {
  /**
   * Decodes one package from the start of `bytes`. Throw to report undecodable input (the session closes with
   * `GETTY_ERR_DECODE`). Never keep `bytes` beyond the returned package.
   */
  read(session: Session<P>, bytes: Buffer): ReadResult<P>;
  /**
   * Optional: {@link Codec.read} over the unconsumed bytes `bytes[offset, end)` of a larger buffer. When present the
   * engine calls it instead of `read`, and makes no view (`subarray`) per package: a codec whose packages keep
   * offsets into the input saves an allocation per package. Same rules as `read`; lengths count from `offset`.
   */
  readAt?(session: Session<P>, bytes: Buffer, offset: number, end: number): ReadResult<P>;
  /**
   * Encodes a package. The engine may hold the returned bytes until they are flushed, so do not mutate them
   * afterwards. Throwing rejects that write with `GETTY_ERR_ENCODE`. A codec that encodes into a large buffer and
   * returns views of it one after another (never writing over a view it returned) lets the engine write a merged
   * batch as one view, with no copy.
   */
  write(session: Session<P>, pkg: P): Uint8Array;
  /**
   * Optional: encodes a package into a buffer the codec owns and reports where it is in `out` (a reused object:
   * set its three fields), so the engine makes no view per package. The engine uses it instead of `write` when it
   * merges writes (TCP/TLS with `writeMerge`), and writes ranges that follow each other in one buffer as one
   * view. The codec must never change bytes of a range it reported (encode into fresh space each time).
   */
  writeRange?(session: Session<P>, pkg: P, out: EncodedRange): void;
}

/** Where {@link Codec.writeRange} put a package: `buf[start, end)`. */
export interface EncodedRange {
  /** The buffer holding the bytes. */
  buf: Uint8Array;
  /** Offset of the first byte. */
  start: number;
  /** Offset after the last byte. */
  end: number;
}
