// node tools/bench/rpc/load.mjs PORT [INFLIGHT] [SECONDS] [CALL]: drives a dubbo provider with a TS consumer (for
// profiling the consumer or, with provider.mjs, the provider; prints req/s).
import { DubboClient } from '@dubbo-ts/dubbo';
import { ECHO_PAYLOAD, EchoDescriptor, makeUser, UserServiceDescriptor } from './services.mjs';

const [port, inflight = '200', seconds = '3', callName = 'echo'] = process.argv.slice(2);
const client = new DubboClient({ timeout: 10_000 });
const users = client.reference(UserServiceDescriptor, { url: `127.0.0.1:${port}` });
const echo = client.reference(EchoDescriptor, { url: `127.0.0.1:${port}` });
const calls = {
  echo: () => echo.echo(ECHO_PAYLOAD),
  existUser: (i) => users.existUser(String(i)),
  createUser: (i) => users.createUser(makeUser(i)),
  getUser: (i) => users.getUser(i),
  listUser: (i) => users.listUser(i),
};
const call = calls[callName];
let n = 0;
let running = true;
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
console.log(`${callName} x${inflight}: ${(n / ((performance.now() - start) / 1000)).toFixed(0)} req/s`);
await Promise.all(loops);
await client.close();
