import { DubboUrl } from '../../common/url.js';
import { ListenableRule, loadRuleMap, ruleError, stringField } from '../router/router-rule.js';

/**
 * Java's override rules (jc/configurator: ConfigParser, AbstractConfigurator, OverrideConfigurator), read from a
 * config center (`{app}.configurators`, `{iface}:{version}:{group}.configurators`) or found in a registry as
 * Dubbo 2.x `override://` URLs. A rule becomes a list of `override://` URLs; each one, when it matches a URL
 * (side, address, provider address, application, service), lays its parameters over it.
 */

const ANYHOST = '0.0.0.0';
/** The keys of an override URL that say where it applies, not what it sets (Java's genConditionKeys). */
const CONDITION_KEYS = [
  'category',
  'check',
  'dynamic',
  'enabled',
  'group',
  'version',
  'application',
  'side',
  'configVersion',
  'compatible_config',
  'interfaces',
];

function list(v: unknown, path: string): string[] | null {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v)) throw ruleError(path, 'expected a list');
  return v.map((x) => String(x));
}

/** Java's appendService: `group/iface:version` into path and parameters. */
function service(key: string | undefined, path: string): { iface: string; params: Record<string, string> } {
  if (key === undefined || key === '') throw ruleError(path, 'the service (key) is missing');
  const params: Record<string, string> = {};
  let iface = key;
  const i = iface.indexOf('/');
  if (i > 0) {
    params.group = iface.slice(0, i);
    iface = iface.slice(i + 1);
  }
  const j = iface.indexOf(':');
  if (j > 0) {
    params.version = iface.slice(j + 1);
    iface = iface.slice(0, j);
  }
  return { iface, params };
}

function overrideUrl(address: string, iface: string, params: Record<string, string>): DubboUrl {
  const a = DubboUrl.valueOf(`override://${address}/${iface}`);
  return a.addParameters(params);
}

/**
 * Parses an override rule (Java's ConfigParser.parseConfigurators): a JSON array of `override://` URLs (the 2.6
 * form), or a YAML `configVersion: v3.0` body with `scope` (`application` or service), `key`, `enabled` and
 * `configs` (each with `side`, `addresses` default 0.0.0.0, `providerAddresses`, `services`, `applications`,
 * `parameters` (required), `type`, `enabled`).
 * @returns The `override://` URLs, in the rule's order.
 * @throws DubboError `DUBBO_ERR_RULE_INVALID` naming the field at fault.
 */
export function parseConfigurators(text: string): DubboUrl[] {
  const t = typeof text === 'string' ? text.trim() : '';
  if (t.startsWith('[')) {
    try {
      const arr = JSON.parse(t) as unknown;
      if (Array.isArray(arr) && arr.length > 0 && arr.every((x) => typeof x === 'string')) {
        return arr.map((u: string) => DubboUrl.valueOf(u));
      }
    } catch {
      // not the JSON form: YAML below
    }
  }
  const map = loadRuleMap(text);
  const configVersion = stringField(map, 'configVersion');
  const scope = stringField(map, 'scope');
  const key = stringField(map, 'key');
  const enabled =
    map.enabled === undefined || map.enabled === null ? true : String(map.enabled).toLowerCase() === 'true';
  const configs = map.configs;
  if (!Array.isArray(configs)) throw ruleError('configs', 'expected a list of config items');
  const urls: DubboUrl[] = [];
  configs.forEach((c: unknown, i) => {
    const path = `configs[${i}]`;
    if (c === null || typeof c !== 'object' || Array.isArray(c)) throw ruleError(path, 'expected a map');
    const item = c as Record<string, unknown>;
    const side = stringField(item, 'side');
    const type = stringField(item, 'type');
    const addresses = list(item.addresses, `${path}.addresses`) ?? [];
    if (addresses.length === 0) addresses.push(ANYHOST);
    const providerAddresses = list(item.providerAddresses, `${path}.providerAddresses`);
    const services = list(item.services, `${path}.services`);
    const applications = list(item.applications, `${path}.applications`);
    const p = item.parameters;
    if (p === null || typeof p !== 'object' || Array.isArray(p) || Object.keys(p).length === 0) {
      throw ruleError(`${path}.parameters`, 'at least one parameter to change is required');
    }
    const params: Record<string, string> = { category: 'dynamicconfigurators' };
    if (side !== undefined) params.side = side;
    for (const [k, v] of Object.entries(p as Record<string, unknown>)) {
      if (v === null || typeof v === 'object') throw ruleError(`${path}.parameters.${k}`, 'expected a scalar');
      params[k] = String(v);
    }
    if (providerAddresses !== null && providerAddresses.length > 0)
      params.providerAddresses = providerAddresses.join(',');
    else if (side === 'provider') params.providerAddresses = addresses.join(',');
    const itemEnabled =
      type === undefined || type === 'general'
        ? enabled
        : item.enabled !== undefined && item.enabled !== null && String(item.enabled).toLowerCase() === 'true';
    for (const addr of addresses) {
      if (scope === 'application') {
        for (const s of services !== null && services.length > 0 ? services : ['*']) {
          const svc = service(s, `${path}.services`);
          urls.push(
            overrideUrl(addr, svc.iface, {
              ...svc.params,
              ...params,
              application: key ?? '',
              enabled: String(itemEnabled),
              category: 'appdynamicconfigurators',
              configVersion: configVersion ?? '',
            }),
          );
        }
      } else {
        const svc = service(key, 'key');
        const base = { ...svc.params, ...params, enabled: String(itemEnabled), configVersion: configVersion ?? '' };
        if (applications !== null && applications.length > 0) {
          for (const app of applications) urls.push(overrideUrl(addr, svc.iface, { ...base, application: app }));
        } else {
          urls.push(overrideUrl(addr, svc.iface, base));
        }
      }
    }
  });
  return urls;
}

/** Java's isV27ConditionMatchOrUnset: provider addresses, application and service of the override match `url`. */
function v27Matches(config: DubboUrl, url: DubboUrl): boolean {
  const providers = config.getParameter('providerAddresses');
  if (providers) {
    const ok = providers
      .split(',')
      .some(
        (a) =>
          a === url.address ||
          a === ANYHOST ||
          a === `${ANYHOST}:*` ||
          a === `${ANYHOST}:${url.port}` ||
          a === url.host,
      );
    if (!ok) return false;
  }
  const configApp = config.getParameter('application') || config.username;
  const app = url.getParameter('application') || url.username;
  if (configApp !== undefined && configApp !== '*' && configApp !== app) return false;
  const configKey = config.serviceKey;
  if (configKey !== '*' && configKey !== url.serviceKey) return false;
  return true;
}

/** Java's isDeprecatedConditionMatch: `~key`, `application` and `side` of the override must match (or be `*`). */
function deprecatedMatches(config: DubboUrl, url: DubboUrl, conditionKeys: Set<string>): boolean {
  for (const [key, value] of config.parameters) {
    const tilde = key.startsWith('~');
    if (!tilde && key !== 'application' && key !== 'side') continue;
    if (tilde) conditionKeys.add(key);
    if (value !== '*' && value !== url.getParameter(tilde ? key.slice(1) : key)) return false;
  }
  return true;
}

function configureIfMatch(config: DubboUrl, host: string, url: DubboUrl): DubboUrl {
  if (config.host !== ANYHOST && config.host !== host) return url;
  if (!v27Matches(config, url)) return url;
  const keys = new Set(CONDITION_KEYS);
  const version = config.getParameter('configVersion');
  if (version?.startsWith('v3.0') || deprecatedMatches(config, url, keys)) {
    const set: Record<string, string> = {};
    for (const [k, v] of config.parameters) if (!keys.has(k)) set[k] = v;
    // Java's AbsentConfigurator (`absent://`) sets only what the URL lacks; OverrideConfigurator replaces.
    return config.protocol === 'absent' ? url.addParametersIfAbsent(set) : url.addParameters(set);
  }
  return url;
}

/**
 * Java's AbstractConfigurator.configure: lays one override URL over `url` when it applies. Rules with a
 * `configVersion` apply on their `side` only (a consumer rule to this consumer's address `localHost` or 0.0.0.0, a
 * provider rule to the provider's host or 0.0.0.0); Dubbo 2.x URLs without one apply by port (a provider) or to
 * the consumer's address.
 */
export function configure(config: DubboUrl, url: DubboUrl, localHost: string): DubboUrl {
  if (!config.getBooleanParameter('enabled', true) || !config.host || !url.host) return url;
  if (config.getParameter('configVersion')) {
    const side = url.getParameter('side');
    const configSide = config.getParameter('side');
    if (side !== configSide) return url;
    if (side === 'consumer') return configureIfMatch(config, localHost, url);
    if (side === 'provider') return configureIfMatch(config, url.host, url);
    return url;
  }
  if (config.port !== 0) return url.port === config.port ? configureIfMatch(config, url.host, url) : url;
  if ((url.getParameter('side') || 'provider') === 'consumer') return configureIfMatch(config, localHost, url);
  if ((url.getParameter('side') || 'consumer') === 'provider') return configureIfMatch(config, ANYHOST, url);
  return url;
}

/** Every override of `configs` laid over `url` in order (a later one wins). */
export function configureAll(configs: readonly DubboUrl[], url: DubboUrl, localHost: string): DubboUrl {
  let u = url;
  for (const c of configs) u = configure(c, u, localHost);
  return u;
}

/** An override rule of a config center as it stands: its `override://` URLs, refused when malformed (logged). */
export class ConfiguratorRule extends ListenableRule<readonly DubboUrl[]> {
  /**
   * @param ruleKey - `{app}.configurators` or `{iface}:{version}:{group}.configurators`.
   * @param onChange - Called after the rule changed (applied or removed).
   */
  constructor(
    ruleKey: string,
    private readonly onChange: () => void = () => {},
  ) {
    super('override', ruleKey);
  }

  /** The override URLs in force (none without a rule). */
  get urls(): readonly DubboUrl[] {
    return this.rule ?? [];
  }

  protected parse(text: string): readonly DubboUrl[] {
    return parseConfigurators(text);
  }

  protected override changed(): void {
    this.onChange();
  }
}
