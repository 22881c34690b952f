// A practitioner records a treatment session in the real window: two zones
// and a product with its lot, a reason for the care warning raised, then
// signs it. Editing the signed session is refused; an amendment with a
// reason is recorded instead and shown beside the session.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import {
  PIN,
  SHOTS,
  byTestId,
  chooseSegment,
  cli,
  currentHash,
  freshDataDir,
  goTo,
  openApp,
  startDriver,
} from "./driver.mjs";

let driver;
before(async () => {
  driver = await startDriver();
});
after(() => driver?.stop());

/** A clinic with one practitioner, one pen, a cartridge and a serum in stock, and a screened, consenting client. */
function prepareClinic(dataDir) {
  cli(dataDir, "catalogue", "add-practitioner", "--name", "Dr Test", "--credentials", "MD");
  cli(dataDir, "catalogue", "add-device", "--model", "Test pen", "--serial", "TP-1", "--max-depth", "2.5");
  cli(dataDir, "catalogue", "add-product", "--name", "Nano 36", "--kind", "cartridge", "--needles", "36");
  cli(dataDir, "catalogue", "add-lot", "--product", "Nano 36", "--lot", "C-100", "--expires", "2099-12-31");
  cli(dataDir, "catalogue", "add-product", "--name", "HA serum", "--kind", "serum");
  cli(dataDir, "catalogue", "add-lot", "--product", "HA serum", "--lot", "HA-7", "--expires", "2099-12-31");
  const client = cli(dataDir, "client", "add", "--name", "Tess Tester", "--alerts", "Allergic to latex");
  cli(dataDir, "consent", "add", "--client", client.id, "--kind", "treatment", "--signature", "Tess Tester");
  // A "yes" to cold sores: a caution the practitioner must answer with a reason.
  cli(dataDir, "screening", "add", "--client", client.id, "--yes", "herpes");
  return client;
}

async function texts(browser, testId) {
  const elements = await browser.$$(`[data-testid="${testId}"]`);
  const out = [];
  for (const element of elements) out.push(await element.getText());
  return out;
}

/** Fills zone row `index` of the session form. */
async function fillZone(browser, index, zone, depth, passes) {
  const rows = await browser.$$('[data-testid="zone-row"]');
  const row = rows[index];
  await (await row.$('[data-testid="zone-select"]')).selectByAttribute("value", zone);
  const depthInput = await row.$('[data-testid="zone-depth"]');
  await depthInput.clearValue();
  await depthInput.setValue(depth);
  const passesInput = await row.$('[data-testid="zone-passes"]');
  await passesInput.clearValue();
  await passesInput.setValue(passes);
}

/** Waits for the live warning check to settle, then gives every warning shown a reason. */
async function answerWarnings(browser, reason) {
  const status = await byTestId(browser, "warnings-status");
  await browser.waitUntil(async () => /^(None|\d+)$/.test((await status.getText()).trim()), {
    timeout: 20_000,
    timeoutMsg: "the care warnings were not checked",
  });
  const shown = await texts(browser, "warning");
  for (const input of await browser.$$('[data-testid="warning-reason"]')) {
    if ((await input.getValue()) === "") await input.setValue(reason);
  }
  return shown;
}

async function saveWhenReady(browser) {
  const save = await byTestId(browser, "save-session");
  await save.waitForEnabled({ timeout: 20_000, timeoutMsg: "Save stayed disabled: a warning lacks a reason" });
  await save.click();
}

test("record a session, sign it, see an edit refused, amend it with a reason", async () => {
  const dataDir = freshDataDir();
  const client = prepareClinic(dataDir);
  const noteFile = path.join(mkdtempSync(path.join(os.tmpdir(), "pinpoint-e2e-note-")), "note");
  const browser = await openApp(driver, dataDir);
  let sessionHash = "";
  try {
    // Open the client from the list.
    await byTestId(browser, "search-input");
    await (await byTestId(browser, "client-row")).click();
    assert.equal(await (await byTestId(browser, "client-name")).getText(), "Tess Tester");
    assert.match(await (await byTestId(browser, "client-alerts")).getText(), /latex/, "alerts show at the top");

    // A new session: two zones, the cartridge and one product with its lot.
    await (await byTestId(browser, "new-session-button")).click();
    await byTestId(browser, "session-form");
    assert.notEqual(
      await (await byTestId(browser, "session-practitioner")).getValue(),
      "",
      "the clinic's only practitioner is preselected",
    );
    await fillZone(browser, 0, "cheeks", "1", "3");
    await (await byTestId(browser, "add-zone")).click();
    await fillZone(browser, 1, "forehead", "0.5", "2");
    await (await byTestId(browser, "cartridge-product")).selectByAttribute("value", "Nano 36");
    await browser.waitUntil(async () => (await (await byTestId(browser, "cartridge-lot")).getValue()) === "C-100", {
      timeout: 10_000,
      timeoutMsg: "the cartridge's only lot was not chosen",
    });
    await (await byTestId(browser, "add-product")).click();
    const productRow = await byTestId(browser, "product-row");
    await (await productRow.$('select[data-testid$="-product"]')).selectByAttribute("value", "HA serum");
    const productLot = await productRow.$('[data-testid$="-lot"]');
    await browser.waitUntil(async () => (await productLot.getValue()) === "HA-7", {
      timeout: 10_000,
      timeoutMsg: "the serum's lot was not chosen",
    });
    await chooseSegment(browser, "endpoint-erythema");
    await chooseSegment(browser, "pain-4");

    const warnings = await answerWarnings(browser, "cold sores: antiviral prophylaxis taken");
    assert.ok(
      warnings.some((w) => /cold sores/i.test(w)),
      `the screening's "yes" to cold sores is flagged (warnings: ${JSON.stringify(warnings)})`,
    );
    await browser.saveScreenshot(path.join(SHOTS, "session-form.png"));
    await saveWhenReady(browser);

    // The session page shows both zones, the product and the reason given.
    await byTestId(browser, "session-page");
    await browser.waitUntil(async () => (await browser.$$('[data-testid="session-zone"]')).length === 2, {
      timeout: 20_000,
      timeoutMsg: "the saved session does not show two zones",
    });
    const zones = await texts(browser, "session-zone");
    assert.match(zones[0], /Cheeks\s*1 mm\s*3/, "cheeks at 1 mm, 3 passes");
    assert.match(zones[1], /Forehead\s*0\.5 mm\s*2/, "forehead at 0.5 mm, 2 passes");
    const products = await texts(browser, "session-product");
    assert.equal(products.length, 1);
    assert.match(products[0], /HA serum\s*HA-7/, "the serum with its lot");
    assert.match((await texts(browser, "recorded-warning")).join("\n"), /antiviral prophylaxis/, "the reason is kept");
    sessionHash = await currentHash(browser);
    assert.match(sessionHash, /^#\/sessions\/[0-9a-f-]+$/);

    // Sign: the session locks.
    await (await byTestId(browser, "sign-button")).click();
    await byTestId(browser, "sign-form");
    await (await byTestId(browser, "sign-pin")).setValue(PIN);
    await (await byTestId(browser, "confirm-sign")).click();
    const signedLine = await byTestId(browser, "signed-line");
    assert.match(await signedLine.getText(), /Signed by Dr Test at /);
    await byTestId(browser, "amend-button");
    await browser.saveScreenshot(path.join(SHOTS, "session-signed.png"));

    // Editing the signed session is refused by the core, clearly.
    await goTo(browser, `${sessionHash}/edit`);
    await byTestId(browser, "session-form");
    await saveWhenReady(browser);
    const locked = await byTestId(browser, "locked-banner");
    assert.match(await locked.getText(), /signed/i, "the refusal says the session is signed");
    // The refusal is brought into view with its way out focused.
    await browser.waitUntil(
      async () => (await browser.execute(() => document.activeElement?.getAttribute("data-testid"))) === "amend-instead",
      { timeout: 10_000, timeoutMsg: "“Record an amendment instead” did not get the focus" },
    );
    await browser.saveScreenshot(path.join(SHOTS, "session-locked.png"));

    // Record an amendment instead: the cheeks were treated at 1.25 mm.
    await (await byTestId(browser, "amend-instead")).click();
    await byTestId(browser, "amend-box");
    assert.equal(await currentHash(browser), `${sessionHash}/amend`);
    await (await byTestId(browser, "amend-reason")).setValue("depth misread on the pen: cheeks were at 1.25 mm");
    const depth = await (await browser.$$('[data-testid="zone-depth"]'))[0];
    await depth.clearValue();
    await depth.setValue("1.25");
    await browser.waitUntil(async () => /zones/.test(await (await byTestId(browser, "amend-changes")).getText()), {
      timeout: 10_000,
      timeoutMsg: "the amendment does not show that the zones change",
    });
    await answerWarnings(browser, "cold sores: antiviral prophylaxis taken");
    await (await byTestId(browser, "amend-pin")).setValue(PIN);
    await browser.saveScreenshot(path.join(SHOTS, "session-amend.png"));
    await saveWhenReady(browser);

    // The amendment is shown beside the session, with its reason and what changed.
    const amendment = await byTestId(browser, "amendment");
    const amendmentText = await amendment.getText();
    assert.match(amendmentText, /depth misread on the pen/, "the reason is shown");
    assert.match(amendmentText, /1\.25 mm/, "the change is shown");
    assert.match(
      (await texts(browser, "session-zone"))[0],
      /Cheeks\s*1\.25 mm/,
      "the record shows the amended depth",
    );
    await (await byTestId(browser, "session-page")).scrollIntoView({ block: "start" });
    await browser.saveScreenshot(path.join(SHOTS, "session-amended.png"));
    await amendment.scrollIntoView();
    await browser.saveScreenshot(path.join(SHOTS, "session-amendments.png"));

    // Print the treatment note: the suggested name, then a folder of our own.
    const notePath = await byTestId(browser, "note-path");
    await notePath.scrollIntoView({ block: "center" });
    await browser.waitUntil(async () => /Tess Tester treatment note \d{4}-\d{2}-\d{2}\.pdf$/.test(await notePath.getValue()), {
      timeout: 10_000,
      timeoutMsg: "no treatment note file name was suggested",
    });
    await notePath.setValue(noteFile);
    await (await byTestId(browser, "note-start")).click();
    assert.match(await (await byTestId(browser, "note-result", 60_000)).getText(), /1 page/, "the note is one page");
    await browser.saveScreenshot(path.join(SHOTS, "session-documents.png"));

    // The client's access report names who opened, signed and printed what.
    await goTo(browser, `#/clients/${client.id}/access`);
    await byTestId(browser, "access-row");
    const report = (await texts(browser, "access-row")).join("\n");
    for (const expected of ["opened the record", "signed a treatment session", "amended a signed treatment session", "printed the treatment note"]) {
      assert.match(report, new RegExp(`Dr Test.*${expected}`), `the access report says Dr Test ${expected}`);
    }
    await browser.saveScreenshot(path.join(SHOTS, "access-report.png"));
  } finally {
    await browser.deleteSession();
  }

  // With the window closed, the command line sees what the window stored.
  const sessions = cli(dataDir, "session", "list", client.id);
  assert.equal(sessions.length, 1, "one session stored");
  assert.equal(`#/sessions/${sessions[0].id}`, sessionHash);
  const stored = cli(dataDir, "session", "show", sessions[0].id);
  assert.ok(stored.signed_at, "stored as signed");
  assert.equal(stored.signature.account_name, "Dr Test", "signed by the account signed in");
  assert.equal(stored.signature.content_hash.length, 64, "with the SHA-256 of what was signed");
  assert.equal(stored.amendments.length, 1, "one amendment stored");
  assert.deepEqual(
    stored.zones.map((z) => [z.zone, z.depth, z.passes]),
    [
      ["cheeks", 1.25, 3],
      ["forehead", 0.5, 2],
    ],
  );

  // The note was written as a PDF (".pdf" added to the typed name) that
  // says what was done, amendment included.
  assert.ok(existsSync(`${noteFile}.pdf`), "the note was saved with .pdf added");
  const text = execFileSync("pdftotext", ["-layout", `${noteFile}.pdf`, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
  for (const expected of ["Tess Tester", "Cheeks", "1.25 mm", "Forehead", "0.5 mm", "HA-7", "depth misread on the pen"]) {
    assert.ok(text.includes(expected), `the treatment note says ${expected}`);
  }
  execFileSync("pdftoppm", ["-png", "-r", "70", "-f", "1", "-l", "1", `${noteFile}.pdf`, path.join(SHOTS, "session-note-page")]);
});
