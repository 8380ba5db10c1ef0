// Exact bytes of the dubbo frame header and bodies (ExchangeCodec / DubboCodec of Java 3.3).
import { ResponseStatus, RpcInvocation, RpcResult } from '@dubbo-ts/dubbo';
import type { Session } from '@dubbo-ts/getty';
import { Hessian2Decoder, JavaException } from '@dubbo-ts/hessian2';
import { describe, expect, it } from 'vitest';
import {
  buildRequestPlan,
  decodeRequestBody,
  decodeResponseBody,
  RequestMemo,
} from '../../src/protocol/dubbo/body-codec.js';
import { DubboCodec } from '../../src/protocol/dubbo/dubbo-codec.js';
import { writerFor } from '../../src/protocol/dubbo/java-type.js';
import { type DubboFrame, DubboRequest, DubboResponse } from '../../src/protocol/dubbo/packet.js';

const session = null as unknown as Session<never>;
const codec = new DubboCodec();
const read = (b: Buffer) => codec.read(session as never, b);

function frameOf(bytes: Buffer): DubboFrame {
  const r = read(bytes);
  if (typeof r !== 'object' || r === null) throw new Error(`no frame: ${String(r)}`);
  expect(r.length).toBe(bytes.length);
  return r.pkg as DubboFrame;
}

describe('DubboCodec', () => {
  it('writes a heartbeat request as Java does: event flag, hessian null body', () => {
    const b = codec.encode(new DubboRequest(5, null, true, true));
    expect(b.toString('hex')).toBe('dabbe200000000000000000500000001' + '4e');
  });

  it('writes a heartbeat response with status OK and a null body', () => {
    const r = new DubboResponse(0x1_0000_0002);
    r.event = true;
    expect(codec.encode(r).toString('hex')).toBe('dabb2214000000010000000200000001' + '4e');
  });

  it('writes a request body: version 2.0.2, path, version, method, descriptor, args, attachments', () => {
    const inv = new RpcInvocation('greet', 'Ljava/lang/String;J', ['hi', 1], { path: 'a.B', interface: 'a.B' }, 'a.B');
    const req = new DubboRequest(1, inv);
    const writers = [writerFor('java.lang.String'), writerFor('long')];
    req.plan = buildRequestPlan('a.B', '', 'greet', 'Ljava/lang/String;J', writers, inv.attachmentsForReading, 1000);
    const b = codec.encode(req);
    expect(b.readUInt16BE(0)).toBe(0xdabb);
    expect(b[2]).toBe(0xc2); // request | two-way | hessian2
    expect(b.readInt32BE(12)).toBe(b.length - 16);
    const body = b.subarray(16);
    expect(body.subarray(0, 6).toString('latin1')).toBe('\x052.0.2');
    const dec = new Hessian2Decoder(body);
    const back = decodeRequestBody(dec);
    expect(back.path).toBe('a.B');
    expect(back.version).toBe(''); // written as 0.0.0
    expect(back.methodName).toBe('greet');
    expect(back.parameterTypesDesc).toBe('Ljava/lang/String;J');
    expect(back.arguments).toEqual(['hi', expect.anything()]);
    expect(String(back.arguments[1])).toBe('1'); // a Java long on the wire (0xe1), read back as a long
    expect(back.attachments.interface).toBe('a.B');
    expect(back.attachments.dubbo).toBe('2.0.2');
  });

  it('decodes requests with a per-connection memo exactly as without one', () => {
    const body = (method: string, arg: string, attachments: Record<string, unknown>, version = '') => {
      const inv = new RpcInvocation(method, 'Ljava/lang/String;', [arg], attachments, 'a.B', version);
      return codec.encode(new DubboRequest(1, inv)).subarray(16);
    };
    const memo = new RequestMemo();
    const dec = new Hessian2Decoder();
    const both = (b: Buffer) => {
      const plain = decodeRequestBody(dec.reset(b));
      const memoized = decodeRequestBody(dec.reset(b), b, memo);
      expect(memoized).toEqual(plain);
      expect(dec.remaining).toBe(0);
      return memoized;
    };
    const first = both(body('greet', 'x', { path: 'a.B', timeout: '1000' }));
    const second = both(body('greet', 'y', { path: 'a.B', timeout: '1000' }));
    expect(second.arguments).toEqual(['y']);
    // each invocation owns its attachments: changing one changes no later one
    second.attachments.timeout = 'changed';
    expect(first.attachments).not.toBe(second.attachments);
    expect(both(body('greet', 'z', { path: 'a.B', timeout: '1000' })).attachments.timeout).toBe('1000');
    // another method, version, attachment value, or a non-primitive attachment
    expect(both(body('other', 'x', { path: 'a.B', timeout: '1000' })).methodName).toBe('other');
    expect(both(body('other', 'x', { path: 'a.B', timeout: '1000' }, '1.0.0')).version).toBe('1.0.0');
    expect(both(body('other', 'x', { path: 'a.B', timeout: '2000' }, '1.0.0')).attachments.timeout).toBe('2000');
    expect(both(body('other', 'x', { path: 'a.B', list: [1, 2] }, '1.0.0')).attachments.list).toEqual([1, 2]);
    expect(both(body('other', 'x', { path: 'a.B', list: [1, 2] }, '1.0.0')).attachments.list).toEqual([1, 2]);
    expect(both(body('other', 'x', {}, '1.0.0')).attachments).toEqual({ dubbo: '2.0.2', path: 'a.B' });
    // heads and attachments that differ from the remembered ones in one byte anywhere (same lengths), with the
    // bodies at every alignment of their buffer
    const long = 'abcdefghijklmnopqrstuvwxyz0123456789';
    for (let i = 0; i < long.length; i++) {
      const m = long.slice(0, i) + long[i]!.toUpperCase() + long.slice(i + 1);
      for (const method of [long, m]) {
        for (const tv of [long, m]) {
          const b = body(method, 'x', { path: 'a.B', t: tv });
          const shifted = Buffer.alloc(b.length + (i % 4));
          b.copy(shifted, i % 4);
          const got = both(shifted.subarray(i % 4));
          expect(got.methodName).toBe(method);
          expect(got.attachments.t).toBe(tv);
        }
      }
    }
  });

  it('answers with the 64-bit request id bit for bit (Java consumers use negative ids)', () => {
    const req = Buffer.from('dabbe2009eef1234567890ab00000001' + '4e', 'hex');
    const f = frameOf(req);
    const res = new DubboResponse(f);
    res.event = true;
    expect(codec.encode(res).subarray(4, 12).toString('hex')).toBe('9eef1234567890ab');
  });

  it('reads frames split at any byte and asks for the exact length from the header', () => {
    const b = codec.encode(new DubboRequest(7, null, true, true));
    expect(read(b.subarray(0, 3))).toBe(16);
    expect(read(b.subarray(0, 16))).toBe(17);
    const f = frameOf(b);
    expect(f.id).toBe(7);
    expect(f.isRequest && f.isTwoWay && f.isEvent).toBe(true);
    expect(f.serializationId).toBe(2);
  });

  it('refuses a bad magic and an oversize body from the header', () => {
    expect(() => read(Buffer.from('GET / HTTP/1.1\r\n\r\n'))).toThrow(
      expect.objectContaining({ code: 'DUBBO_ERR_BAD_MAGIC' }),
    );
    const h = Buffer.alloc(16);
    h.writeUInt16BE(0xdabb, 0);
    h[2] = 0xc2;
    h.writeInt32BE(8 * 1024 * 1024 + 1, 12);
    expect(() => read(h)).toThrow(expect.objectContaining({ code: 'DUBBO_ERR_PAYLOAD_LIMIT' }));
  });

  it('writes and reads the six response kinds', () => {
    const cases: [RpcResult, boolean, number][] = [
      [new RpcResult('v'), false, 1],
      [new RpcResult(null), false, 2],
      [new RpcResult(null, new JavaException('java.lang.IllegalStateException', 'x')), false, 0],
      [new RpcResult('v', null, { k: 'a' }), true, 4],
      [new RpcResult(null, null, { k: 'a' }), true, 5],
      [new RpcResult(null, new JavaException('java.lang.IllegalStateException', 'x'), { k: 'a' }), true, 3],
    ];
    for (const [result, attach, kind] of cases) {
      const res = new DubboResponse(9);
      res.result = result;
      res.withAttachments = attach;
      const b = codec.encode(res);
      expect(b[2]).toBe(0x02);
      expect(b[3]).toBe(20);
      expect(b[16]).toBe(0x90 + kind); // the kind is a hessian int
      const f = frameOf(b);
      const back = decodeResponseBody(new Hessian2Decoder(f.body), f);
      expect(back.value).toEqual(result.value);
      if (result.exception) {
        expect((back.exception as JavaException).javaClass).toBe('java.lang.IllegalStateException');
      } else expect(back.exception).toBeNull();
      if (attach) expect(back.attachments).toEqual({ k: 'a', dubbo: '2.0.2' });
      else expect(back.attachments).toEqual({});
    }
  });

  it('maps error statuses to typed errors carrying the message', () => {
    for (const [status, code] of [
      [ResponseStatus.SERVICE_NOT_FOUND, 'DUBBO_ERR_SERVICE_NOT_FOUND'],
      [ResponseStatus.BAD_REQUEST, 'DUBBO_ERR_BAD_REQUEST'],
      [ResponseStatus.SERVER_THREADPOOL_EXHAUSTED_ERROR, 'DUBBO_ERR_SERVER_THREADPOOL_EXHAUSTED'],
      [ResponseStatus.SERVER_TIMEOUT, 'DUBBO_ERR_SERVER_TIMEOUT'],
      [ResponseStatus.SERVICE_ERROR, 'DUBBO_ERR_SERVICE_ERROR'],
    ] as const) {
      const res = new DubboResponse(1, status);
      res.errorMessage = 'why';
      const f = frameOf(codec.encode(res));
      expect(f.status).toBe(status);
      expect(() => decodeResponseBody(new Hessian2Decoder(f.body), f)).toThrow(
        expect.objectContaining({ code, message: 'why', status }),
      );
    }
  });

  it('replaces a response over the payload limit with BAD_RESPONSE', () => {
    const small = new DubboCodec({ payload: 64 });
    const res = new DubboResponse(3);
    res.result = new RpcResult('x'.repeat(100));
    const f = frameOf(small.encode(res));
    expect(f.status).toBe(ResponseStatus.BAD_RESPONSE);
    expect(() => decodeResponseBody(new Hessian2Decoder(f.body), f)).toThrow(/Data length too large/);
  });

  it('refuses to write a request over the payload limit', () => {
    const small = new DubboCodec({ payload: 64 });
    const inv = new RpcInvocation('m', 'Ljava/lang/String;', ['x'.repeat(100)], {}, 'p');
    expect(() => small.encode(new DubboRequest(1, inv))).toThrow(
      expect.objectContaining({ code: 'DUBBO_ERR_PAYLOAD_LIMIT' }),
    );
  });

  it('writes values as the Java types of the descriptor', () => {
    const res = new DubboResponse(1);
    res.result = new RpcResult(3);
    res.withAttachments = false;
    res.returnWriter = writerFor('double');
    const b = codec.encode(res);
    // kind VALUE (0x91), then 3.0 as a double (hessian 0x5d 03 = one-byte double), not the int 0x93
    expect(b.subarray(16).toString('hex')).toBe('915d03');
  });

  it('hands out frames back to back in one slab and never writes over a frame it handed out', () => {
    const c = new DubboCodec();
    const frames: Buffer[] = [];
    const copies: Buffer[] = [];
    for (let i = 0; i < 400; i++) {
      // ~600-byte and ~3 KiB requests: the slab fills and a new one starts several times
      const inv = new RpcInvocation('m', 'Ljava/lang/String;', [String(i).repeat(i % 7 === 0 ? 1000 : 150)], {}, 'p');
      const f = c.encode(new DubboRequest(i, inv));
      frames.push(f);
      copies.push(Buffer.from(f));
    }
    let adjacent = 0;
    for (let i = 0; i < frames.length; i++) {
      expect(frames[i]!.equals(copies[i]!)).toBe(true);
      const prev = frames[i - 1];
      if (prev !== undefined && prev.buffer === frames[i]!.buffer) {
        expect(frames[i]!.byteOffset).toBe(prev.byteOffset + prev.length);
        adjacent++;
      }
      const inv = decodeRequestBody(new Hessian2Decoder(frameOf(frames[i]!).body));
      expect(inv.arguments[0]).toBe(String(i).repeat(i % 7 === 0 ? 1000 : 150));
    }
    expect(adjacent).toBeGreaterThan(300);
  });

  it('encodes the frame after a refused one intact, and frames larger than a slab', () => {
    const c = new DubboCodec({ payload: 200_000 });
    const ok = new RpcInvocation('m', 'Ljava/lang/String;', ['a'], {}, 'p');
    const first = c.encode(new DubboRequest(1, ok));
    const copy = Buffer.from(first);
    const big = new RpcInvocation('m', 'Ljava/lang/String;', ['b'.repeat(300_000)], {}, 'p');
    expect(() => c.encode(new DubboRequest(2, big))).toThrow(
      expect.objectContaining({ code: 'DUBBO_ERR_PAYLOAD_LIMIT' }),
    );
    const next = c.encode(new DubboRequest(3, ok));
    expect(first.equals(copy)).toBe(true);
    expect(frameOf(next).id).toBe(3);
    const large = new RpcInvocation('m', 'Ljava/lang/String;', ['c'.repeat(150_000)], {}, 'p');
    const l1 = c.encode(new DubboRequest(4, large));
    const l2 = c.encode(new DubboRequest(5, large));
    expect(l1.readInt32BE(12)).toBe(l1.length - 16);
    expect(decodeRequestBody(new Hessian2Decoder(frameOf(l1).body)).arguments[0]).toBe('c'.repeat(150_000));
    expect(decodeRequestBody(new Hessian2Decoder(frameOf(l2).body)).arguments[0]).toBe('c'.repeat(150_000));
    expect(first.equals(copy)).toBe(true);
  });
});
