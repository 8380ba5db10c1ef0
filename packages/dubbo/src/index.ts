export { DUBBO_ERROR_CODES, DubboError, type DubboErrorCode } from './errors.js';
