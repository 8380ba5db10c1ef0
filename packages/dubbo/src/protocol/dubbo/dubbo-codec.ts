import type { Codec, Decoded, EncodedRange, Session } from '@dubbo-ts/getty';
import { type ClassRegistry, Hessian2Encoder } from '@dubbo-ts/hessian2';
import { DubboError } from '../../errors.js';
import { encodeRequestBody, encodeResponseBody } from './body-codec.js';
import {
  DEFAULT_PAYLOAD,
  FLAG_EVENT,
  FLAG_REQUEST,
  FLAG_TWO_WAY,
  HEADER_LENGTH,
  HESSIAN2_SERIALIZATION_ID,
} from './constants.js';
import { DubboFrame, DubboRequest, DubboResponse } from './packet.js';
import { ResponseStatus } from './status.js';

/** What travels through a dubbo getty session: frames in, requests and responses out. */
export type DubboPacket = DubboFrame | DubboRequest | DubboResponse;

/** Options of {@link DubboCodec}. */
export interface DubboCodecOptions {
  /** Largest body accepted or sent, in bytes (Java's `payload`). @defaultValue 8388608 (8 MiB) */
  payload?: number;
  /** Registry of the Java classes written. @defaultValue hessian2's `defaultRegistry` */
  registry?: ClassRegistry;
}

const TWO32 = 4294967296;

/**
 * The dubbo protocol framing as a getty {@link Codec}: the 16-byte header (magic `0xdabb`, flags, status,
 * 64-bit id, body length) and hessian2 bodies. `read` returns a {@link DubboFrame} whose body is a view of the
 * input (decoded later, off the I/O path); `write` encodes a {@link DubboRequest} or {@link DubboResponse}
 * through one reusable encoder.
 *
 * A frame with a bad magic throws (getty closes the session with `GETTY_ERR_DECODE`); a body over the payload
 * limit is refused from its header (getty's `maxPackageLength`, set to `payload + 16` by the endpoints).
 * A response body over the limit is replaced by a `BAD_RESPONSE` error response, as Java does; a request body
 * over it throws `DUBBO_ERR_PAYLOAD_LIMIT`.
 */
export class DubboCodec implements Codec<DubboPacket> {
  /** The payload limit in bytes. */
  readonly payload: number;
  /** The last error `write` threw (read by the endpoints to fail the call that caused it). */
  lastWriteError: Error | null = null;
  private readonly enc: Hessian2Encoder;
  private readonly decoded: Decoded<DubboPacket> = { pkg: null as unknown as DubboPacket, length: 0 };
  /** Size of the last frame encoded (a slab is started with room for twice as much). */
  private lastSize = 0;
  /** Size of the current slab. */
  private slabSize = FIRST_SLAB;

  constructor(options: DubboCodecOptions = {}) {
    this.payload = options.payload ?? DEFAULT_PAYLOAD;
    this.enc = new Hessian2Encoder({ registry: options.registry, initialSize: FIRST_SLAB });
  }

  read(session: Session<DubboPacket>, bytes: Buffer): Decoded<DubboPacket> | number {
    return this.readAt(session, bytes, 0, bytes.length);
  }

  /** {@link read} over `bytes[offset, end)`: the frame keeps offsets into `bytes` (no view is made). */
  readAt(_session: Session<DubboPacket>, bytes: Buffer, offset: number, end: number): Decoded<DubboPacket> | number {
    const avail = end - offset;
    if (avail < HEADER_LENGTH) {
      if (avail >= 2 && (bytes[offset] !== 0xda || bytes[offset + 1] !== 0xbb)) throw badMagic(bytes, offset);
      return HEADER_LENGTH;
    }
    if (bytes[offset] !== 0xda || bytes[offset + 1] !== 0xbb) throw badMagic(bytes, offset);
    const len = bytes.readInt32BE(offset + 12);
    if (len < 0 || len > this.payload) {
      throw new DubboError('DUBBO_ERR_PAYLOAD_LIMIT', `frame body of ${len} bytes exceeds payload ${this.payload}`);
    }
    const total = HEADER_LENGTH + len;
    if (avail < total) return total;
    const d = this.decoded;
    d.pkg = new DubboFrame(
      bytes[offset + 2]!,
      bytes[offset + 3]!,
      bytes.readInt32BE(offset + 4),
      bytes.readUInt32BE(offset + 8),
      bytes,
      offset + HEADER_LENGTH,
      offset + total,
    );
    d.length = total;
    return d;
  }

  write(_session: Session<DubboPacket>, pkg: DubboPacket): Uint8Array {
    try {
      return this.encode(pkg);
    } catch (err) {
      this.lastWriteError = err as Error;
      throw err;
    }
  }

  /** {@link write} without a view: reports where the frame is in the slab (see {@link encode}). */
  writeRange(_session: Session<DubboPacket>, pkg: DubboPacket, out: EncodedRange): void {
    try {
      out.start = this.encodeFrame(pkg);
    } catch (err) {
      this.lastWriteError = err as Error;
      throw err;
    }
    out.buf = this.enc.buf;
    out.end = this.enc.length;
  }

  /**
   * Encodes a request or response (header and body). The frame is a view of a slab the encoder fills from start to
   * end and never writes again: frames encoded one after another sit back to back, so getty writes a batch of them
   * as one view, with no copy per frame and none per batch.
   */
  encode(pkg: DubboPacket): Buffer {
    const start = this.encodeFrame(pkg);
    return this.enc.buf.subarray(start, this.enc.length);
  }

  /** Encodes a frame at the end of the slab; returns its start (its end is the encoder's length). */
  private encodeFrame(pkg: DubboPacket): number {
    const enc = this.enc;
    if (enc.buf.length - enc.length < Math.max(MIN_ROOM, this.lastSize)) {
      // Slabs double up to MAX_SLAB as they fill: an idle connection keeps a small one, a busy one writes its
      // batches from one buffer.
      this.slabSize = Math.min(this.slabSize * 2, MAX_SLAB);
      enc.buf = Buffer.allocUnsafeSlow(Math.max(this.slabSize, 2 * this.lastSize));
      enc.length = 0;
    }
    enc.resetTables();
    const start = enc.length;
    enc.length = start + HEADER_LENGTH; // the header is written last, over these bytes
    let flag = HESSIAN2_SERIALIZATION_ID;
    let status = 0;
    let idHi: number;
    let idLo: number;
    if (pkg instanceof DubboRequest) {
      flag |= FLAG_REQUEST;
      idHi = Math.floor(pkg.id / TWO32);
      idLo = pkg.id - idHi * TWO32;
      if (pkg.twoWay) flag |= FLAG_TWO_WAY;
      const data = pkg.data;
      if (pkg.event || data === null || typeof data === 'string') {
        flag |= FLAG_EVENT;
        if (typeof data === 'string') enc.writeString(data);
        else enc.writeNull();
      } else {
        encodeRequestBody(enc, data, pkg.plan);
      }
      if (enc.length - start - HEADER_LENGTH > this.payload) {
        const n = enc.length - start - HEADER_LENGTH;
        enc.length = start;
        throw new DubboError('DUBBO_ERR_PAYLOAD_LIMIT', `request body of ${n} bytes exceeds payload ${this.payload}`);
      }
    } else if (pkg instanceof DubboResponse) {
      if (pkg.event) flag |= FLAG_EVENT;
      status = pkg.status;
      idHi = pkg.idHi;
      idLo = pkg.idLo;
      try {
        encodeResponseBody(enc, pkg);
      } catch (err) {
        enc.length = start;
        return this.encodeFrame(
          errorResponse(pkg, ResponseStatus.BAD_RESPONSE, `failed to encode the response: ${err}`),
        );
      }
      if (enc.length - start - HEADER_LENGTH > this.payload) {
        const msg = `Data length too large: ${enc.length - start - HEADER_LENGTH}, max payload: ${this.payload}`;
        enc.length = start;
        return this.encodeFrame(errorResponse(pkg, ResponseStatus.BAD_RESPONSE, msg));
      }
    } else {
      enc.length = start;
      throw new DubboError('DUBBO_ERR_INVALID_ARG', 'only DubboRequest and DubboResponse can be written');
    }
    const b = enc.buf;
    const n = enc.length - start;
    this.lastSize = n;
    b[start] = 0xda;
    b[start + 1] = 0xbb;
    b[start + 2] = flag;
    b[start + 3] = status;
    b.writeInt32BE(idHi, start + 4);
    b.writeUInt32BE(idLo, start + 8);
    b.writeInt32BE(n - HEADER_LENGTH, start + 12);
    return start;
  }
}

/** Size of the first encoding slab. */
const FIRST_SLAB = 4096;
/** Largest encoding slab (a larger frame gets a slab of twice its size). */
const MAX_SLAB = 262144;
/** A frame starts a new slab when less room than this (or than the previous frame took) is left. */
const MIN_ROOM = 2048;

function errorResponse(res: DubboResponse, status: ResponseStatus, message: string): DubboResponse {
  const r = new DubboResponse(0, status);
  r.idHi = res.idHi;
  r.idLo = res.idLo;
  r.event = res.event;
  r.errorMessage = message;
  return r;
}

function badMagic(bytes: Buffer, offset: number): DubboError {
  return new DubboError(
    'DUBBO_ERR_BAD_MAGIC',
    `not a dubbo frame: starts with 0x${bytes.subarray(offset, Math.min(offset + 4, bytes.length)).toString('hex')}`,
  );
}
