/** Lap times into `into`: each call records the milliseconds since the previous one under `name`. */
export function stopwatch(into: Record<string, number>): (name: string) => void {
  let t = performance.now();
  return (name) => {
    const now = performance.now();
    into[name] = Math.round(now - t);
    t = now;
  };
}
