import type { DubboUrl } from '../common/url.js';
import type { Protocol } from '../protocol/protocol.js';
import type { ServiceDiscovery } from './discovery/service-discovery.js';

/** What changed between two notifications of one subscription. */
export interface RegistryChange {
  /** URLs that appeared. */
  readonly added: readonly DubboUrl[];
  /** URLs that went away. */
  readonly removed: readonly DubboUrl[];
}

/**
 * Receives the full current list of URLs matching a subscription each time it changes. `change` says what differs
 * from the previous notification, so a consumer can do work proportional to the change rather than to the list.
 * An empty list means the registry positively saw no provider; a fault (connection lost, read error, session
 * expiry) never produces a notification, so the last good list stays in force.
 */
export interface NotifyListener {
  /**
   * @param urls - Every URL currently matching the subscription (categories as subscribed).
   * @param change - The difference from the previous notification (the first one has `removed` empty).
   */
  notify(urls: readonly DubboUrl[], change: RegistryChange): void;
  /**
   * The protocol the subscriber calls its providers through. Application-level discovery calls each
   * application's MetadataService through it, so those calls borrow the subscriber's pooled connections.
   */
  readonly protocol?: Protocol;
}

/**
 * A registry of service URLs: providers and consumers register themselves, consumers subscribe to the providers
 * (and configurators, routers) of an interface. Same contract as Java's `org.apache.dubbo.registry.Registry`:
 * a registered URL is kept registered across reconnects and session loss until {@link Registry.unregister} or
 * {@link Registry.destroy}; failed operations are retried in the background.
 */
export interface Registry {
  /** The registry URL, e.g. `zookeeper://127.0.0.1:2181?timeout=5000`. */
  readonly url: DubboUrl;
  /** Whether the registry is connected right now. */
  isAvailable(): boolean;
  /**
   * Registers a URL (category from its `category` parameter, default `providers`). Resolves once written; when the
   * registry is unreachable it rejects, and the registration is retried in the background anyway.
   */
  register(url: DubboUrl): Promise<void>;
  /** Removes a registration. */
  unregister(url: DubboUrl): Promise<void>;
  /**
   * Subscribes to the URLs matching `url` (interface, `category` default `providers`, group, version). The listener
   * gets the current list once it has been read, then each change.
   */
  subscribe(url: DubboUrl, listener: NotifyListener): Promise<void>;
  /** Stops notifications for this listener. */
  unsubscribe(url: DubboUrl, listener: NotifyListener): Promise<void>;
  /** Reads the URLs matching `url` once, without subscribing. */
  lookup(url: DubboUrl): Promise<DubboUrl[]>;
  /** Unregisters everything this registry registered (graceful shutdown), then closes the connection. */
  destroy(): Promise<void>;
  /**
   * The application-level (Dubbo 3) registry on the same server, for an interface-level registry whose server
   * supports both (plain `zookeeper://` and `etcd://` URLs). When there is one, consumers default to Java's
   * `APPLICATION_FIRST` (`referenceFromRegistry`, unless the URL says `migration=...`) and providers register in
   * both levels (`registerServer`, Java's `register-mode=all`, unless the URL or the options say otherwise).
   * Created on first use, destroyed with this registry. Absent (or undefined) for other registries.
   */
  applicationLevel?(): ApplicationLevelRegistry | undefined;
}

/** A registry that reads application-level discovery, with the discovery providers register their instance in. */
export interface ApplicationLevelRegistry extends Registry {
  /** The discovery (instances and interface -> application mapping). */
  readonly discovery: ServiceDiscovery;
}

/** Makes a registry for a registry URL. */
export type RegistryFactory = (url: DubboUrl) => Registry;
