// The README's demo: what dubbo-ts can do today, run for real. It grows with the project.
import { DubboUrl } from '@dubbo-ts/dubbo';

const url = DubboUrl.valueOf(
  'dubbo://127.0.0.1:20880/org.apache.dubbo.interop.GreeterService?interface=org.apache.dubbo.interop.GreeterService&version=1.0.0&group=demo&timeout=3000&methods=greet',
);
console.log('dubbo-ts demo');
console.log(`parsed a provider URL as Java Dubbo does: service key ${url.serviceKey}, timeout ${url.getTimeout()} ms`);
console.log('The RPC provider and consumer (issue 6) are not built yet, so no call is made.');
