// The script router: off unless enabled; Java's documented script form runs unchanged; the script sees only its
// bindings, cannot compile code from strings, is stopped at its time bound, and any failure routes to everyone.
import {
  DubboUrl,
  disableScriptRouter,
  enableScriptRouter,
  type Invoker,
  ProviderInvoker,
  RpcInvocation,
  RpcResult,
  routers,
  ScriptRouter,
} from '@dubbo-ts/dubbo';
import { governanceRouters, parseScriptRule } from '@dubbo-ts/dubbo/extension';
import { afterEach, describe, expect, it } from 'vitest';

function provider(url: string): ProviderInvoker {
  const target: Invoker = {
    url: DubboUrl.valueOf(url),
    isAvailable: () => true,
    invoke: async () => new RpcResult(url),
    destroy: () => {},
  };
  return new ProviderInvoker(target);
}
const invs = () => [
  provider('dubbo://10.20.153.10:20880/a?application=shop'),
  provider('dubbo://10.20.153.11:20880/a?application=shop'),
];
const consumer = DubboUrl.valueOf('consumer://127.0.0.1/a?application=web');
const call = (method = 'm', attachments: Record<string, unknown> = {}) =>
  new RpcInvocation(method, '', ['x'], attachments);
const yamlScript = (script: string) => `type: javascript\nenabled: true\nscript: ${JSON.stringify(script)}\n`;

afterEach(() => disableScriptRouter());

describe('script router', () => {
  it("runs Java's documented script (java.util.ArrayList, size(), get(i), getUrl().getHost())", () => {
    const r = new ScriptRouter('shop.script-router', 1000);
    const script =
      '(function route(invokers, invocation, context) { var result = new java.util.ArrayList(invokers.size());' +
      ' for (i = 0; i < invokers.size(); i ++) { if ("10.20.153.10" === invokers.get(i).getUrl().getHost()) { result.add(invokers.get(i)); } }' +
      ' return result; } (invokers, invocation, context));';
    expect(r.apply(yamlScript(script), 1)).toBe(true);
    const list = invs();
    expect(r.route(list, consumer, call())).toEqual([list[0]]);
  });

  it('sees the method, arguments and attachments of the call', () => {
    const r = new ScriptRouter('k', 1000);
    r.apply(yamlScript('invocation.getMethodName() === "m" && context.lane === "blue" ? [invokers.get(1)] : invokers'));
    const list = invs();
    expect(r.route(list, consumer, call('m', { lane: 'blue' }))).toEqual([list[1]]);
    expect(r.route(list, consumer, call('m'))).toBe(list);
  });

  it('is sandboxed and bounded: no process, no eval, a loop stopped at the timeout; failures route to everyone', () => {
    const list = invs();
    const r = new ScriptRouter('k', 50);
    r.apply(
      yamlScript('typeof process === "undefined" && typeof require === "undefined" ? [invokers.get(0)] : invokers'),
    );
    expect(r.route(list, consumer, call())).toEqual([list[0]]);
    r.apply(yamlScript('eval("[invokers.get(0)]")'));
    expect(r.route(list, consumer, call())).toBe(list); // EvalError: code generation from strings disallowed
    r.apply(yamlScript('while (true) {}'));
    expect(r.route(list, consumer, call())).toBe(list); // timed out
    r.apply(yamlScript('42'));
    expect(r.route(list, consumer, call())).toBe(list); // not a list
    r.apply(yamlScript('[{ getUrl: () => null }]'));
    expect(r.route(list, consumer, call())).toEqual([]); // objects of its own are not providers
  });

  it('refuses rules without a script, in another language, or that do not compile', () => {
    expect(() => parseScriptRule('type: javascript\n')).toThrow('script: missing');
    expect(() => parseScriptRule('type: groovy\nscript: "x"\n')).toThrow('unsupported script type groovy');
    const r = new ScriptRouter('k', 50);
    expect(r.apply(yamlScript('function ('))).toBe(false);
  });

  it('is off by default: no script router in the chain, no script:// router URLs; on once enabled', () => {
    const cc = { watch: () => () => {} } as never;
    expect(governanceRouters(consumer, cc).routers.some((r) => r instanceof ScriptRouter)).toBe(false);
    expect(routers.has('script')).toBe(false);
    enableScriptRouter({ timeoutMs: 20 });
    expect(governanceRouters(consumer, cc).routers.some((r) => r instanceof ScriptRouter)).toBe(true);
    expect(routers.has('script')).toBe(true);
    const fromUrl = routers.get('script')(
      DubboUrl.valueOf('script://0.0.0.0/a?category=routers&type=javascript').addParameter(
        'rule',
        DubboUrl.encode('[invokers.get(1)]'),
      ),
    );
    const list = invs();
    expect(fromUrl.route(list, consumer, call())).toEqual([list[1]]);
    expect(() => enableScriptRouter({ timeoutMs: 0 })).toThrow('timeoutMs must be > 0');
  });
});
