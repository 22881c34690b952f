// Where an export is written: the file name a document gets by default (the
// client's name, what it is, a date), made safe for any file system, the
// path in the person's documents folder, and what is wrong with a typed path
// before it is sent.

/** The PDF documents the app writes, and the words their default file names use. */
export const PDF_DOCUMENTS = {
  report: { title: 'Progress report', fileWords: 'progress report' },
  note: { title: 'Treatment note', fileWords: 'treatment note' },
  aftercare: { title: 'Aftercare sheet', fileWords: 'aftercare' },
} as const;

export type PdfDocument = keyof typeof PDF_DOCUMENTS;

/** Longest name part kept in a default file name, in characters. */
const MAX_NAME = 80;

// Forbidden in file names on Windows, macOS or Linux, and control characters.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[<>:"/\\|?*\u0000-\u001f\u007f]/g;

/**
 * `text` as a file name every system accepts: characters a file name cannot
 * hold become `_`, runs of spaces one space, no leading or trailing dots or
 * spaces (hidden files on Linux and macOS, refused on Windows), at most
 * `MAX_NAME` characters; `fallback` when nothing is left.
 */
export function safeFileName(text: string, fallback = 'Client'): string {
  const cleaned = text
    .replace(/\s+/g, ' ')
    .replace(UNSAFE, '_')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  const cut = Array.from(cleaned).slice(0, MAX_NAME).join('').replace(/[\s.]+$/, '');
  return cut === '' ? fallback : cut;
}

/** "Ana Sousa progress report 2026-11-25.pdf": whose, what, and the date ("YYYY-MM-DD"). */
export function pdfFileName(clientName: string, document: PdfDocument, date: string): string {
  return `${safeFileName(clientName)} ${PDF_DOCUMENTS[document].fileWords} ${date}.pdf`;
}

/** The separator a folder path uses: `\` for a Windows path, else `/`. */
function separatorOf(folder: string): string {
  return folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
}

/** `name` inside `folder`, with the folder's own separator. */
export function joinPath(folder: string, name: string): string {
  const sep = separatorOf(folder);
  const base = folder.trim();
  if (base === '') return name;
  return base.endsWith('/') || base.endsWith('\\') ? `${base}${name}` : `${base}${sep}${name}`;
}

/**
 * The path with `.pdf` added when it has no such ending (a name typed
 * without it, or a save dialog that does not add it). A path that ends in a
 * separator is a folder and left as it is, for the Rust side to refuse.
 */
export function withPdfExtension(path: string): string {
  const trimmed = path.trim();
  if (trimmed === '' || /\.pdf$/i.test(trimmed) || /[\\/]$/.test(trimmed)) return trimmed;
  return `${trimmed}.pdf`;
}

/** Whether a path starts from the root: `/…`, `C:\…`, `C:/…` or `\\server\…`. */
export function isAbsolutePath(path: string): boolean {
  return /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(path.trim());
}

/**
 * What is wrong with a typed destination before anything is written, in the
 * app's lowercase style; null when it can be sent. `what` is "file" or "folder".
 */
export function destinationProblem(path: string, what: 'file' | 'folder'): string | null {
  const trimmed = path.trim();
  if (trimmed === '') return `type the ${what}’s full path, or choose one`;
  if (!isAbsolutePath(trimmed)) return `give the full path from the top, e.g. /home/you/Documents${what === 'file' ? '/report.pdf' : ''}`;
  return null;
}
