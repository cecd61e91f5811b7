/**
 * The NDI sources this machine can see, for the console's input picker: a libndi
 * finder kept open (its mDNS cache warms up; the extra IPs and discovery servers
 * the engine was started with apply) and read without blocking: each look is
 * `findWaitForSources(finder, 0)` on a timer, so the engine thread (the output
 * clocks) never waits on the network.
 */
import type { NdiSourcesStatus } from '../../contract/input-control.js';
import type { LibNdi, NativePointer } from './libndi.js';

/** Between two looks at the finder's list during a find, ms. */
const POLL_MS = 100;

export interface NdiSourceListOptions {
  /** libndi, loaded on first use; a string says why it is not there. */
  lib: () => LibNdi | string;
  extraIps?: string;
  wallMs: () => number;
}

export class NdiSourceList {
  private finder: NativePointer | null = null;
  private lib: LibNdi | null = null;
  private current: NdiSourcesStatus = { names: [], searching: false, atMs: null, error: null };
  private closed = false;

  constructor(private readonly options: NdiSourceListOptions) {}

  status(): NdiSourcesStatus {
    return { ...this.current, names: [...this.current.names] };
  }

  /** Looks for `timeoutMs`; resolves with the names found (sorted), or the reason no find could run. */
  async find(timeoutMs: number): Promise<{ ok: true; names: string[] } | { ok: false; message: string }> {
    const opened = this.open();
    if (typeof opened === 'string') {
      this.current = { ...this.current, searching: false, error: opened };
      return { ok: false, message: opened };
    }
    const { lib, finder } = opened;
    this.current = { ...this.current, searching: true };
    const until = Date.now() + timeoutMs;
    let names: string[] = [];
    for (;;) {
      if (this.closed) break;
      lib.findWaitForSources(finder, 0);
      names = lib.findGetCurrentSources(finder).map((s) => s.name);
      if (Date.now() >= until) break;
      await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(0, until - Date.now()))));
    }
    names = [...new Set(names)].sort();
    this.current = { names, searching: false, atMs: this.options.wallMs(), error: null };
    return { ok: true, names };
  }

  close(): void {
    this.closed = true;
    if (this.finder && this.lib) this.lib.findDestroy(this.finder);
    this.finder = null;
  }

  private open(): { lib: LibNdi; finder: NativePointer } | string {
    if (this.closed) return 'The engine is stopping.';
    if (this.finder && this.lib) return { lib: this.lib, finder: this.finder };
    const lib = this.options.lib();
    if (typeof lib === 'string') return lib;
    const finder = lib.findCreate({ show_local_sources: true, p_groups: null, p_extra_ips: this.options.extraIps ?? null });
    if (!finder) return 'NDI could not start a source finder (NDIlib_find_create_v2 failed).';
    this.lib = lib;
    this.finder = finder;
    return { lib, finder };
  }
}
