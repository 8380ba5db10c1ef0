/**
 * '@dubbo-ts/dubbo/extension': the building blocks for writing clusters, balancers, routers, protocols and
 * registries (base classes, the built-in implementations, URL and registry-layout helpers, application-level
 * discovery parts). Applications need only '@dubbo-ts/dubbo'. See docs/invocation-layers.md.
 *
 * @packageDocumentation
 */

export {
  ConfiguratorRule,
  configure,
  configureAll,
  parseConfigurators,
} from './cluster/configurator/configurator.js';
export { AbstractDirectory, StaticDirectory } from './cluster/directory.js';
export { RandomLoadBalance } from './cluster/loadbalance/random.js';
export { getWeight, warmupWeight } from './cluster/loadbalance/weight.js';
export type { Clock } from './cluster/provider-invoker.js';
export {
  type ConditionMatcher,
  type Conditions,
  isMatchGlobPattern,
  matchThen,
  matchWhen,
  type ParsedCondition,
  parseCondition,
  parseConditions,
} from './cluster/router/condition/condition-expression.js';
export { CONDITION_PRIORITY, ConditionRouter } from './cluster/router/condition/condition-router.js';
export {
  type ConditionRule,
  type ConditionRuleV30,
  type ConditionRuleV31,
  type ConditionSubset,
  type MultiDestCondition,
  parseConditionRule,
} from './cluster/router/condition/condition-rule.js';
export {
  type GovernanceRouters,
  governanceRouters,
  providerApplication,
} from './cluster/router/governance-routers.js';
export {
  ListenableRule,
  loadRuleMap,
  NO_PROVIDERS,
  type RuleBase,
  RuleRouter,
  ruleBase,
  ruleError,
} from './cluster/router/router-rule.js';
export {
  parseScriptRule,
  SCRIPT_PRIORITY,
  type ScriptRouterSettings,
  type ScriptRule,
  scriptRouterOfUrl,
  scriptRouterSettings,
} from './cluster/router/script/script-router.js';
export { matchAddress } from './cluster/router/tag/address-match.js';
export {
  FORCE_TAG_KEY,
  type ParamMatch,
  parseTagRule,
  type StringMatch,
  selectAddressByTagLevel,
  stringMatches,
  TAG_KEY,
  TAG_PRIORITY,
  type TagDefinition,
  TagRouter,
  type TagRouterOptions,
  type TagRule,
} from './cluster/router/tag/tag-router.js';
export { AbstractClusterInvoker } from './cluster/support/abstract-cluster-invoker.js';
export { FailoverClusterInvoker, failoverCluster } from './cluster/support/failover-cluster.js';
export { createProxy, type ProxySettings } from './config/reference-config.js';
export { configCenterUrlOf } from './config-center/config-centers.js';
export { AbstractDynamicConfiguration, type ConfigValue } from './config-center/dynamic-configuration.js';
export { EtcdDynamicConfiguration } from './config-center/etcd-dynamic-configuration.js';
export { configRootPath, ZookeeperDynamicConfiguration } from './config-center/zookeeper-dynamic-configuration.js';
export { AdaptiveLimiter, type AdaptiveLimiterOptions } from './flow/adaptive-limiter.js';
export { type BreakerSettings, breakerSettings, CircuitBreaker } from './flow/circuit-breaker.js';
export { failfastHandler, logOnlyHandler } from './flow/rejected-handler.js';
export { MethodServiceTpsLimiter } from './flow/tps-limiter.js';
export { FixedWindowStrategy, SlidingWindowStrategy, TokenBucketStrategy } from './flow/tps-strategy.js';
export { ATTACHMENT_KEYS } from './protocol/dubbo/constants.js';
export { DubboInvoker, DubboProtocol } from './protocol/dubbo/dubbo-protocol.js';
export {
  descriptorToJavaTypes,
  isJavaTypeName,
  javaTypeToDescriptor,
  parameterTypesToDescriptor,
} from './protocol/dubbo/java-type.js';
export {
  errorCodeToStatus,
  errorFromStatus,
  isKnownResponseStatus,
  statusToErrorCode,
} from './protocol/dubbo/status.js';
export { socketHost, urlHost } from './protocol/protocol.js';
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
  MigrationRegistry,
  migrationMode,
  preferApplicationLevel,
} from './registry/discovery/registry-migration.js';
export type { InstancesListener, MappingListener, ServiceDiscovery } from './registry/discovery/service-discovery.js';
export { fetchMetadata, withProvidedBy } from './registry/discovery/service-discovery-registry.js';
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
export { EtcdServiceDiscovery } from './registry/etcd/service-discovery-etcd.js';
export { RegistryBase, Subscription } from './registry/registry-base.js';
export { buildConsumerUrl, RegistryDirectory, type RegistryDirectoryOptions } from './registry/registry-directory.js';
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
export { ZookeeperServiceDiscovery } from './registry/zookeeper/service-discovery-zookeeper.js';
export { callValue, unwrapResult } from './rpc/invoker.js';
export { settingsNameOf } from './rpc/method-name.js';
