/** Orders two non-negative decimal strings exactly (no float): -1, 0 or 1. */
export function compareDecimals(a: string, b: string): number {
  const [ai, af = ''] = a.split('.');
  const [bi, bf = ''] = b.split('.');
  const x = ai.replace(/^0+/, ''),
    y = bi.replace(/^0+/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  if (x !== y) return x < y ? -1 : 1;
  const n = Math.max(af.length, bf.length);
  const p = af.padEnd(n, '0'),
    q = bf.padEnd(n, '0');
  return p === q ? 0 : p < q ? -1 : 1;
}
