import { DUBBO_ERROR_CODES, DubboError, DubboStatusError, ResponseStatus } from '@dubbo-ts/dubbo';
import {
  errorCodeToStatus,
  errorFromStatus,
  isKnownResponseStatus,
  statusToErrorCode,
} from '@dubbo-ts/dubbo/extension';
import { describe, expect, it } from 'vitest';

describe('ResponseStatus', () => {
  it('has the byte values of Java Response', () => {
    expect(ResponseStatus.OK).toBe(20);
    expect(ResponseStatus.SERIALIZATION_ERROR).toBe(25);
    expect(ResponseStatus.CLIENT_TIMEOUT).toBe(30);
    expect(ResponseStatus.SERVER_TIMEOUT).toBe(31);
    expect(ResponseStatus.CHANNEL_INACTIVE).toBe(35);
    expect(ResponseStatus.BAD_REQUEST).toBe(40);
    expect(ResponseStatus.BAD_RESPONSE).toBe(50);
    expect(ResponseStatus.SERVICE_NOT_FOUND).toBe(60);
    expect(ResponseStatus.SERVICE_ERROR).toBe(70);
    expect(ResponseStatus.SERVER_ERROR).toBe(80);
    expect(ResponseStatus.CLIENT_ERROR).toBe(90);
    expect(ResponseStatus.SERVER_THREADPOOL_EXHAUSTED_ERROR).toBe(100);
  });

  it.each([
    [30, 'DUBBO_ERR_CLIENT_TIMEOUT'],
    [31, 'DUBBO_ERR_SERVER_TIMEOUT'],
    [40, 'DUBBO_ERR_BAD_REQUEST'],
    [50, 'DUBBO_ERR_BAD_RESPONSE'],
    [60, 'DUBBO_ERR_SERVICE_NOT_FOUND'],
    [70, 'DUBBO_ERR_SERVICE_ERROR'],
    [80, 'DUBBO_ERR_SERVER_ERROR'],
    [90, 'DUBBO_ERR_CLIENT_ERROR'],
    [100, 'DUBBO_ERR_SERVER_THREADPOOL_EXHAUSTED'],
    [25, 'DUBBO_ERR_SERIALIZATION'],
    [35, 'DUBBO_ERR_CHANNEL_INACTIVE'],
    [7, 'DUBBO_ERR_UNKNOWN_STATUS'],
  ] as const)('status %i maps to %s and back', (status, code) => {
    expect(statusToErrorCode(status)).toBe(code);
    expect(code in DUBBO_ERROR_CODES).toBe(true);
    if (code !== 'DUBBO_ERR_UNKNOWN_STATUS') {
      expect(errorCodeToStatus(code)).toBe(status);
      expect(isKnownResponseStatus(status)).toBe(true);
    } else {
      expect(isKnownResponseStatus(status)).toBe(false);
    }
  });

  it('does not map OK to an error, and maps codes without a status to SERVER_ERROR', () => {
    expect(() => statusToErrorCode(ResponseStatus.OK)).toThrow(DubboError);
    expect(isKnownResponseStatus(20)).toBe(true);
    expect(errorCodeToStatus('DUBBO_ERR_URL_INVALID')).toBe(ResponseStatus.SERVER_ERROR);
  });

  it('builds typed errors carrying the status and the peer message', () => {
    const err = errorFromStatus(60, 'Not found exported service: x');
    expect(err).toBeInstanceOf(DubboStatusError);
    expect(err).toBeInstanceOf(DubboError);
    expect(err.code).toBe('DUBBO_ERR_SERVICE_NOT_FOUND');
    expect(err.status).toBe(60);
    expect(err.message).toBe('Not found exported service: x');
    expect(errorFromStatus(31).message).toBe('dubbo response SERVER_TIMEOUT');
    expect(errorFromStatus(9, '').message).toBe('dubbo response status 9');
  });
});
