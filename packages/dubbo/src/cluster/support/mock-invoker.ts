import { JavaException } from '@dubbo-ts/hessian2';
import type { DubboUrl } from '../../common/url.js';
import { DubboError } from '../../errors.js';
import type { RpcInvocation } from '../../rpc/invocation.js';
import { callValue, type Invoker } from '../../rpc/invoker.js';
import { settingsNameOf } from '../../rpc/method-name.js';
import { RpcResult } from '../../rpc/result.js';

/** What `mock` says for one method. */
interface MockPlan {
  readonly force: boolean;
  /** Answers the call: a value, or throws. */
  readonly answer: (inv: RpcInvocation) => unknown;
}

const OFF = new Set(['', 'false', '0', 'null', 'n/a']);

/**
 * Parses a `mock` setting (Java's `MockInvoker`): `return` (null), `return X` (X: `empty`, `null`, `true`,
 * `false`, a quoted string, a number, JSON `{}`/`[]`, else the raw text), `throw` (an RPC failure) or
 * `throw com.x.SomeException` (that Java exception); `force:` before any of them answers without calling the
 * provider, `fail:` (or nothing) only when the call fails with an RPC failure. `true` / `default` use `impl`
 * (Java's `{Interface}Mock` class). `undefined` when the setting turns mocking off.
 * @throws DubboError `DUBBO_ERR_INVALID_ARG` for a setting that cannot be understood.
 */
export function parseMock(setting: string, impl?: Record<string, unknown>): MockPlan | undefined {
  let s = setting.trim();
  if (OFF.has(s.toLowerCase())) return undefined;
  let force = false;
  if (s.startsWith('force:')) {
    force = true;
    s = s.slice(6).trim();
  } else if (s.startsWith('force')) {
    force = true;
    s = s.slice(5).trim();
  } else if (s.startsWith('fail:')) {
    s = s.slice(5).trim();
  }
  if (s === 'return') return { force, answer: () => null };
  if (s.startsWith('return ')) {
    const v = parseValue(s.slice(7).trim());
    return { force, answer: () => v };
  }
  if (s === 'throw') {
    return {
      force,
      answer: (inv) => {
        throw new DubboError('DUBBO_ERR_SERVICE_ERROR', `mocked exception for service degradation: ${inv.methodName}`, {
          retryable: false,
        });
      },
    };
  }
  if (s.startsWith('throw ')) {
    const cls = s.slice(6).trim();
    return {
      force,
      answer: (inv) => {
        throw new JavaException(cls, `mocked ${cls} for ${inv.methodName}`);
      },
    };
  }
  if (s === 'true' || s === 'default' || s === '') {
    if (impl === undefined) {
      throw new DubboError(
        'DUBBO_ERR_INVALID_ARG',
        `mock=${setting} needs a mock implementation (the reference's mockImpl)`,
      );
    }
    return {
      force,
      answer: (inv) => {
        const fn = impl[settingsNameOf(inv)];
        if (typeof fn !== 'function') {
          throw new DubboError('DUBBO_ERR_INVALID_ARG', `the mock implementation has no method ${settingsNameOf(inv)}`);
        }
        return (fn as (...a: unknown[]) => unknown).apply(impl, inv.arguments);
      },
    };
  }
  throw new DubboError('DUBBO_ERR_INVALID_ARG', `mock: cannot understand '${setting}'`);
}

function parseValue(x: string): unknown {
  if (x === 'empty' || x === 'null') return null;
  if (x === 'true') return true;
  if (x === 'false') return false;
  if ((x.startsWith('"') && x.endsWith('"')) || (x.startsWith("'") && x.endsWith("'"))) return x.slice(1, -1);
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(x)) return Number(x);
  if (x.startsWith('{') || x.startsWith('[')) {
    try {
      return JSON.parse(x);
    } catch {
      return x;
    }
  }
  return x;
}

/**
 * Java's `MockClusterInvoker`, around any cluster when `mock` is set (method level first): `force:` answers from
 * the mock without calling; otherwise the call is made and an RPC failure (never a service exception) is answered
 * from the mock instead.
 */
export class MockClusterInvoker implements Invoker {
  private readonly plans = new Map<string, MockPlan | null>();

  constructor(
    private readonly inner: Invoker,
    private readonly impl?: Record<string, unknown>,
  ) {}

  get url(): DubboUrl {
    return this.inner.url;
  }

  isAvailable(): boolean {
    return this.inner.isAvailable();
  }

  invoke(inv: RpcInvocation): Promise<RpcResult> {
    const plan = this.planOf(inv);
    if (plan === null) return this.inner.invoke(inv);
    if (plan.force) return answer(plan, inv, false) as Promise<RpcResult>;
    return this.inner.invoke(inv).catch((err: unknown) => {
      if (!(err instanceof DubboError)) throw err;
      return answer(plan, inv, false) as Promise<RpcResult>;
    });
  }

  call(inv: RpcInvocation): Promise<unknown> {
    const plan = this.planOf(inv);
    if (plan === null) return callValue(this.inner, inv);
    if (plan.force) return answer(plan, inv, true);
    return callValue(this.inner, inv).catch((err: unknown) => {
      if (!(err instanceof DubboError)) throw err;
      return answer(plan, inv, true);
    });
  }

  destroy(): void | Promise<void> {
    return this.inner.destroy();
  }

  private planOf(inv: RpcInvocation): MockPlan | null {
    const m = settingsNameOf(inv);
    let p = this.plans.get(m);
    if (p === undefined) {
      const setting = this.url.getMethodParameter(m, 'mock');
      p = setting === undefined ? null : (parseMock(setting, this.impl) ?? null);
      this.plans.set(m, p);
    }
    return p;
  }
}

async function answer(plan: MockPlan, inv: RpcInvocation, value: boolean): Promise<unknown> {
  try {
    const v = await plan.answer(inv);
    return value ? v : new RpcResult(v);
  } catch (err) {
    if (err instanceof DubboError || value) throw err;
    return new RpcResult(null, err as Error);
  }
}
