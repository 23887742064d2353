import { PdfBusyError, RenderGate } from '../../src/strapi/pdf';

/** The PDF renderer's gate: at most N renders at once, M waiting in line (first come, first served), refused beyond. */

/** A task that runs until released, recording when it started. */
function held(started: number[], index: number) {
  let release: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (release = resolve));
  return { task: async () => (started.push(index), await done, index), release: () => release() };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test.each([
  [2, 8, 8, 8, 0],
  [2, 8, 10, 10, 0],
  [2, 8, 11, 10, 1],
  [1, 0, 3, 1, 2],
])(
  '%i at once, %i waiting: of %i at once, %i run and %i are refused at once',
  async (running, waiting, asked, accepted, refused) => {
    const gate = new RenderGate(running, waiting);
    const started: number[] = [];
    const tasks = Array.from({ length: asked }, (_, i) => held(started, i));
    const results = tasks.map((t) =>
      gate.run(t.task).then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      ),
    );
    await tick();
    expect(started).toEqual(Array.from({ length: Math.min(running, asked) }, (_, i) => i));
    expect(gate.load).toEqual({ active: Math.min(running, asked), waiting: accepted - Math.min(running, asked) });
    for (const t of tasks) {
      t.release();
      await tick();
      expect(gate.load.active).toBeLessThanOrEqual(running);
    }
    const settled = await Promise.all(results);
    expect(settled.filter((r) => 'error' in r && r.error instanceof PdfBusyError)).toHaveLength(refused);
    // The accepted ones ran in the order they came, and every one of them ran.
    expect(started).toEqual(settled.flatMap((r, i) => ('value' in r ? [i] : [])));
    expect(gate.load).toEqual({ active: 0, waiting: 0 });
  },
);

test('a task that fails frees its place for the next in line', async () => {
  const gate = new RenderGate(1, 1);
  const failing = gate.run(() => Promise.reject(new Error('crashed')));
  const next = gate.run(() => Promise.resolve('rendered'));
  await expect(failing).rejects.toThrow('crashed');
  await expect(next).resolves.toBe('rendered');
  expect(gate.load).toEqual({ active: 0, waiting: 0 });
});
