/**
 * What is done after an answer (a first read recorded, a renderer exiting, a page re-rendering) is awaited, not
 * slept for: reads until `check` holds or `withinMs` passes, and returns the last value read, for the test to assert.
 */
export async function eventually<T>(
  read: () => T | Promise<T>,
  check: (value: T) => boolean,
  withinMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits (at most 15 s) until the value read equals the expected one, then asserts it (the last read on failure). */
export async function eventuallyEqual<T>(read: () => T | Promise<T>, expected: T): Promise<void> {
  const same = (value: T) => JSON.stringify(value) === JSON.stringify(expected);
  expect(await eventually(read, same)).toEqual(expected);
}
