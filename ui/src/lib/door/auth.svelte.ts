// Who is at the keyboard, as the whole window sees it: the last AuthStatus
// the core gave. Screens ask `auth.can(permission)` to hide what the core
// would refuse; the core still checks every action.
import { allows, lockWindow, signOut } from '../api/accounts';
import type { AuthStatus, Me, Permission } from '../api/accounts';

class Auth {
  status = $state<AuthStatus | null>(null);

  /** The person signed in (also while their window is locked), or null. */
  get me(): Me | null {
    return this.status?.me ?? null;
  }

  /** Whether the window is open to someone (not setup, signed out or locked). */
  get open(): boolean {
    return this.status?.door === 'open';
  }

  can(permission: Permission): boolean {
    return allows(this.status, permission);
  }

  set(status: AuthStatus): void {
    this.status = status;
  }

  /** Locks the window now (Ctrl+L, the sidebar, the idle timer). */
  async lock(): Promise<void> {
    if (this.status?.door !== 'open') return;
    this.status = await lockWindow();
  }

  /** Signs out: the next person starts at the sign-in screen. */
  async signOut(): Promise<void> {
    this.status = await signOut();
  }
}

export const auth = new Auth();
