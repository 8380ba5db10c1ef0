// The API of @dubbo-ts/dubbo: clients, servers, references, descriptors, registries, errors, and the extension
// registries with the interfaces an extension implements. Building blocks for extension authors are in
// '@dubbo-ts/dubbo/extension'; the wire internals are not exported.
export type { Cluster, ClusterOptions } from './cluster/cluster.js';
export type { Directory } from './cluster/directory.js';
export type { LoadBalance, LoadBalanceFactory } from './cluster/loadbalance/load-balance.js';
export {
  InvokerStats,
  type MethodSettings,
  type ProviderGuard,
  ProviderInvoker,
} from './cluster/provider-invoker.js';
export { clusters, loadBalances, routers } from './cluster/registries.js';
export { ConditionRouter } from './cluster/router/condition/condition-router.js';
export { disableScriptRouter, enableScriptRouter, ScriptRouter } from './cluster/router/script/script-router.js';
export { TagRouter } from './cluster/router/tag/tag-router.js';
export { type Router, RouterChain, type RouterFactory } from './cluster/router-chain.js';
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
export {
  type ConfigSources,
  type DubboConfig,
  DubboConfigError,
  loadDubboConfig,
  type ResolvedDubboConfig,
} from './config/application-config.js';
export {
  DubboApplication,
  type DubboApplicationOptions,
  type ShutdownStep,
} from './config/dubbo-application.js';
export { DubboClient, type DubboClientOptions } from './config/dubbo-client.js';
export { DubboServer, type DubboServerOptions } from './config/dubbo-server.js';
export type { MethodOptions, ReferenceOptions } from './config/reference-config.js';
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
  configCenters,
  createDynamicConfiguration,
  type DynamicConfigurationFactory,
} from './config-center/config-centers.js';
export {
  type ConfigChangedEvent,
  type ConfigChangeType,
  type ConfigurationListener,
  DEFAULT_CONFIG_GROUP,
  type DynamicConfiguration,
} from './config-center/dynamic-configuration.js';
export {
  DUBBO_ERROR_CODES,
  DubboError,
  type DubboErrorCode,
  type DubboErrorOptions,
  isRetryable,
  isRetryableCode,
} from './errors.js';
export { buildInvokerChain, type Filter, type Invoke } from './filter/filter.js';
export { ADAPTIVE_KEYS, type AdaptiveControl } from './flow/adaptive-limiter.js';
export { BREAKER_KEYS, type BreakerControl, type BreakerState, type CircuitBreaker } from './flow/circuit-breaker.js';
export { type ActivesControl, CONCURRENCY_KEYS, type ExecutesControl } from './flow/concurrency-limits.js';
export type {
  ConsumerFlowControl,
  FlowSnapshot,
  LimitCounts,
  ProviderFlowControl,
} from './flow/flow-control.js';
export { LimitExceededError, type LimitKind, type Rejection } from './flow/limit-error.js';
export {
  fallbackHandler,
  type RejectedExecutionHandler,
  rejectedExecutionHandlers,
} from './flow/rejected-handler.js';
export type { TpsControl } from './flow/tps-control.js';
export { TPS_KEYS, type TpsLimiter, type TpsLimiterFactory, tpsLimiters } from './flow/tps-limiter.js';
export { type TpsLimitStrategy, type TpsLimitStrategyFactory, tpsLimitStrategies } from './flow/tps-strategy.js';
export { generalize, realize } from './generic/generic.js';
export { DubboStatusError, ResponseStatus } from './protocol/dubbo/status.js';
export type {
  Protocol,
  ProtocolFactory,
  ProtocolOptions,
  ProtocolServer,
  ServeHandler,
  ServerCloseReport,
} from './protocol/protocol.js';
export { protocols } from './protocol/protocols.js';
export type { CallOptions, GenericService, ReferenceExtras, ServiceProxy } from './proxy/service-proxy.js';
export type { MigrationMode } from './registry/discovery/registry-migration.js';
export { ServiceDiscoveryRegistry } from './registry/discovery/service-discovery-registry.js';
export { EtcdRegistry } from './registry/etcd/registry-etcd.js';
export type {
  ApplicationLevelRegistry,
  NotifyListener,
  Registry,
  RegistryChange,
  RegistryFactory,
} from './registry/registry.js';
export { registerBuiltinRegistries } from './registry/registry-builtin.js';
export { createRegistry, parseRegistryAddresses, registries } from './registry/registry-factory.js';
export { ZookeeperRegistry } from './registry/zookeeper/registry-zookeeper.js';
export { RpcInvocation } from './rpc/invocation.js';
export type { Invoker } from './rpc/invoker.js';
export { RpcResult } from './rpc/result.js';
export { RpcContext } from './rpc/rpc-context.js';
