/** First two bytes of every dubbo-protocol frame (`0xdabb`). */
export const DUBBO_MAGIC = 0xdabb;
/** Length of the fixed frame header. */
export const HEADER_LENGTH = 16;
/** Header flag bit: the frame is a request (else a response). */
export const FLAG_REQUEST = 0x80;
/** Header flag bit: the request expects a response. */
export const FLAG_TWO_WAY = 0x40;
/** Header flag bit: the frame is an event (heartbeat, read-only notice). */
export const FLAG_EVENT = 0x20;
/** Low 5 bits of the flag byte: the serialization id. */
export const SERIALIZATION_MASK = 0x1f;
/** Serialization id of hessian2 (the only one dubbo-ts speaks). */
export const HESSIAN2_SERIALIZATION_ID = 2;
/** Dubbo protocol version written in requests and response attachments, as Java 3.3 does. */
export const DUBBO_PROTOCOL_VERSION = '2.0.2';
/** Java's default payload limit (`payload`): 8 MiB of body. */
export const DEFAULT_PAYLOAD = 8 * 1024 * 1024;
/** Java's read-only event body (`READONLY_EVENT`), sent by a provider that is shutting down. */
export const READONLY_EVENT = 'R';
/** Java's event body that undoes {@link READONLY_EVENT} (`WRITEABLE_EVENT`). */
export const WRITEABLE_EVENT = 'W';
/** Response attachment a closing provider adds, value `'true'` (dubbo-go's `GracefulShutdownClosingKey`). */
export const CLOSING_ATTACHMENT = 'closing';

/** Response body kinds (the first value of an OK response body), as Java's `DubboCodec` writes them. */
export const ResponseKind = {
  /** An exception, no attachments. */
  WITH_EXCEPTION: 0,
  /** A value, no attachments. */
  VALUE: 1,
  /** A null value, no attachments. */
  NULL_VALUE: 2,
  /** An exception, then attachments. */
  WITH_EXCEPTION_WITH_ATTACHMENTS: 3,
  /** A value, then attachments. */
  VALUE_WITH_ATTACHMENTS: 4,
  /** A null value, then attachments. */
  NULL_VALUE_WITH_ATTACHMENTS: 5,
} as const;

/** Attachment keys Java Dubbo reads and writes on the wire. */
export const ATTACHMENT_KEYS = {
  PATH: 'path',
  INTERFACE: 'interface',
  VERSION: 'version',
  GROUP: 'group',
  TIMEOUT: 'timeout',
  DUBBO_VERSION: 'dubbo',
  GENERIC: 'generic',
  REMOTE_APPLICATION: 'remote.application',
} as const;

/** Parameter-type descriptor of `GenericService.$invoke(String, String[], Object[])`. */
export const GENERIC_INVOKE_DESC = 'Ljava/lang/String;[Ljava/lang/String;[Ljava/lang/Object;';
/** Method names of Java's generic invocation. */
export const GENERIC_INVOKE = '$invoke';
/** Asynchronous variant of `$invoke` (same arguments). */
export const GENERIC_INVOKE_ASYNC = '$invokeAsync';
/** Method name of Java's `EchoService.$echo(Object)`. */
export const ECHO_METHOD = '$echo';
/** Parameter-type descriptor of `$echo`. */
export const ECHO_DESC = 'Ljava/lang/Object;';
