/**
 * The one way tests wait: poll a condition until it holds, with a generous limit,
 * never a fixed sleep standing in for "long enough" (a 2-core machine under load
 * takes its time). Returns the first truthy value the probe gives.
 */
export type Probe<T> = () => T | null | undefined | false | Promise<T | null | undefined | false>;

export interface WaitOptions {
  timeoutMs?: number;
  /** Poll interval; short enough not to add latency, long enough not to spin. */
  intervalMs?: number;
  /** What is awaited, for the error message, or a function adding context (logs) when it fails. */
  what?: string | (() => string);
}

export async function waitUntil<T>(probe: Probe<T>, options: WaitOptions = {}): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 20, what = 'condition' } = options;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
