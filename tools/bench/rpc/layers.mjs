// The two consumer paths the rpc bench compares (and tools/bench/rpc/load.mjs profiles):
//   layers  DubboClient.reference: proxy -> failover cluster invoker -> StaticDirectory (one provider URL, or
//           several joined by ';') -> router chain (empty) -> random balancer -> ProviderInvoker (stats) ->
//           DubboInvoker -> ExchangeClient;
//   direct  the path without layers: the same proxy (createProxy) over the protocol's bare DubboInvoker of one
//           provider, as a reference was before the invocation layers (proxy -> exchange).
// Both write the same bytes: the same path, attachments (interface, remote.application) and timeout.
import { DubboUrl } from '@dubbo-ts/dubbo';
import { createProxy, DubboProtocol } from '@dubbo-ts/dubbo/extension';

/** What DubboClient sends as `remote.application` when the client names none. */
const APPLICATION = 'dubbo-ts-consumer';

/**
 * A proxy over the bare protocol invoker of the provider at 127.0.0.1:`port` (no cluster, directory, router,
 * balancer or stats). `protocol` owns the connection (one per address, as a client's does).
 */
export function directReference(protocol, descriptor, port, timeout) {
  const name = descriptor.interfaceName;
  const url = DubboUrl.valueOf(`dubbo://127.0.0.1:${port}/${name}?timeout=${timeout}`);
  const invoker = protocol.refer(url, descriptor);
  return createProxy(descriptor, invoker, {
    path: name,
    interfaceName: name,
    group: '',
    version: '',
    attachments: { 'remote.application': APPLICATION },
    filters: [],
  });
}

/** A layered reference of `client` to the providers at 127.0.0.1:`ports` (several joined by ';'). */
export function layeredReference(client, descriptor, ports) {
  return client.reference(descriptor, { url: ports.map((p) => `127.0.0.1:${p}`).join(';') });
}

/** A protocol instance for {@link directReference}s (destroy it to close their connections). */
export function directProtocol() {
  return new DubboProtocol();
}
