export { DubboUrl, type DubboUrlInit, type ParameterSource, type ParameterValue } from './common/url.js';
export { urlDecode, urlEncode } from './common/url-encoding.js';
export {
  DEFAULT_RETRIES,
  DEFAULT_SERIALIZATION,
  DEFAULT_TIMEOUT,
  DEFAULT_WEIGHT,
  URL_KEYS,
} from './common/url-keys.js';
export { DUBBO_ERROR_CODES, DubboError, type DubboErrorCode } from './errors.js';
export {
  DubboStatusError,
  errorCodeToStatus,
  errorFromStatus,
  isKnownResponseStatus,
  ResponseStatus,
  statusToErrorCode,
} from './protocol/status.js';
