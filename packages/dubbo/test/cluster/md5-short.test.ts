import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MD5_SHORT_MAX, md5FirstWordAscii } from '../../src/cluster/loadbalance/md5-short.js';

const nativeFirstWord = (s: string) => createHash('md5').update(s, 'utf8').digest().readUInt32LE(0);

describe('md5FirstWordAscii (consistenthash keys)', () => {
  it('equals the first little-endian word of the native MD5 for every ASCII length 0..55', () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (let n = 0; n <= MD5_SHORT_MAX; n++) {
      for (let k = 0; k < 20; k++) {
        const s = Array.from({ length: n }, () => String.fromCharCode(rnd() % 128)).join('');
        expect(md5FirstWordAscii(s), JSON.stringify(s)).toBe(nativeFirstWord(s));
      }
    }
    // RFC 1321's test vectors (first word of each digest)
    expect(md5FirstWordAscii('').toString(16)).toBe('d98c1dd4');
    expect(md5FirstWordAscii('abc').toString(16)).toBe('98500190');
    expect(md5FirstWordAscii('127.0.0.1:208800')).toBe(nativeFirstWord('127.0.0.1:208800'));
  });

  it('says -1 (take the native digest) for keys past one block or not ASCII', () => {
    expect(md5FirstWordAscii('x'.repeat(MD5_SHORT_MAX + 1))).toBe(-1);
    expect(md5FirstWordAscii('服务')).toBe(-1);
    expect(md5FirstWordAscii('caf\u00e9')).toBe(-1);
  });
});
