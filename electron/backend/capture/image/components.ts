/**
 * 4-connected components of the pixels that are "on" in a width × height grid: `on` is either a
 * mask (non-zero = on; it is cleared as the pixels are visited) or a test `on(i)`. `pixel(i, x, y)`
 * is called for each pixel of a component, then `done()` once the component is complete.
 * Iterative (an explicit stack), so large components cannot overflow the call stack.
 */
export function forEachComponent(width: number, height: number, on: ((i: number) => boolean) | Uint8Array, pixel: (i: number, x: number, y: number) => void, done: () => void): void {
  const n = width * height;
  let mask: Uint8Array;
  if (typeof on === 'function') {
    mask = new Uint8Array(n);
    for (let i = 0; i < n; i++) if (on(i)) mask[i] = 1;
  } else mask = on;
  const stack = new Int32Array(n);
  for (let start = 0; start < n; start++) {
    if (!mask[start]) continue;
    mask[start] = 0;
    let sp = 0;
    stack[sp++] = start;
    while (sp > 0) {
      const p = stack[--sp]!;
      const x = p % width;
      const y = (p - x) / width;
      pixel(p, x, y);
      if (x > 0 && mask[p - 1]) (mask[p - 1] = 0), (stack[sp++] = p - 1);
      if (x < width - 1 && mask[p + 1]) (mask[p + 1] = 0), (stack[sp++] = p + 1);
      if (y > 0 && mask[p - width]) (mask[p - width] = 0), (stack[sp++] = p - width);
      if (y < height - 1 && mask[p + width]) (mask[p + width] = 0), (stack[sp++] = p + width);
    }
    done();
  }
}
