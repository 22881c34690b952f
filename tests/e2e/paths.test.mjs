// The page cannot name a path on its own: a folder typed into the import
// field is used only after a native question naming it. Here the question
// is answered "Cancel" (tauri-driver starts the app with
// PINPOINT_TEST_DIALOGS=refuse): the window says why, lists nothing, and
// nothing is imported.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { SHOTS, byTestId, cli, freshDataDir, openApp, startDriver } from "./driver.mjs";

let driver;
before(async () => {
  driver = await startDriver({ PINPOINT_TEST_DIALOGS: "refuse" });
});
after(() => driver?.stop());

test("a typed folder the person does not allow is refused and nothing is read", async () => {
  const dataDir = freshDataDir();
  const client = cli(dataDir, "client", "add", "--name", "Pia Paths");
  const folder = mkdtempSync(path.join(os.tmpdir(), "pinpoint-e2e-typed-"));
  writeFileSync(path.join(folder, "IMG_0001.jpg"), "not even a photo");
  const browser = await openApp(driver, dataDir);
  try {
    await (await byTestId(browser, "client-row")).click();
    await (await byTestId(browser, "tab-photos")).click();
    await byTestId(browser, "photos-tab");
    await (await byTestId(browser, "import-photos-button")).click();
    const panel = await byTestId(browser, "import-panel");
    await (await byTestId(browser, "import-from-folder")).click();
    await (await byTestId(browser, "import-folder-input")).setValue(folder);
    await (await byTestId(browser, "import-folder-list")).click();
    await browser.waitUntil(async () => /was not chosen in this window/.test(await panel.getText()), {
      timeout: 20_000,
      timeoutMsg: "the refusal was not shown",
    });
    assert.match(await panel.getText(), new RegExp(path.basename(folder)));
    assert.equal((await browser.$$('[data-testid="import-file"]')).length, 0, "nothing is listed");
    await browser.saveScreenshot(path.join(SHOTS, "paths-typed-folder-refused.png"));
  } finally {
    await browser.deleteSession();
  }
  const photos = cli(dataDir, "photo", "list", "--client", client.id);
  assert.equal(photos.length, 0);
});
