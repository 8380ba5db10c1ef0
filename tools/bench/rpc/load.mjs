// node tools/bench/rpc/load.mjs PORT[,PORT...] [INFLIGHT] [SECONDS] [CALL] [--direct]: drives dubbo providers with a
// TS consumer (for profiling the consumer or, with provider.mjs, the provider; prints req/s). By default through
// the invocation layers (one DubboClient reference, several ports joined by ';'); --direct calls the proxy over
// the bare protocol invoker (no cluster, directory, balancer: see layers.mjs), round robin over the ports.
import { DubboClient } from '@dubbo-ts/dubbo';
import { directProtocol, directReference, layeredReference } from './layers.mjs';
import { ECHO_PAYLOAD, EchoDescriptor, makeUser, UserServiceDescriptor } from './services.mjs';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const direct = process.argv.includes('--direct');
const [portList, inflight = '200', seconds = '3', callName = 'echo'] = args;
const ports = portList.split(',').map(Number);
const client = new DubboClient({ timeout: 10_000 });
const protocol = directProtocol();
const refs = (d) =>
  direct ? ports.map((p) => directReference(protocol, d, p, 10_000)) : [layeredReference(client, d, ports)];
const users = refs(UserServiceDescriptor);
const echo = refs(EchoDescriptor);
let rr = 0;
const pick = (xs) => (xs.length === 1 ? xs[0] : xs[rr++ % xs.length]);
const calls = {
  echo: () => pick(echo).echo(ECHO_PAYLOAD),
  existUser: (i) => pick(users).existUser(String(i)),
  createUser: (i) => pick(users).createUser(makeUser(i)),
  getUser: (i) => pick(users).getUser(i),
  listUser: (i) => pick(users).listUser(i),
};
const call = calls[callName];
let n = 0;
let running = true;
const cpu0 = process.cpuUsage();
const start = performance.now();
const loops = Array.from({ length: Number(inflight) }, async () => {
  let i = 0;
  while (running) {
    await call(i++);
    n++;
  }
});
await new Promise((r) => setTimeout(r, Number(seconds) * 1000));
running = false;
const cpu = process.cpuUsage(cpu0);
const label = `${direct ? 'direct' : 'layers'} x${ports.length}`;
const cpuPerCall = (cpu.user + cpu.system) / n;
console.log(
  `${callName} x${inflight} ${label}: ${(n / ((performance.now() - start) / 1000)).toFixed(0)} req/s, this process's CPU ${cpuPerCall.toFixed(2)} us/call`,
);
await Promise.all(loops);
await client.close();
await protocol.destroy();
