// Where an export is written: the documents' titles, what is wrong with a
// typed path before it is sent, and the file names the window offers itself
// (the access report, the recovery sheet). The documents' suggested paths
// come from the Rust side (`suggestPdfPath`), which names those files.

/** The PDF documents the app writes. */
export const PDF_DOCUMENTS = {
  report: { title: 'Progress report' },
  note: { title: 'Treatment note' },
  aftercare: { title: 'Aftercare sheet' },
} as const;

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

/** `text` (a client's or clinic's name) as part of a file name: no characters a file system refuses, no leading or trailing dots; `fallback` when nothing is left. */
export function fileNamePart(text: string, fallback: string): string {
  const cleaned = text
    .replace(/\s+/g, ' ')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]/g, '_')
    .replace(/^[ .]+|[ .]+$/g, '')
    .slice(0, 80)
    .replace(/[ .]+$/g, '');
  return cleaned === '' ? fallback : cleaned;
}

/**
 * The file `name` inside `folder`, with the folder's own separator (a
 * Windows folder uses "\\"); empty when there is no folder.
 */
export function fileIn(folder: string, name: string): string {
  const trimmed = folder.trim();
  if (trimmed === '') return '';
  const separator = trimmed.includes('\\') && !trimmed.includes('/') ? '\\' : '/';
  const base = trimmed.replace(/[\\/]+$/, '');
  return `${base}${separator}${name}`;
}
