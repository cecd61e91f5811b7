/**
 * File-system error codes (errno names) in an operator's words: what is wrong and
 * what to do, instead of "ENOENT". Used where show files (and the engine's other
 * files) are read and written (safe-files.ts); the caller names the file.
 */

/** Reading: the words after "<file> cannot be read: ". */
const READ_WORDS: Record<string, string> = {
  EACCES: "permission denied (the engine's user may not read it): fix the file's permissions or copy it somewhere readable",
  EPERM: "permission denied (the engine's user may not read it): fix the file's permissions or copy it somewhere readable",
  EIO: 'the disk reported a read error: check the drive, or open a copy from another disk',
  EMFILE: 'the engine has too many files open: close unused outputs or restart the engine, then try again',
  ENFILE: 'the machine has too many files open: close other programs, then try again',
  ENAMETOOLONG: 'the path is too long: move the file to a shorter path',
  ELOOP: 'the path loops through symbolic links: use the real path of the file',
  EBUSY: 'the file is busy (another program holds it): close that program, then try again',
  ETIMEDOUT: 'the network drive did not answer: check the network share, or copy the file to a local disk',
  ESTALE: 'the network drive dropped the file handle: re-mount the share, or copy the file to a local disk',
};

/** Writing: the words after "Could not write <file>: ". `folder` is the target's folder. */
function writeWords(code: string, folder: string): string | null {
  switch (code) {
    case 'ENOENT':
      return `the folder ${folder} does not exist: create it first, or choose a file in a folder that exists`;
    case 'ENOTDIR':
      return `part of the path ${folder} is a file, not a folder: choose a file in a folder that exists`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied (the engine's user may not write in ${folder}): choose another folder, or fix its permissions`;
    case 'ENOSPC':
      return 'the disk is full: free some space or save to another disk; nothing was replaced';
    case 'EDQUOT':
      return 'the disk quota is used up: free some space or save to another disk; nothing was replaced';
    case 'EROFS':
      return 'the disk is read-only (a locked card or a read-only mount): save to another disk';
    case 'EISDIR':
      return 'that name is a folder: add a file name ending in .json';
    case 'ENAMETOOLONG':
      return 'the path is too long: choose a shorter name or folder';
    case 'EIO':
      return 'the disk reported a write error: save to another disk and check this one';
    case 'EXDEV':
      return 'the temporary file landed on another disk: choose a folder on one disk';
    default:
      return READ_WORDS[code] ?? null;
  }
}

const codeOf = (error: unknown): string | null => {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : null;
};

/** Why a file could not be read, in words (the code only when there are no words for it). */
export function readFailureWords(error: unknown): string {
  const code = codeOf(error);
  if (code && READ_WORDS[code]) return READ_WORDS[code];
  return code ? `an unexpected file-system error (${code}): check the file and the disk, then try again` : (error as Error).message;
}

/** Why a file could not be written, in words. */
export function writeFailureWords(error: unknown, folder: string): string {
  const code = codeOf(error);
  const words = code ? writeWords(code, folder) : null;
  if (words) return words;
  return code ? `an unexpected file-system error (${code}): check the folder and the disk, or save somewhere else` : (error as Error).message;
}
