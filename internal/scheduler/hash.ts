// The stable 32-bit hash every node computes identically: FNV-1a over the string's UTF-16 code
// units, finished with murmur3's fmix32 so that low bits are as well mixed as high ones.

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** murmur3's 32-bit finaliser: full avalanche of every input bit. */
export function fmix32(h: number): number {
  let x = h >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Unsigned 32-bit hash of `s`; different seeds give independent hash functions. */
export function hash32(s: string, seed = 0): number {
  let h = (FNV_OFFSET ^ Math.imul(seed >>> 0, 0x9e3779b1)) >>> 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h = Math.imul(h ^ (c & 0xff), FNV_PRIME);
    if (c > 0xff) h = Math.imul(h ^ (c >>> 8), FNV_PRIME);
  }
  return fmix32(h);
}

/** Hash of `s` combined with a number (a port, a retry offset). */
export function hash32With(s: string, n: number, seed = 0): number {
  return fmix32(hash32(s, seed) ^ Math.imul((n >>> 0) + 1, 0x9e3779b1));
}
