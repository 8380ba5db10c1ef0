// A TS provider of UserService and InteropService.echo for the rpc bench (and for Java consumers by hand):
// node tools/bench/rpc/provider.mjs [PORT] [COUNT]  serves on COUNT ports (PORT, PORT+1...; 0: any) in this one
// process, prints "READY <port> [<port>...]" and serves until killed.
import { DubboServer } from '@dubbo-ts/dubbo';
import { EchoDescriptor, echoImpl, UserServiceDescriptor, userServiceImpl } from './services.mjs';

const base = Number(process.argv[2] ?? 0);
const count = Number(process.argv[3] ?? 1);
const ports = [];
for (let k = 0; k < count; k++) {
  const server = new DubboServer({ port: base === 0 ? 0 : base + k });
  server.export(UserServiceDescriptor, userServiceImpl);
  server.export(EchoDescriptor, echoImpl);
  await server.listen();
  ports.push(server.port);
}
console.log(`READY ${ports.join(' ')}`);
process.on('SIGINT', () => process.exit(0)); // exit normally (so --cpu-prof writes its profile)
