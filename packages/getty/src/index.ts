export { GETTY_ERROR_CODES, GettyError, type GettyErrorCode } from './errors.js';
