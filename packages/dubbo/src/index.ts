export type { Cluster, ClusterOptions } from './cluster/cluster.js';
export { AbstractDirectory, type Directory, StaticDirectory } from './cluster/directory.js';
export type { LoadBalance, LoadBalanceFactory } from './cluster/loadbalance/load-balance.js';
export { RandomLoadBalance } from './cluster/loadbalance/random.js';
export { getWeight, warmupWeight } from './cluster/loadbalance/weight.js';
export { type Clock, InvokerStats, type MethodSettings, ProviderInvoker } from './cluster/provider-invoker.js';
export { clusters, loadBalances, routers } from './cluster/registries.js';
export { type Router, RouterChain, type RouterFactory } from './cluster/router-chain.js';
export { AbstractClusterInvoker } from './cluster/support/abstract-cluster-invoker.js';
export { FailoverClusterInvoker, failoverCluster } from './cluster/support/failover-cluster.js';
export { ExtensionRegistry } from './common/extensions.js';
export { DubboUrl, type DubboUrlInit, type ParameterSource, type ParameterValue } from './common/url.js';
export { urlDecode, urlEncode } from './common/url-encoding.js';
export {
  DEFAULT_RETRIES,
  DEFAULT_SERIALIZATION,
  DEFAULT_TIMEOUT,
  DEFAULT_WEIGHT,
  URL_KEYS,
} from './common/url-keys.js';
export { DubboClient, type DubboClientOptions } from './config/dubbo-client.js';
export { DubboServer, type DubboServerOptions } from './config/dubbo-server.js';
export {
  createProxy,
  type MethodOptions,
  type ProxySettings,
  type ReferenceOptions,
} from './config/reference-config.js';
export type { Reference } from './config/reference-settings.js';
export {
  type RegisterMode,
  registerServer,
  ServerRegistration,
  type ServerRegistrationOptions,
} from './config/registry-exporter.js';
export {
  genericReferenceFromRegistry,
  type RegistryReference,
  type RegistryReferenceOptions,
  referenceFromRegistry,
} from './config/registry-reference.js';
export { ExportedService, type ExportOptions, type ServiceImplementation } from './config/service-config.js';
export {
  defineService,
  MethodDescriptor,
  type MethodInit,
  ServiceDescriptor,
  type ServiceDescriptorInit,
} from './config/service-descriptor.js';
export {
  DUBBO_ERROR_CODES,
  DubboError,
  type DubboErrorCode,
  type DubboErrorOptions,
  isRetryable,
  isRetryableCode,
} from './errors.js';
export { buildInvokerChain, type Filter, type Invoke } from './filter/filter.js';
export { generalize, realize } from './generic/generic.js';
export {
  ATTACHMENT_KEYS,
  DEFAULT_PAYLOAD,
  DUBBO_MAGIC,
  DUBBO_PROTOCOL_VERSION,
  HEADER_LENGTH,
  HESSIAN2_SERIALIZATION_ID,
  ResponseKind,
} from './protocol/dubbo/constants.js';
export { DubboCodec, type DubboCodecOptions, type DubboPacket } from './protocol/dubbo/dubbo-codec.js';
export { DubboInvoker, DubboProtocol } from './protocol/dubbo/dubbo-protocol.js';
export { ExchangeClient, type ExchangeClientOptions } from './protocol/dubbo/exchange-client.js';
export {
  ExchangeServer,
  type ExchangeServerOptions,
  type InvocationHandler,
} from './protocol/dubbo/exchange-server.js';
export {
  descriptorToJavaTypes,
  isJavaTypeName,
  javaTypeToDescriptor,
  parameterTypesToDescriptor,
} from './protocol/dubbo/java-type.js';
export type { RequestPlan } from './protocol/dubbo/packet.js';
export { DubboFrame, DubboRequest, DubboResponse } from './protocol/dubbo/packet.js';
export {
  DubboStatusError,
  errorCodeToStatus,
  errorFromStatus,
  isKnownResponseStatus,
  ResponseStatus,
  statusToErrorCode,
} from './protocol/dubbo/status.js';
export {
  type Protocol,
  type ProtocolFactory,
  type ProtocolOptions,
  type ProtocolServer,
  type ServeHandler,
  socketHost,
  urlHost,
} from './protocol/protocol.js';
export { protocols } from './protocol/protocols.js';
export type { CallOptions, GenericService, ReferenceExtras, ServiceProxy } from './proxy/service-proxy.js';
export {
  buildMetadataInfo,
  fromJavaMetadataInfo,
  METADATA_SERVICE_INTERFACE,
  METADATA_SERVICE_VERSION,
  type MetadataInfo,
  type MetadataServiceApi,
  MetadataServiceDescriptor,
  matchKey,
  providerUrlOf,
  type ServiceInfo,
  serviceInfoOf,
  toJavaMetadataInfo,
} from './registry/discovery/metadata-info.js';
export {
  consumerView,
  type MigrationMode,
  MigrationRegistry,
  migrationMode,
  preferApplicationLevel,
} from './registry/discovery/registry-migration.js';
export type { InstancesListener, MappingListener, ServiceDiscovery } from './registry/discovery/service-discovery.js';
export {
  fetchMetadata,
  ServiceDiscoveryRegistry,
  withProvidedBy,
} from './registry/discovery/service-discovery-registry.js';
export {
  endpointPort,
  formatEtcdInstance,
  formatZookeeperInstance,
  INSTANCE_METADATA_KEYS,
  instanceId,
  instanceRevision,
  metadataServiceParams,
  parseEtcdInstance,
  parseZookeeperInstance,
  type ServiceInstance,
} from './registry/discovery/service-instance.js';
export { EtcdRegistry } from './registry/etcd/registry-etcd.js';
export { EtcdServiceDiscovery } from './registry/etcd/service-discovery-etcd.js';
export type {
  ApplicationLevelRegistry,
  NotifyListener,
  Registry,
  RegistryChange,
  RegistryFactory,
} from './registry/registry.js';
export { RegistryBase, Subscription } from './registry/registry-base.js';
export { registerBuiltinRegistries } from './registry/registry-builtin.js';
export { buildConsumerUrl, RegistryDirectory, type RegistryDirectoryOptions } from './registry/registry-directory.js';
export { createRegistry, parseRegistryAddresses, registries } from './registry/registry-factory.js';
export { type RegistryOptions, registryOptions } from './registry/registry-options.js';
export {
  CATEGORIES,
  categoryPaths,
  DEFAULT_CATEGORY,
  isMatch,
  parseRegisteredUrl,
  servicePath,
  urlPath,
} from './registry/registry-paths.js';
export { ZookeeperRegistry } from './registry/zookeeper/registry-zookeeper.js';
export { ZookeeperServiceDiscovery } from './registry/zookeeper/service-discovery-zookeeper.js';
export { ZookeeperConnection } from './registry/zookeeper/zookeeper-connection.js';
export { RpcInvocation } from './rpc/invocation.js';
export { callValue, type Invoker, unwrapResult } from './rpc/invoker.js';
export { settingsNameOf } from './rpc/method-name.js';
export { RpcResult } from './rpc/result.js';
export { RpcContext } from './rpc/rpc-context.js';
