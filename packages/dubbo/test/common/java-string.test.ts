// Java's String.valueOf of call arguments, shared by the condition router (arguments[N]) and the consistent-hash
// key: the text Java prints for the type the value is written as (JDK 19+ Double/Float.toString).
import { java, Long } from '@dubbo-ts/hessian2';
import { describe, expect, it } from 'vitest';
import { javaString } from '../../src/common/java-string.js';

describe('javaString', () => {
  it('prints numbers by their declared type, else as the encoder writes them (int when 32-bit, else double)', () => {
    expect(javaString(1, 'double')).toBe('1.0');
    expect(javaString(1, 'java.lang.Double')).toBe('1.0');
    expect(javaString(1, 'float')).toBe('1.0');
    expect(javaString(1, 'int')).toBe('1');
    expect(javaString(1, 'long')).toBe('1');
    expect(javaString(2 ** 40, 'java.lang.Long')).toBe('1099511627776');
    expect(javaString(1)).toBe('1');
    expect(javaString(1, 'java.lang.Object')).toBe('1');
    expect(javaString(1.5)).toBe('1.5');
    expect(javaString(2 ** 40)).toBe('1.099511627776E12'); // not an int: written as a double
    expect(javaString(-0)).toBe('-0.0');
  });

  it("writes Double.toString's forms: plain from 1e-3 to below 1e7, else E notation", () => {
    expect(javaString(0.001, 'double')).toBe('0.001');
    expect(javaString(1e-4, 'double')).toBe('1.0E-4');
    expect(javaString(9999999.5, 'double')).toBe('9999999.5');
    expect(javaString(1e7, 'double')).toBe('1.0E7');
    expect(javaString(1.25e22, 'double')).toBe('1.25E22');
    expect(javaString(Number.NaN, 'double')).toBe('NaN');
    expect(javaString(-Infinity, 'double')).toBe('-Infinity');
    expect(javaString(0, 'double')).toBe('0.0');
  });

  it("writes a float's own shortest digits (Float.toString), not its double's", () => {
    expect(javaString(0.1, 'float')).toBe('0.1');
    expect(javaString(1 / 3, 'float')).toBe('0.33333334');
    expect(javaString(16777217, 'float')).toBe('1.6777216E7');
    expect(javaString(java.float(2.5))).toBe('2.5');
  });

  it('reads JavaValue wrappers, Long, bigint, booleans, null, lists and enums', () => {
    expect(javaString(java.double(3))).toBe('3.0');
    expect(javaString(java.int(3))).toBe('3');
    expect(javaString(java.long(9007199254740993n))).toBe('9007199254740993');
    expect(javaString(Long.fromString('-9223372036854775808'))).toBe('-9223372036854775808');
    expect(javaString(12n)).toBe('12');
    expect(javaString(java.char('x'))).toBe('x');
    expect(javaString(true)).toBe('true');
    expect(javaString(null)).toBe('null');
    expect(javaString(undefined)).toBe('null');
    expect(javaString(['a', 1, 0.5, null])).toBe('[a, 1, 0.5, null]');
    expect(javaString(java.list('java.util.LinkedList', [java.double(1)]))).toBe('[1.0]');
    expect(javaString(java.enum('com.foo.Color', 'RED'))).toBe('RED');
  });

  it("prints a Date as java.util.Date.toString (EEE MMM dd HH:mm:ss zzz yyyy, this process's zone)", () => {
    // Midday UTC: the same calendar day in every zone from UTC-11 to UTC+11.
    const d = new Date(Date.UTC(2026, 11, 3, 12, 0, 9));
    expect(javaString(d)).toMatch(/^Thu Dec 03 \d\d:\d\d:09 \S+ 2026$/);
    expect(javaString(java.date(d))).toBe(javaString(d));
  });
});
