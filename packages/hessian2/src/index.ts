export { HESSIAN_ERROR_CODES, HessianError, type HessianErrorCode } from './errors.js';
