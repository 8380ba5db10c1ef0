// A TS provider of UserService and InteropService.echo for the rpc bench (and for Java consumers by hand):
// node tools/bench/rpc/provider.mjs [PORT]  prints "READY <port>" and serves until killed.
import { DubboServer } from '@dubbo-ts/dubbo';
import { EchoDescriptor, echoImpl, UserServiceDescriptor, userServiceImpl } from './services.mjs';

const server = new DubboServer({ port: Number(process.argv[2] ?? 0) });
server.export(UserServiceDescriptor, userServiceImpl);
server.export(EchoDescriptor, echoImpl);
await server.listen();
console.log(`READY ${server.port}`);
process.on('SIGINT', () => process.exit(0)); // exit normally (so --cpu-prof writes its profile)
