import { GOST_ERROR_CODES, GostError } from '@dubbo-ts/gost';
import { describe, expect, it } from 'vitest';

describe('GostError', () => {
  it('has unique, documented codes with the package prefix', () => {
    const codes = Object.keys(GOST_ERROR_CODES);
    expect(new Set(codes).size).toBe(codes.length);
    for (const [code, doc] of Object.entries(GOST_ERROR_CODES)) {
      expect(code).toMatch(/^GOST_ERR_[A-Z0-9_]+$/);
      expect(doc.length).toBeGreaterThan(10);
    }
  });

  it('carries code and cause', () => {
    const cause = new Error('root');
    const err = new GostError('GOST_ERR_INVALID_ARG', 'bad', { cause });
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('GOST_ERR_INVALID_ARG');
    expect(err.cause).toBe(cause);
    expect(err.name).toBe('GostError');
  });
});
