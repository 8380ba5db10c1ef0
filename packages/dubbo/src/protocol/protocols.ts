import { ExtensionRegistry } from '../common/extensions.js';
import { DubboProtocol } from './dubbo/dubbo-protocol.js';
import type { ProtocolFactory } from './protocol.js';

/** The protocols by name, the scheme of provider URLs. Built in: `dubbo`. */
export const protocols = new ExtensionRegistry<ProtocolFactory>('protocol', {
  dubbo: (options) => new DubboProtocol(options),
});
