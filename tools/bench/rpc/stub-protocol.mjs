// For the in-process cost benches (layers-cpu.mjs, balancers-cpu.mjs): a protocol whose invokers answer at once
// (no bytes, no network), so what is measured is the consumer's own path.
import { protocols } from '@dubbo-ts/dubbo';

const answer = Promise.resolve('pong');

/** An invoker that answers 'pong' at once and reports to its observer as a protocol invoker does. */
export class StubInvoker {
  observes = true;
  constructor(url) {
    this.url = url;
  }
  isAvailable() {
    return true;
  }
  invoke(inv, obs) {
    return this.call(inv, obs).then((value) => ({ value, exception: null, attachments: {} }));
  }
  call(_inv, obs) {
    if (obs === undefined) return answer;
    obs.begin();
    return answer.then((v) => {
      obs.end(0, true);
      return v;
    });
  }
  destroy() {}
}

/** Registers the stub protocol under `fake` (URLs `fake://host:port`). */
export function registerStubProtocol() {
  protocols.register('fake', () => ({
    name: 'fake',
    refer: (url) => new StubInvoker(url),
    export() {
      throw new Error('the stub protocol serves nothing');
    },
    isConnected: () => true,
    destroy() {},
  }));
}
