/** Parameter keys of the Dubbo URL that dubbo-ts reads or writes (same spelling as Java's constants). */
export const URL_KEYS = {
  /** The service interface name, e.g. `org.apache.dubbo.demo.DemoService`. */
  INTERFACE: 'interface',
  /** The service group. */
  GROUP: 'group',
  /** The service version. */
  VERSION: 'version',
  /** Call timeout in milliseconds (also `<method>.timeout`). */
  TIMEOUT: 'timeout',
  /** Retries after the first try (also `<method>.retries`). */
  RETRIES: 'retries',
  /** `provider` or `consumer`. */
  SIDE: 'side',
  /** Comma-separated method names the service exposes. */
  METHODS: 'methods',
  /** Application name. */
  APPLICATION: 'application',
  /** Serialization name, e.g. `hessian2`. */
  SERIALIZATION: 'serialization',
  /** Load-balancing weight. */
  WEIGHT: 'weight',
  /** Registry category (`providers`, `consumers`, `routers`, `configurators`). */
  CATEGORY: 'category',
  /** Whether the provider bound 0.0.0.0. */
  ANYHOST: 'anyhost',
  /** Dubbo protocol version, e.g. `2.0.2`. */
  DUBBO: 'dubbo',
  /** Framework release, e.g. `3.3.6`. */
  RELEASE: 'release',
  /** Process id. */
  PID: 'pid',
  /** Milliseconds since the epoch when the URL was made. */
  TIMESTAMP: 'timestamp',
  /** Generic invocation flag (`true`, `bean`, `nativejava`...). */
  GENERIC: 'generic',
  /** Access token. */
  TOKEN: 'token',
  /** Load-balance strategy name. */
  LOADBALANCE: 'loadbalance',
  /** Cluster strategy name. */
  CLUSTER: 'cluster',
  /** Whether the consumer checks providers exist at start. */
  CHECK: 'check',
  /** Number of connections to a provider. */
  CONNECTIONS: 'connections',
  /** Heartbeat period in milliseconds. */
  HEARTBEAT: 'heartbeat',
  /** Max payload in bytes. */
  PAYLOAD: 'payload',
  /** Whether the service registers dynamically. */
  DYNAMIC: 'dynamic',
  /** Backup addresses, comma-separated `host:port`. */
  BACKUP: 'backup',
} as const;

/** Java's `CommonConstants.DEFAULT_TIMEOUT` (ms). */
export const DEFAULT_TIMEOUT = 1000;
/** Java's `CommonConstants.DEFAULT_RETRIES`. */
export const DEFAULT_RETRIES = 2;
/** Java's `ClusterConstants.DEFAULT_WEIGHT`. */
export const DEFAULT_WEIGHT = 100;
/** Serialization of the dubbo protocol when the URL names none. */
export const DEFAULT_SERIALIZATION = 'hessian2';
