// The result of the start-up data check, shared by the banner that reports
// it and the Settings page (which shows the quieter notes).
import { toApiError } from '../api/errors';
import type { ApiError } from '../api/errors';
import { checkData } from '../api/safety';
import type { VerifyReport } from '../api/safety';

class DataCheck {
  report: VerifyReport | null = $state(null);
  failure: ApiError | null = $state(null);
  running = $state(false);

  async run() {
    if (this.running) return;
    this.running = true;
    try {
      this.report = await checkData();
      this.failure = null;
    } catch (error) {
      this.failure = toApiError(error);
    } finally {
      this.running = false;
    }
  }
}

export const dataCheck = new DataCheck();
