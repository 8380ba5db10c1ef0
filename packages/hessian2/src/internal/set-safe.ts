/** Sets `o[k] = v` as an own property; a `__proto__` key never reaches the prototype. */
export const setSafe = (o: any, k: string, v: unknown): void => {
  if (k === '__proto__')
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
};
