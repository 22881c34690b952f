// A clinic sealed at rest, in the real window: the first start encrypts
// the data folder and shows its recovery key once, with the recovery sheet
// to print; signed out, the folder is closed and the sign-in screen does
// not know the clinic; the recovery key opens it again with a new
// passphrase and PIN, and a wrong key is refused beside the field. The
// demo clinic, made in the clear, is sealed by its owner's first sign-in,
// with the progress shown.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import {
  BIN,
  DEMO,
  OWNER,
  PASSPHRASE,
  PIN,
  SEALING_TIMEOUT,
  SHOTS,
  byTestId,
  cli,
  freshDataDir,
  keepRecoveryKey,
  openApp,
  recoveryKeyOf,
  rememberAccount,
  settle,
  setupClinic,
  shownRecoveryKey,
  signIn,
  startDriver,
} from "./driver.mjs";

let driver;
before(async () => {
  driver = await startDriver();
});
after(() => driver?.stop());

/** 13 groups of 4 in Crockford's base 32 (no I, L, O or U). */
const KEY = /^([0-9A-HJKMNP-TV-Z]{4}-){12}[0-9A-HJKMNP-TV-Z]{4}$/;

async function shot(browser, name) {
  await settle(browser);
  await browser.saveScreenshot(path.join(SHOTS, `${name}.png`));
}

async function type(browser, testId, text) {
  await (await byTestId(browser, testId)).setValue(text);
}

async function click(browser, testId, timeout) {
  await (await byTestId(browser, testId, timeout)).click();
}

async function bodyText(browser) {
  return browser.$("body").getText();
}

test("the first start seals the folder and shows its recovery key once; the key opens the folder again", async () => {
  const dataDir = freshDataDir();
  const out = mkdtempSync(path.join(os.tmpdir(), "pinpoint-e2e-sheet-"));
  const sheet = path.join(out, "recovery sheet.pdf");
  const passphrase = "harbour owner passphrase";
  const renewed = { passphrase: "a passphrase chosen anew", pin: "9753" };
  let recoveryKey;
  const browser = await openApp(driver, dataDir, { setup: false, signIn: false });
  try {
    await byTestId(browser, "setup-owner", 60_000);
    await type(browser, "setup-clinic-name", "Harbour Skin");
    await type(browser, "setup-owner-name", "Hannah Owner");
    await type(browser, "setup-passphrase", passphrase);
    await type(browser, "setup-repeat", passphrase);
    await type(browser, "setup-pin", "4821");
    await click(browser, "setup-create");

    // The key, once, before anything else of the setup.
    await byTestId(browser, "recovery-key", SEALING_TIMEOUT);
    recoveryKey = await shownRecoveryKey(browser);
    assert.match(recoveryKey, KEY, "the key shows as 13 groups of 4 characters");
    await shot(browser, "recovery-key");

    // The recovery sheet, typed into a folder of our own (the native save
    // dialog behind "Choose…" cannot be driven).
    const sheetField = await byTestId(browser, "recovery-sheet-path");
    await browser.waitUntil(async () => /Harbour Skin recovery sheet\.pdf$/.test(await sheetField.getValue()), {
      timeout: 10_000,
      timeoutMsg: "no file name was offered for the recovery sheet",
    });
    await sheetField.setValue(sheet);
    await click(browser, "recovery-sheet-save");
    assert.match(await (await byTestId(browser, "recovery-sheet-result", 60_000)).getText(), /Recovery sheet saved — \d+ pages?/);
    await shot(browser, "recovery-key-sheet-saved");

    // Kept: the setup goes on, and the key is not shown again.
    await click(browser, "recovery-key-kept");
    await click(browser, "setup-next", 20_000);
    await click(browser, "setup-done");
    assert.equal(await (await byTestId(browser, "signed-in-as")).getText(), "Hannah Owner");
    assert.equal((await browser.$$('[data-testid="recovery-key"]')).length, 0, "the key is gone once kept");

    // Signed out, the folder is closed: the sign-in screen does not know the clinic.
    await click(browser, "sign-out");
    await byTestId(browser, "sign-in-form", 30_000);
    const closed = await bodyText(browser);
    assert.ok(closed.includes("Sign in to Pinpoint"), "a closed folder's sign-in says Pinpoint, not an empty clinic name");
    assert.ok(!closed.includes("Harbour Skin"), "nothing of the clinic shows before someone opens it");
    assert.equal((await browser.$$('[data-testid="door-clinic"]')).length, 0);

    // The recovery key, as if the passphrase were lost.
    await click(browser, "use-recovery-key");
    await byTestId(browser, "recover-form");
    await (await byTestId(browser, "recover-name")).selectByVisibleText("Hannah Owner");
    await type(browser, "recover-passphrase", renewed.passphrase);
    await type(browser, "recover-repeat", renewed.passphrase);
    await type(browser, "recover-pin", renewed.pin);
    await type(browser, "recover-repeat-pin", renewed.pin);

    // Too short is said before asking; a key of the right shape that is not
    // this folder's is refused by the core; both beside the field.
    await type(browser, "recover-key", "ABCD-EFGH");
    await click(browser, "recover-submit");
    assert.match(await (await byTestId(browser, "field-error-recovery_key")).getText(), /52 characters; this has 8/i);
    const wrong = `${recoveryKey[0] === "0" ? "1" : "0"}${recoveryKey.slice(1)}`;
    await type(browser, "recover-key", wrong);
    await click(browser, "recover-submit");
    await browser.waitUntil(
      async () => /does not open this data folder/i.test(await (await byTestId(browser, "field-error-recovery_key")).getText()),
      { timeout: 30_000, timeoutMsg: "a wrong recovery key was not refused beside the field" },
    );
    await shot(browser, "recovery-key-refused");

    // The right key, typed as a person might: lower case, no dashes.
    await type(browser, "recover-key", recoveryKey.replaceAll("-", "").toLowerCase());
    await click(browser, "recover-submit");
    assert.equal(await (await byTestId(browser, "signed-in-as", 60_000)).getText(), "Hannah Owner");
    await byTestId(browser, "search-input");
    await shot(browser, "recovered");
  } catch (error) {
    await shot(browser, "sealed-failed").catch(() => {});
    throw error;
  } finally {
    await browser.deleteSession();
  }

  // The new passphrase opens the folder from the command line; the old one no longer does.
  rememberAccount(dataDir, { user: "Hannah Owner", ...renewed });
  assert.deepEqual(cli(dataDir, "client", "list"), [], "the new passphrase opens the sealed folder");
  rememberAccount(dataDir, { user: "Hannah Owner", passphrase, pin: "4821" });
  assert.throws(() => cli(dataDir, "client", "list"), "the lost passphrase opens nothing after the recovery");
  rememberAccount(dataDir, { user: "Hannah Owner", ...renewed });

  // The sheet is a real PDF with the clinic and every group of the key on it.
  assert.ok(existsSync(sheet), "the recovery sheet was written where it was typed");
  assert.equal(readFileSync(sheet).subarray(0, 5).toString(), "%PDF-");
  const text = execFileSync("pdftotext", ["-layout", sheet, "-"], { encoding: "utf8" });
  assert.ok(text.replace(/\s+/g, " ").includes("Harbour Skin"), "the sheet names the clinic");
  const compact = text.replace(/\s+/g, "");
  for (const group of recoveryKey.split("-")) assert.ok(compact.includes(group), `the sheet shows the group ${group}`);
  execFileSync("pdftoppm", ["-png", "-r", "70", "-f", "1", "-l", "1", sheet, path.join(SHOTS, "recovery-sheet-page")]);
});

test("the owner's first sign-in to the demo clinic seals it with its progress shown, and the key shows once", async () => {
  const dataDir = freshDataDir();
  cli(dataDir, "demo");
  const browser = await openApp(driver, dataDir, { signIn: false });
  try {
    await byTestId(browser, "sign-in-form", 60_000);
    assert.equal((await browser.$$('[data-testid="use-recovery-key"]')).length, 0, "a folder in the clear has no recovery key to use");
    for (const button of await browser.$$('[data-testid="sign-in-name"]')) {
      if ((await button.getText()) === DEMO.user) await button.click();
    }
    await type(browser, "sign-in-passphrase", DEMO.passphrase);
    await click(browser, "sign-in-submit");

    // The demo's photos take a while: the door says how far it has got.
    const progress = await byTestId(browser, "sealing-progress", SEALING_TIMEOUT);
    assert.match(await progress.getText(), /Encrypting this clinic's data… \d+ of \d+ files?/);
    await shot(browser, "sealing-progress");

    const key = await keepRecoveryKey(browser);
    assert.match(key, KEY);
    assert.equal(await (await byTestId(browser, "signed-in-as", 30_000)).getText(), DEMO.user);

    // Signed out and in again: sealed now, and the key is not shown again.
    await click(browser, "sign-out");
    await byTestId(browser, "use-recovery-key", 30_000);
    assert.equal(await signIn(browser, DEMO.user, DEMO.passphrase), null, "the recovery key shows only once");
  } catch (error) {
    await shot(browser, "sealing-failed").catch(() => {});
    throw error;
  } finally {
    await browser.deleteSession();
  }
});

test("a sealed backup restores into an empty folder with the recovery key, and the window opens it", async () => {
  const dataDir = freshDataDir();
  setupClinic(dataDir);
  const key = recoveryKeyOf(dataDir);
  assert.match(key, KEY, "the command line's setup printed the recovery key");
  cli(dataDir, "client", "add", "--name", "Restored Person");
  const out = mkdtempSync(path.join(os.tmpdir(), "pinpoint-e2e-restore-"));
  const archive = path.join(out, "clinic.tar");
  cli(dataDir, "backup", "--out", archive);
  assert.ok(!readFileSync(archive).includes(Buffer.from("Restored Person")), "the archive shows no name");

  const keyFile = path.join(out, "recovery-key.txt");
  writeFileSync(keyFile, `${key}\n`, { mode: 0o600 });
  const wrongFile = path.join(out, "wrong-key.txt");
  writeFileSync(wrongFile, `${key[0] === "0" ? "1" : "0"}${key.slice(1)}\n`, { mode: 0o600 });
  const restore = (target, file) =>
    execFileSync(BIN, ["--data-dir", target, "restore", archive], {
      encoding: "utf8",
      env: { ...process.env, PINPOINT_RECOVERY_KEY_FILE: file, PINPOINT_USER: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });

  // A wrong key is refused, and nothing is created.
  const refusedTarget = path.join(out, "refused");
  assert.throws(() => restore(refusedTarget, wrongFile), /does not open this data folder/);
  assert.ok(!existsSync(refusedTarget), "a refused restore creates nothing");

  // The right key restores into a new, empty folder.
  const target = path.join(out, "restored");
  assert.match(restore(target, keyFile), /restored \d+ parts/);
  assert.ok(existsSync(path.join(target, "pinpoint.keys")), "the restored folder is sealed");

  // The window opens the restored folder with the owner's passphrase.
  rememberAccount(target, { user: OWNER, passphrase: PASSPHRASE, pin: PIN });
  const browser = await openApp(driver, target);
  try {
    const search = await byTestId(browser, "search-input");
    await search.setValue("Restored");
    await browser.waitUntil(
      async () => (await bodyText(browser)).includes("Restored Person"),
      { timeout: 20_000, timeoutMsg: "the restored client was not listed" },
    );
    await shot(browser, "restored-sealed-backup");
  } catch (error) {
    await shot(browser, "restore-failed").catch(() => {});
    throw error;
  } finally {
    await browser.deleteSession();
  }
});
