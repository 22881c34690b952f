// Erasing a client's record in the real window, as the demo clinic's owner:
// the settings show how long records are kept and the records past it; the
// client page says until when this record is kept; the erase dialog offers
// the retention only once it has passed, wakes its danger button only for
// the client's name as recorded (any case), and, once erased, the client
// list no longer has the client and a notice says what was removed. After
// the window closes, the command line finds no trace of the client either.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";
import { SHOTS, byTestId, cli, currentHash, freshDataDir, goTo, openApp, settle, startDriver, textsOf } from "./driver.mjs";

let driver;
before(async () => {
  driver = await startDriver();
});
after(() => driver?.stop());

async function shot(browser, name) {
  await settle(browser);
  await browser.saveScreenshot(path.join(SHOTS, `${name}.png`));
}

/** Today's local date as "YYYY-MM-DD", as the window reckons it. */
function localToday() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** A demo client whose name no other client shares, with how long their record is kept. */
function pickClient(dataDir) {
  const clients = cli(dataDir, "client", "list");
  const client = clients.find((c) => clients.filter((other) => other.name.toLowerCase() === c.name.toLowerCase()).length === 1);
  assert.ok(client, "the demo has a client with a name of their own");
  const [retention] = cli(dataDir, "client", "retention", client.id);
  assert.equal(retention.client_id, client.id);
  return { client, retention, listed: clients.length };
}

test("the owner erases a client's record on the client's request, with the name typed to confirm", async () => {
  const dataDir = freshDataDir();
  cli(dataDir, "demo");
  const { client, retention, listed } = pickClient(dataDir);
  const passed = retention.kept_until <= localToday();
  const years = Number(retention.kept_until.slice(0, 4)) - Number(retention.last_visit.slice(0, 4));

  const browser = await openApp(driver, dataDir);
  try {
    // Settings: the years records are kept, and the owner's list of those past it.
    await goTo(browser, "#/settings");
    assert.equal(await (await byTestId(browser, "retention-years")).getValue(), String(years), "the clinic keeps records its years");
    await byTestId(browser, "past-retention");

    // The client page says until when the record is kept, and why.
    await goTo(browser, `#/clients/${client.id}`);
    assert.equal(await (await byTestId(browser, "client-name")).getText(), client.name);
    const kept = await (await byTestId(browser, "retention-kept-until")).getText();
    const said = /^Kept until (.+) \((\d+) years? after the last visit on (.+)\)$/.exec(kept);
    assert.ok(said, `the kept-until line reads as a sentence: ${kept}`);
    assert.equal(Number(said[2]), years, "the line counts the clinic's years");
    assert.ok(said[1].includes(retention.kept_until.slice(0, 4)), `kept until the core's date ${retention.kept_until}: ${kept}`);
    assert.ok(said[3].includes(retention.last_visit.slice(0, 4)), `after the core's last visit ${retention.last_visit}: ${kept}`);

    // The dialog: the retention only once it has passed; the request at any time.
    await (await byTestId(browser, "erase-record")).click();
    const dialog = await byTestId(browser, "erase-dialog");
    assert.match(await dialog.getText(), /removed for good/);
    assert.match(await dialog.getText(), /Backups made before/);
    const submit = await byTestId(browser, "erase-submit");
    assert.equal(await (await byTestId(browser, "erase-reason-retention")).isEnabled(), passed, "the retention may be chosen only once it has passed");
    await (await byTestId(browser, "erase-reason-request")).click();
    assert.equal(await (await byTestId(browser, "erase-reason-request")).isSelected(), true);

    // A wrong name keeps the danger button asleep; the name as recorded, in any case, wakes it.
    const nameField = await byTestId(browser, "erase-confirm-name");
    const wrongName = client.name.includes(" ") ? client.name.split(" ")[0] : `${client.name}x`;
    await nameField.setValue(wrongName);
    assert.equal(await submit.isEnabled(), false, "a wrong name cannot erase the record");
    await nameField.setValue(client.name.toLowerCase());
    await browser.waitUntil(async () => submit.isEnabled(), { timeout: 10_000, timeoutMsg: "the client's name did not enable Erase record" });
    await shot(browser, "erase-dialog");

    await submit.click();
    await browser.waitUntil(async () => (await currentHash(browser)) === "#/clients", {
      timeout: 60_000,
      timeoutMsg: "the window did not go back to the client list after erasing",
    });
    // The notice, among any other message of the moment (an automatic backup's).
    const erased = /Record erased: \d+ rows? and \d+ photos? removed\./;
    await browser.waitUntil(async () => (await textsOf(browser, "toast")).some((text) => erased.test(text)), {
      timeout: 20_000,
      timeoutMsg: "no notice said what the erasure removed",
    });

    // The list no longer has the client (it has everyone else).
    await browser.waitUntil(async () => (await textsOf(browser, "client-row")).length === listed - 1, {
      timeout: 20_000,
      timeoutMsg: `the list did not show the ${listed - 1} other clients`,
    });
    const rows = await textsOf(browser, "client-row");
    assert.ok(!rows.some((row) => row.includes(client.name)), `${client.name} is no longer listed`);
    await shot(browser, "erase-done");
  } catch (error) {
    await shot(browser, "erase-failed").catch(() => {});
    throw error;
  } finally {
    await browser.deleteSession();
  }

  const everyone = cli(dataDir, "client", "list", "--archived");
  assert.ok(!everyone.some((c) => c.id === client.id), "the command line finds no trace of the erased client");
  assert.throws(() => cli(dataDir, "client", "show", client.id), "the erased record cannot be opened");
});
