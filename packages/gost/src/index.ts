export { GOST_ERROR_CODES, GostError, type GostErrorCode } from './errors.js';
