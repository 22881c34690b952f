// Short messages that appear in a corner and go away on their own (an
// automatic backup finished) or stay until dismissed (one failed).

export type ToastTone = 'success' | 'danger' | 'info';
export type Toast = { id: number; tone: ToastTone; title: string; text: string };

/** How long a message stays, in milliseconds; failures stay until dismissed. */
export const TOAST_MS = 8000;

class Toasts {
  list: Toast[] = $state([]);
  #next = 1;

  /** Shows a message; `stayMs` null keeps it until dismissed. */
  show(tone: ToastTone, title: string, text: string, stayMs: number | null = tone === 'danger' ? null : TOAST_MS): number {
    const id = this.#next++;
    this.list = [...this.list, { id, tone, title, text }];
    if (stayMs !== null) setTimeout(() => this.dismiss(id), stayMs);
    return id;
  }

  dismiss(id: number) {
    this.list = this.list.filter((toast) => toast.id !== id);
  }
}

export const toasts = new Toasts();
