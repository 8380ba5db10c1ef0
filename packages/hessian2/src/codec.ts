import { HessianDecodeError } from './errors.js';
import { type DecoderOptions, Hessian2Decoder } from './hessian2-decoder.js';
import { type EncoderOptions, Hessian2Encoder } from './hessian2-encoder.js';

let shared: Hessian2Encoder | undefined;
const perRegistry = new WeakMap<object, Hessian2Encoder>();

function encoderFor(options: EncoderOptions | undefined): Hessian2Encoder {
  if (!options) return (shared ??= new Hessian2Encoder({ initialSize: 8192 }));
  if (!options.registry || options.initialSize !== undefined) return new Hessian2Encoder(options);
  let enc = perRegistry.get(options.registry);
  if (!enc)
    perRegistry.set(options.registry, (enc = new Hessian2Encoder({ registry: options.registry, initialSize: 8192 })));
  return enc;
}

/**
 * Encodes one value to a new Buffer (a reused internal encoder does the work, so this allocates only the result).
 * See {@link Hessian2Encoder.writeValue} for the JS-to-Java mapping.
 */
export function encode(value: unknown, options?: EncoderOptions): Buffer {
  const enc = encoderFor(options);
  if (enc.length > 0) return new Hessian2Encoder(options).writeAll(value); // re-entered (e.g. from a toWire hook)
  try {
    enc.writeValue(value);
    return enc.toBuffer();
  } finally {
    enc.reset();
    if (enc.buf.length > 1 << 20) {
      // do not pin a huge buffer
      if (enc === shared) shared = undefined;
      else if (options?.registry) perRegistry.delete(options.registry);
    }
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
