/**
 * Recording file names: show, cue and start timecode, so a folder of takes sorts by
 * time and each file says what it holds ("Gala_cue-12_10-00-05-00.mp4"). Pure.
 */

/** Letters, digits, dot, dash and underscore; anything else (slashes, spaces, control characters) becomes "-". At most 60 characters. */
export function fileNamePart(text: string): string {
  const cleaned = text
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 60);
  return cleaned || 'untitled';
}

export interface RecordingNameParts {
  show: string;
  /** The live cue's number, or null (live edits, the timeline). */
  cueNumber: string | null;
  /** "HH:MM:SS:FF" or "HH:MM:SS;FF". */
  timecode: string;
  extension: string;
}

export function recordingFileName(parts: RecordingNameParts): string {
  const cue = parts.cueNumber ? `_cue-${fileNamePart(parts.cueNumber)}` : '';
  return `${fileNamePart(parts.show)}${cue}_${parts.timecode.replace(/[:;]/g, '-')}.${parts.extension}`;
}

/** The name itself when free, else "name-2.ext", "name-3.ext", ... (a recording never replaces a file). */
export function freeName(name: string, taken: (candidate: string) => boolean): string {
  if (!taken(name)) return name;
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  for (let n = 2; ; n++) {
    const candidate = `${stem}-${n}${ext}`;
    if (!taken(candidate)) return candidate;
  }
}

/** "00:01:23" from ms (hours not wrapped), for messages. */
export function clockText(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`;
}
