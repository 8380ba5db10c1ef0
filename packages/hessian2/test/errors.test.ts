import { HESSIAN_ERROR_CODES, HessianError } from '@dubbo-ts/hessian2';
import { describe, expect, it } from 'vitest';

describe('HessianError', () => {
  it('has unique, documented codes with the package prefix', () => {
    const codes = Object.keys(HESSIAN_ERROR_CODES);
    expect(new Set(codes).size).toBe(codes.length);
    for (const [code, doc] of Object.entries(HESSIAN_ERROR_CODES)) {
      expect(code).toMatch(/^HESSIAN_ERR_[A-Z0-9_]+$/);
      expect(doc.length).toBeGreaterThan(10);
    }
  });

  it('carries code and cause', () => {
    const cause = new Error('root');
    const err = new HessianError('HESSIAN_ERR_INVALID_ARG', 'bad', { cause });
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('HESSIAN_ERR_INVALID_ARG');
    expect(err.cause).toBe(cause);
    expect(err.name).toBe('HessianError');
  });
});
