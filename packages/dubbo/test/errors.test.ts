import { DUBBO_ERROR_CODES, DubboError } from '@dubbo-ts/dubbo';
import { describe, expect, it } from 'vitest';

describe('DubboError', () => {
  it('has unique, documented codes with the package prefix', () => {
    const codes = Object.keys(DUBBO_ERROR_CODES);
    expect(new Set(codes).size).toBe(codes.length);
    for (const [code, doc] of Object.entries(DUBBO_ERROR_CODES)) {
      expect(code).toMatch(/^DUBBO_ERR_[A-Z0-9_]+$/);
      expect(doc.length).toBeGreaterThan(10);
    }
  });

  it('carries code and cause', () => {
    const cause = new Error('root');
    const err = new DubboError('DUBBO_ERR_INVALID_ARG', 'bad', { cause });
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('DUBBO_ERR_INVALID_ARG');
    expect(err.cause).toBe(cause);
    expect(err.name).toBe('DubboError');
  });
});
