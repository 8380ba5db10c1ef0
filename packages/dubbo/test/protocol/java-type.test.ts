import { DubboError, defineService } from '@dubbo-ts/dubbo';
import {
  descriptorToJavaTypes,
  isJavaTypeName,
  javaTypeToDescriptor,
  parameterTypesToDescriptor,
} from '@dubbo-ts/dubbo/extension';
import { describe, expect, it } from 'vitest';

describe('Java type descriptors', () => {
  it('maps Java type names to JVM descriptors as ReflectUtils does', () => {
    expect(javaTypeToDescriptor('int')).toBe('I');
    expect(javaTypeToDescriptor('long')).toBe('J');
    expect(javaTypeToDescriptor('boolean')).toBe('Z');
    expect(javaTypeToDescriptor('java.lang.String')).toBe('Ljava/lang/String;');
    expect(javaTypeToDescriptor('int[]')).toBe('[I');
    expect(javaTypeToDescriptor('java.lang.String[][]')).toBe('[[Ljava/lang/String;');
    expect(javaTypeToDescriptor('[Ljava.lang.String;')).toBe('[Ljava/lang/String;');
    expect(parameterTypesToDescriptor(['java.lang.String', 'int'])).toBe('Ljava/lang/String;I');
    expect(parameterTypesToDescriptor([])).toBe('');
  });

  it('splits descriptors back into Java type names', () => {
    expect(descriptorToJavaTypes('Ljava/lang/String;I[J[Lcom/x/User;')).toEqual([
      'java.lang.String',
      'int',
      '[J',
      '[Lcom.x.User;',
    ]);
    expect(() => descriptorToJavaTypes('Ljava/lang/String')).toThrow(DubboError);
    expect(() => descriptorToJavaTypes('Q')).toThrow(DubboError);
  });

  it('refuses names that are not Java types', () => {
    expect(isJavaTypeName('com.example.User')).toBe(true);
    expect(isJavaTypeName('string')).toBe(true); // a (lower-case) class name is still a name
    expect(isJavaTypeName('java.lang.')).toBe(false);
    expect(isJavaTypeName('a b')).toBe(false);
    expect(isJavaTypeName('')).toBe(false);
    expect(() => javaTypeToDescriptor('1abc')).toThrow(DubboError);
  });
});

describe('defineService', () => {
  it('checks the descriptor at startup', () => {
    const bad =
      (methods: Record<string, unknown>, interfaceName = 'a.B') =>
      () =>
        defineService({ interfaceName, methods } as never);
    expect(bad({ m: ['not a type'] })).toThrow(expect.objectContaining({ code: 'DUBBO_ERR_SERVICE_DESCRIPTOR' }));
    expect(bad({ m: [] }, 'no spaces allowed')).toThrow(
      expect.objectContaining({ code: 'DUBBO_ERR_SERVICE_DESCRIPTOR' }),
    );
    expect(bad({ m: { params: ['int'] }, n: { name: 'm', params: ['int'] } })).toThrow(/duplicate/);
    expect(bad({ m: { params: ['int'], timeout: -1 } })).toThrow(/timeout/);
    expect(bad({ m: { params: ['void'] } })).toThrow(/parameter type/);
  });

  it('compiles methods and finds them by signature, or by name and arity when unique', () => {
    const d = defineService<{ a(x: string): Promise<void>; b(x: number): Promise<void>; b2(x: string): Promise<void> }>(
      {
        interfaceName: 'a.B',
        methods: { a: ['java.lang.String'], b: ['int'], b2: { name: 'b', params: ['java.lang.String'] } },
      },
    );
    expect(d.methods.get('a')!.desc).toBe('Ljava/lang/String;');
    expect(d.findMethod('b', 'I', 1)?.key).toBe('b');
    expect(d.findMethod('b', 'Ljava/lang/String;', 1)?.key).toBe('b2');
    expect(d.findMethod('a', 'Ljava/lang/Object;', 1)?.key).toBe('a');
    expect(d.findMethod('b', 'Ljava/lang/Object;', 1)).toBeUndefined(); // ambiguous
    expect(d.findByTypes('b', ['int'])?.key).toBe('b');
    expect(d.findByTypes('a', null)?.key).toBe('a');
  });
});
