// Malformed input sent to a TS provider: an error response or a closed connection and a log line, never a crash;
// other connections keep working.
import { connect, type Socket } from 'node:net';
import { DubboClient, DubboServer } from '@dubbo-ts/dubbo';
import { type Logger, setLogger } from '@dubbo-ts/gost';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InteropServiceDescriptor, interopServiceImpl } from '../support/interop-service.js';

let server: DubboServer;
let client: DubboClient;
const warnings: string[] = [];
const logger: Logger = {
  debug() {},
  info() {},
  warn: (m: string) => void warnings.push(m),
  error: (m: string) => void warnings.push(m),
};

beforeAll(async () => {
  setLogger(logger);
  server = new DubboServer({ port: 0 });
  server.export(InteropServiceDescriptor, interopServiceImpl);
  await server.listen();
  client = new DubboClient({ timeout: 3000 });
});

afterAll(async () => {
  await client.close();
  await server.close();
});

interface Raw {
  sock: Socket;
  data: Buffer[];
  closed: Promise<void>;
}

function open(): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const sock = connect(server.port, '127.0.0.1');
    const data: Buffer[] = [];
    const closed = new Promise<void>((r) => sock.on('close', () => r()));
    sock.on('data', (d) => data.push(d));
    sock.on('error', () => {});
    sock.once('connect', () => resolve({ sock, data, closed }));
    sock.once('error', reject);
  });
}

function header(flag: number, id: number, len: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeUInt16BE(0xdabb, 0);
  h[2] = flag;
  h.writeUInt32BE(id, 8);
  h.writeInt32BE(len, 12);
  return h;
}

async function responseOf(raw: Raw): Promise<{ status: number; id: number; body: Buffer }> {
  for (let i = 0; i < 200; i++) {
    const all = Buffer.concat(raw.data);
    if (all.length >= 16 && all.length >= 16 + all.readInt32BE(12)) {
      return { status: all[3]!, id: all.readUInt32BE(8), body: all.subarray(16, 16 + all.readInt32BE(12)) };
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('no response');
}

async function stillServes(): Promise<void> {
  const svc = client.reference(InteropServiceDescriptor, { url: server.address });
  expect(await svc.echo('alive')).toBe('alive');
}

describe('malformed frames sent to the TS provider', () => {
  it('closes the connection on a bad magic, with a log line', async () => {
    await stillServes();
    const raw = await open();
    warnings.length = 0;
    raw.sock.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await raw.closed;
    expect(warnings.join('\n')).toMatch(/dabb|magic|undecodable/i);
    await stillServes();
  });

  it('closes the connection on a length over the payload limit', async () => {
    const raw = await open();
    warnings.length = 0;
    raw.sock.write(header(0xc2, 1, 9 * 1024 * 1024));
    await raw.closed;
    expect(warnings.length).toBeGreaterThan(0);
    await stillServes();
  });

  it('survives a truncated body and a peer that goes away', async () => {
    const raw = await open();
    raw.sock.write(Buffer.concat([header(0xc2, 2, 100), Buffer.from('0123456789')]));
    raw.sock.end();
    await raw.closed;
    await stillServes();
  });

  it('answers BAD_REQUEST to an unknown serialization id', async () => {
    const raw = await open();
    warnings.length = 0;
    raw.sock.write(Buffer.concat([header(0xc0 | 8, 3, 1), Buffer.from([0x4e])]));
    const r = await responseOf(raw);
    expect(r.status).toBe(40);
    expect(r.id).toBe(3);
    expect(r.body.toString('latin1')).toMatch(/serialization id 8/);
    expect(warnings.join('\n')).toMatch(/serialization id 8/);
    raw.sock.destroy();
    await stillServes();
  });

  it('answers BAD_REQUEST to a garbage body and keeps the connection', async () => {
    const raw = await open();
    warnings.length = 0;
    const body = Buffer.from([0x05, 0x32, 0x2e, 0x30, 0x2e, 0x32, 0xff, 0xfe, 0x01]);
    raw.sock.write(Buffer.concat([header(0xc2, 4, body.length), body]));
    const r = await responseOf(raw);
    expect(r.status).toBe(40);
    expect(r.id).toBe(4);
    expect(warnings.join('\n')).toMatch(/Decode rpc invocation failed/);
    // the same connection still answers a heartbeat
    raw.data.length = 0;
    raw.sock.write(Buffer.concat([header(0xe2, 5, 1), Buffer.from([0x4e])]));
    const hb = await responseOf(raw);
    expect(hb.status).toBe(20);
    expect(hb.id).toBe(5);
    raw.sock.destroy();
    await stillServes();
  });

  it('survives 300 seeded random frames (valid header, random body) without a crash', async () => {
    let seed = 12345;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const raw = await open();
    const chunks: Buffer[] = [];
    for (let i = 0; i < 300; i++) {
      const len = rnd() % 64;
      const body = Buffer.alloc(len);
      for (let j = 0; j < len; j++) body[j] = rnd() & 0xff;
      if (len > 6 && i % 2 === 0) Buffer.from('\x052.0.2', 'latin1').copy(body);
      chunks.push(header(0xc2, 1000 + i, len), body);
    }
    raw.sock.write(Buffer.concat(chunks));
    for (let i = 0; i < 300; i++) {
      const all = Buffer.concat(raw.data);
      let off = 0;
      let n = 0;
      while (all.length - off >= 16 && all.length - off >= 16 + all.readInt32BE(off + 12)) {
        off += 16 + all.readInt32BE(off + 12);
        n++;
      }
      if (n === 300) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    // every frame got exactly one response (BAD_REQUEST or a service error), in a bounded time
    const all = Buffer.concat(raw.data);
    let off = 0;
    let n = 0;
    while (all.length - off >= 16) {
      expect([40, 60, 70]).toContain(all[off + 3]);
      off += 16 + all.readInt32BE(off + 12);
      n++;
    }
    expect(n).toBe(300);
    raw.sock.destroy();
    await stillServes();
  });
});
