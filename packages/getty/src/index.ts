export { Client, type ClientOptions } from './client.js';
export type { Codec, Decoded, EncodedRange, ReadResult } from './codec.js';
export type { EndpointOptions } from './endpoint-options.js';
export { GETTY_ERROR_CODES, GettyError, type GettyErrorCode } from './errors.js';
export type { EventListener } from './event-listener.js';
export { Server, type ServerCloseOptions, type ServerOptions } from './server.js';
export { Session, type Transport } from './session.js';
export type { BackpressureMode, FlushOn, SessionOptions } from './session-options.js';
