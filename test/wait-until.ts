/**
 * Polls `read` until `done` accepts its value and returns that value; fails after `limitMs`
 * (generous by default: tests wait for conditions, never for tight timeouts) saying what it
 * waited for and the last value read.
 */
export async function waitUntil<T>(options: {
  what: string | (() => string);
  read: () => T | Promise<T>;
  done: (value: T) => boolean;
  limitMs?: number;
}): Promise<T> {
  const limitMs = options.limitMs ?? 120_000;
  const until = Date.now() + limitMs;
  for (;;) {
    const value = await options.read();
    if (options.done(value)) return value;
    if (Date.now() > until) {
      const what = typeof options.what === 'function' ? options.what() : options.what;
      throw new Error(`${what}: not within ${limitMs} ms (last: ${JSON.stringify(value)})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
