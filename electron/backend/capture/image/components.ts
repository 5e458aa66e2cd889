/**
 * 4-connected components of the pixels for which `on(i)` holds, in a width × height grid.
 * `pixel(i, x, y)` is called for each pixel of a component, then `done()` once the component is
 * complete. Iterative (an explicit stack), so large components cannot overflow the call stack.
 */
export function forEachComponent(width: number, height: number, on: (i: number) => boolean, pixel: (i: number, x: number, y: number) => void, done: () => void): void {
  const seen = new Uint8Array(width * height);
  const stack = new Int32Array(width * height);
  for (let start = 0; start < seen.length; start++) {
    if (seen[start] || !on(start)) continue;
    seen[start] = 1;
    let sp = 0;
    stack[sp++] = start;
    while (sp > 0) {
      const p = stack[--sp]!;
      const x = p % width;
      const y = (p - x) / width;
      pixel(p, x, y);
      if (x > 0 && !seen[p - 1] && on(p - 1)) (seen[p - 1] = 1), (stack[sp++] = p - 1);
      if (x < width - 1 && !seen[p + 1] && on(p + 1)) (seen[p + 1] = 1), (stack[sp++] = p + 1);
      if (y > 0 && !seen[p - width] && on(p - width)) (seen[p - width] = 1), (stack[sp++] = p - width);
      if (y < height - 1 && !seen[p + width] && on(p + width)) (seen[p + width] = 1), (stack[sp++] = p + width);
    }
    done();
  }
}
