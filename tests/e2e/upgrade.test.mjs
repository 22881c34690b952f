// A clinic whose practitioners were on record before it had accounts (an
// older data folder, or one filled from the command line): after its owner
// is set up, nothing shows before someone signs in, and each practitioner
// chooses a passphrase and PIN at their first sign-in in the real window.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";
import { SHOTS, byTestId, cli, freshDataDir, openApp, settle, setupClinic, startDriver } from "./driver.mjs";

let driver;
before(async () => {
  driver = await startDriver();
});
after(() => driver?.stop());

async function type(browser, testId, text) {
  await (await byTestId(browser, testId)).setValue(text);
}

test("a practitioner on record before accounts claims an account at the first sign-in", async () => {
  const dataDir = freshDataDir();
  cli(dataDir, "catalogue", "add-practitioner", "--name", "Leo Marsh", "--credentials", "RN");
  cli(dataDir, "client", "add", "--name", "Ada Okonkwo");
  setupClinic(dataDir);
  const browser = await openApp(driver, dataDir, { signIn: false });
  try {
    await byTestId(browser, "sign-in-form", 60_000);
    assert.ok(!(await browser.$("body").getText()).includes("Ada Okonkwo"), "no record before signing in");
    for (const button of await browser.$$('[data-testid="sign-in-name"]')) {
      if ((await button.getText()) === "Leo Marsh") await button.click();
    }
    // First use: a new passphrase, the same again, and a PIN.
    await type(browser, "sign-in-passphrase", "leo chose this one");
    await type(browser, "sign-in-repeat", "leo chose this one");
    await type(browser, "sign-in-pin", "2718");
    await settle(browser);
    await browser.saveScreenshot(path.join(SHOTS, "first-sign-in.png"));
    await (await byTestId(browser, "sign-in-submit")).click();
    assert.equal(await (await byTestId(browser, "signed-in-as")).getText(), "Leo Marsh");
    await browser.waitUntil(async () => (await browser.$("body").getText()).includes("Ada Okonkwo"), {
      timeout: 20_000,
      timeoutMsg: "Leo does not see the client list",
    });
  } finally {
    await browser.deleteSession();
  }
});
