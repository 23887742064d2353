import fs from 'fs';

/** The processes under a pid (not itself), from /proc: each process's parent is the 4th field of /proc/<pid>/stat. */
export function descendantsOf(root: number): number[] {
  const byParent = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      byParent.set(parent, [...(byParent.get(parent) ?? []), Number(entry)]);
    } catch {
      // the process ended in between
    }
  }
  const found: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    for (const child of byParent.get(stack.pop() as number) ?? []) {
      found.push(child);
      stack.push(child);
    }
  }
  return found;
}

/** A process's command line; empty once it has exited (a zombie not yet reaped by its parent). */
const commandLineOf = (pid: number): string => {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
};

/** A live Chromium process under a root: its pid and its kind (`browser` is the main process). */
export type ChromiumProcess = { pid: number; kind: 'browser' | 'renderer' | 'other' };

/**
 * Chromium's live processes under `root` now. Chromium rewrites its processes' titles, so the kind is found in the
 * command line as text (`--type=renderer`: a page's renderer, or the spare one Chromium keeps ready; no `--type`: the
 * browser; any other: zygotes, network, storage and GPU processes); an exited process not yet reaped has no command
 * line and is not counted.
 */
export function chromiumProcesses(root: number): ChromiumProcess[] {
  return descendantsOf(root).flatMap((pid): ChromiumProcess[] => {
    const line = commandLineOf(pid);
    if (!/chrom/i.test(line)) return [];
    const type = /--type=(\S+?)(\s|\0|$)/.exec(line)?.[1];
    return [{ pid, kind: type === undefined ? 'browser' : type === 'renderer' ? 'renderer' : 'other' }];
  });
}

/** How many live Chromium processes of `kind` run under `root` now. */
export const chromiumCount = (root: number, kind: ChromiumProcess['kind']): number =>
  chromiumProcesses(root).filter((process) => process.kind === kind).length;

/**
 * Samples `count` every `everyMs` while `work` runs; the largest value seen and the work's result. Reading /proc is
 * synchronous and blocks the app of the same process: not more often than needed.
 */
export async function peakWhile<T>(
  count: () => number,
  work: () => Promise<T>,
  everyMs = 250,
): Promise<{ peak: number; result: T }> {
  let peak = count();
  const timer = setInterval(() => (peak = Math.max(peak, count())), everyMs);
  try {
    const result = await work();
    return { peak: Math.max(peak, count()), result };
  } finally {
    clearInterval(timer);
  }
}
