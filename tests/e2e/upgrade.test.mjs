// A clinic whose practitioners were on record before it had accounts (an
// older data folder, or one filled from the command line): after its owner
// is set up (which seals the folder), nothing shows before someone signs
// in, and the sign-in screen of the closed folder offers only the owner: a
// practitioner without a passphrase yet claims their account once someone
// has opened the folder (the owner signs in and locks; "Switch user"), by
// choosing a passphrase and PIN, and can open the folder alone from then on.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";
import {
  OWNER,
  PASSPHRASE,
  SHOTS,
  byTestId,
  cli,
  freshDataDir,
  openApp,
  settle,
  setupClinic,
  signIn,
  startDriver,
} from "./driver.mjs";

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
    const closedNames = [];
    for (const button of await browser.$$('[data-testid="sign-in-name"]')) closedNames.push(await button.getText());
    assert.deepEqual(closedNames, [OWNER], "only an account holding a key can open the sealed folder");

    // The owner opens the folder and locks the window; Leo takes over.
    await signIn(browser, OWNER, PASSPHRASE);
    await (await byTestId(browser, "lock-now")).click();
    await (await byTestId(browser, "switch-user", 30_000)).click();
    await byTestId(browser, "sign-in-form");
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

    // Signed out, the folder closes; Leo's own passphrase opens it now.
    await (await byTestId(browser, "sign-out")).click();
    await signIn(browser, "Leo Marsh", "leo chose this one");
    assert.equal(await (await byTestId(browser, "signed-in-as")).getText(), "Leo Marsh");
  } finally {
    await browser.deleteSession();
  }
});
