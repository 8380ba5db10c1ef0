// The framed echo the getty and rpc benches send: a 16-byte header whose bytes 12-15 hold the body length.

/** Length of the frame header. */
export const HEADER = 16;

/** The bench protocol as a getty codec: the package is the whole frame (a view of the input). */
export class FrameCodec {
  out = { pkg: null, length: 0 };
  read(_s, bytes) {
    if (bytes.length < HEADER) return HEADER;
    const total = HEADER + bytes.readUInt32BE(12);
    if (bytes.length < total) return total;
    this.out.pkg = total === bytes.length ? bytes : bytes.subarray(0, total);
    this.out.length = total;
    return this.out;
  }
  write(_s, frame) {
    return frame;
  }
}
