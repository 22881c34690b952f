// Where an export is written: the documents' titles, and what is wrong with
// a typed path before it is sent. The suggested paths themselves come from
// the Rust side (`suggestPdfPath`), which names the files.

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
