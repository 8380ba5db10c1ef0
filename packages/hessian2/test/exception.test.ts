import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ClassRegistry,
  decode,
  encode,
  JavaException,
  JDK_EXCEPTIONS,
  javaException,
  jdkException,
  StackTraceElement,
} from '@dubbo-ts/hessian2';
import { describe, expect, it } from 'vitest';

const golden = (name: string) => readFileSync(join(import.meta.dirname, 'golden', `${name}.bin`));

describe('Java exceptions', () => {
  it('has at least 40 JDK exception classes as Error subclasses following Java hierarchy', () => {
    expect(JDK_EXCEPTIONS.length).toBeGreaterThanOrEqual(40);
    const FNF = jdkException('java.io.FileNotFoundException');
    const e = new (FNF as any)('missing');
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(jdkException('java.io.IOException'));
    expect(e).toBeInstanceOf(jdkException('java.lang.Exception'));
    expect(e.javaClass).toBe('java.io.FileNotFoundException');
    expect(e.name).toBe('FileNotFoundException');
  });

  it('decodes cause chains, stack traces and suppressed exceptions', () => {
    const e = decode(golden('exception_cause_chain')) as JavaException;
    expect(e).toBeInstanceOf(jdkException('java.lang.RuntimeException'));
    expect(e.message).toBe('outer');
    const middle = e.cause as JavaException;
    expect(middle.javaClass).toBe('java.lang.IllegalStateException');
    expect((middle.cause as JavaException).javaClass).toBe('java.io.IOException');
    expect(e.stackTrace[0]).toMatchObject({
      declaringClass: 'org.example.Service',
      methodName: 'call',
      lineNumber: 42,
    });
    expect(e.stack).toContain('at org.example.Service.call(Service.java:42)');
    const s = decode(golden('exception_suppressed')) as JavaException;
    expect(s.suppressed.map((x) => x.javaMessage)).toEqual(['suppressed-1', 'suppressed-2']);
  });

  it('encodes a TS-made exception to the bytes Java writes for the same exception', () => {
    const e = javaException('java.lang.RuntimeException', 'rt', {
      stackTrace: [
        StackTraceElement.of('org.example.Service', 'call', 'Service.java', 42),
        StackTraceElement.of('org.example.Caller', 'invoke', null, -1),
      ],
    });
    const javaBytes = golden('exception_RuntimeException');
    expect(encode(e).toString('hex')).toBe(javaBytes.toString('hex'));
  });

  it('registers user exception classes like POJOs', () => {
    const NAME = 'org.apache.dubbo.interop.hessian.GoldenTypes$BizException';
    class BizException extends JavaException {
      code = 0;
      constructor() {
        super(NAME);
      }
    }
    const r = new ClassRegistry();
    r.registerClass(BizException, NAME, [
      'suppressedExceptions',
      'stackTrace',
      'cause',
      'detailMessage',
      { name: 'code', type: 'int' },
    ]);
    const e = decode(golden('exception_user'), { registry: r }) as BizException;
    expect(e).toBeInstanceOf(BizException);
    expect(e.code).toBe(4001);
    expect(e.message).toBe('biz failed');
    expect(encode(e, { registry: r }).toString('hex')).toBe(golden('exception_user').toString('hex'));
  });

  it('writes a plain JS Error as a java.lang.RuntimeException', () => {
    const e = decode(encode(new Error('boom'))) as JavaException;
    expect(e.javaClass).toBe('java.lang.RuntimeException');
    expect(e.message).toBe('boom');
  });
});
