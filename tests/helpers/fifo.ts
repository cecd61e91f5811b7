/**
 * A named pipe (FIFO) for "regular files only" tests, with a writer that shows up
 * after `writeAfterMs`. Code that opens the FIFO blocking would hang until then
 * and read `payload` (so such a test fails on its assertions instead of hanging
 * the test worker forever); code that refuses non-regular files never waits.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';

export interface Fifo {
  path: string;
  /** Ends the delayed writer (it waits on the FIFO for a reader that never comes). */
  close(): void;
}

export function makeFifo(file: string, payload = 'x', writeAfterMs = 2000): Fifo {
  execFileSync('mkfifo', [file]);
  const writer: ChildProcess = spawn('sh', ['-c', `sleep ${writeAfterMs / 1000}; printf '%s' "$1" > "$2"`, 'fifo-writer', payload, file], { stdio: 'ignore', detached: true });
  writer.unref();
  return {
    path: file,
    close: () => {
      // Only the process group this helper started.
      if (writer.pid !== undefined && writer.exitCode === null) {
        try {
          process.kill(-writer.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    },
  };
}
