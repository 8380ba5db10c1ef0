import { HessianDecodeError } from './errors.js';
import { type DecoderOptions, Hessian2Decoder } from './hessian2-decoder.js';
import { type EncoderOptions, Hessian2Encoder } from './hessian2-encoder.js';

let shared: Hessian2Encoder | undefined;

/**
 * Encodes one value to a new Buffer (a reused internal encoder does the work, so this allocates only the result).
 * See {@link Hessian2Encoder.writeValue} for the JS-to-Java mapping.
 */
export function encode(value: unknown, options?: EncoderOptions): Buffer {
  const enc = options ? new Hessian2Encoder(options) : (shared ??= new Hessian2Encoder({ initialSize: 8192 }));
  enc.reset();
  try {
    enc.writeValue(value);
    return enc.toBuffer();
  } finally {
    if (enc.buf.length > 1 << 20) shared = undefined; // do not pin a huge buffer
  }
}

/** Options of {@link decode}. */
export interface DecodeOptions extends DecoderOptions {
  /** Start of the value in `bytes`. @defaultValue 0 */
  offset?: number;
  /** Bytes available from `offset`. @defaultValue to the end */
  length?: number;
  /** Fail with `HESSIAN_ERR_MALFORMED` if bytes remain after the value. @defaultValue true */
  strict?: boolean;
}

/** Decodes one value from `bytes` (no copy of the input). Throws {@link HessianDecodeError} on bad input. */
export function decode(bytes: Uint8Array, options: DecodeOptions = {}): unknown {
  const dec = new Hessian2Decoder(bytes, options, options.offset ?? 0, options.length);
  const v = dec.readValue();
  if ((options.strict ?? true) && dec.remaining > 0) {
    throw new HessianDecodeError(
      'HESSIAN_ERR_MALFORMED',
      `${dec.remaining} trailing bytes after the value`,
      dec.consumed,
    );
  }
  return v;
}
