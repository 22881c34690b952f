// Facts about the running application (version, data folder) over IPC.
import { commands } from './bindings';
import type { AppInfo } from './bindings';
import { call } from './errors';

export type { AppInfo };

export function appInfo(): Promise<AppInfo> {
  return call(() => commands.appInfo());
}
