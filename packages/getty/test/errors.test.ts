import { GETTY_ERROR_CODES, GettyError } from '@dubbo-ts/getty';
import { describe, expect, it } from 'vitest';

describe('GettyError', () => {
  it('has unique, documented codes with the package prefix', () => {
    const codes = Object.keys(GETTY_ERROR_CODES);
    expect(new Set(codes).size).toBe(codes.length);
    for (const [code, doc] of Object.entries(GETTY_ERROR_CODES)) {
      expect(code).toMatch(/^GETTY_ERR_[A-Z0-9_]+$/);
      expect(doc.length).toBeGreaterThan(10);
    }
  });

  it('carries code and cause', () => {
    const cause = new Error('root');
    const err = new GettyError('GETTY_ERR_INVALID_ARG', 'bad', { cause });
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('GETTY_ERR_INVALID_ARG');
    expect(err.cause).toBe(cause);
    expect(err.name).toBe('GettyError');
  });
});
