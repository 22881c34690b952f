// Who is at the keyboard, over IPC: the first start's setup, signing in and
// out, the lock and its PIN, the sealed folder's recovery key, the clinic's
// accounts, and the audit's reports. The core decides every permission; the
// window only hides what it would refuse.
import { commands, events } from './bindings';
import type {
  AccessEntry, Account, AccountId, AuthStatus, ClientId, FirstOwner, NewAccount, Permission, ReportFormat,
  SealingProgress, WrittenPdf,
} from './bindings';
import { call } from './errors';

export type {
  AccessEntry, Account, AccountId, AuthStatus, Door, FirstOwner, Me, NewAccount, Permission, ReportFormat, Role,
  SealingProgress, SignInName, Treats,
} from './bindings';

export function authStatus(): Promise<AuthStatus> {
  return call(() => commands.authStatus());
}

/** The first start: the clinic's name and its owner, who is signed in at once. */
export function setupClinic(input: FirstOwner): Promise<AuthStatus> {
  return call(() => commands.setupClinic(input));
}

export function signIn(name: string, passphrase: string): Promise<AuthStatus> {
  return call(() => commands.signIn(name, passphrase));
}

/** First use of an account made without a passphrase: the person chooses one and a PIN. */
export function claimAccount(name: string, passphrase: string, pin: string): Promise<AuthStatus> {
  return call(() => commands.claimAccount(name, passphrase, pin));
}

/**
 * Opens a sealed data folder with its recovery key and gives the account
 * `name` a new passphrase and PIN, signing them in. A key that does not
 * open the folder is refused on field `recovery_key`.
 */
export function recoverAccount(recoveryKey: string, name: string, passphrase: string, pin: string): Promise<AuthStatus> {
  return call(() => commands.recoverAccount(recoveryKey, name, passphrase, pin));
}

/** The owner has kept the recovery key shown after sealing: it is not shown again. */
export function dismissRecoveryKey(): Promise<AuthStatus> {
  return call(() => commands.dismissRecoveryKey());
}

/**
 * Prints the recovery sheet (PDF) of the key being shown to the file
 * `path`. A file already there is replaced only with `replace`; otherwise
 * the call rejects with kind `conflict`, for the window to ask.
 */
export function saveRecoverySheet(path: string, replace = false): Promise<WrittenPdf> {
  return call(() => commands.saveRecoverySheet(path.trim(), replace));
}

/**
 * Calls `handler` as the data folder is sealed (during the first start, or
 * the owner's first sign-in to a folder still in the clear); resolves to a
 * function that stops listening.
 */
export function onSealingProgress(handler: (progress: SealingProgress) => void): Promise<() => void> {
  return events.sealingProgress.listen((event) => handler(event.payload));
}

/** Resumes the locked window with the PIN of the person who locked it. */
export function resume(pin: string): Promise<AuthStatus> {
  return call(() => commands.resume(pin));
}

export function lockWindow(): Promise<AuthStatus> {
  return call(() => commands.lockWindow());
}

export function signOut(): Promise<AuthStatus> {
  return call(() => commands.signOut());
}

export function listAccounts(): Promise<Account[]> {
  return call(() => commands.listAccounts());
}

export function addAccount(input: NewAccount): Promise<Account> {
  return call(() => commands.addAccount(input));
}

export function setAccountDisabled(id: AccountId, disabled: boolean): Promise<Account> {
  return call(() => commands.setAccountDisabled(id, disabled));
}

/** Sets a passphrase (one's own, or anyone's for the owner) and, when given, a PIN. */
export function setPassphrase(id: AccountId, passphrase: string, pin: string | null): Promise<Account> {
  return call(() => commands.setPassphrase(id, passphrase, pin));
}

/** Everything recorded about a client's record, oldest first. */
export function accessReport(clientId: ClientId): Promise<AccessEntry[]> {
  return call(() => commands.accessReport(clientId));
}

/** What one account did, newest first. */
export function accountActivity(accountId: AccountId): Promise<AccessEntry[]> {
  return call(() => commands.accountActivity(accountId));
}

export function exportAccessReport(
  clientId: ClientId,
  format: ReportFormat,
  path: string,
  replace: boolean,
): Promise<WrittenPdf> {
  return call(() => commands.exportAccessReport(clientId, format, path, replace));
}

/** Whether the person signed in may do what `permission` covers (false when nobody is). */
export function allows(status: AuthStatus | null, permission: Permission): boolean {
  return status?.me?.permissions.includes(permission) ?? false;
}
