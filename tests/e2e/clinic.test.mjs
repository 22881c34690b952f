// Clinic mode with two real windows on one clinic: `--clinic-demo` starts a
// PostgreSQL server and a Garage photo store of its own (in a temporary
// $XDG_DATA_HOME), fills in the demo clinic, and opens room 1; room 2 is a
// second window on the same clinic. A session recorded in room 2 appears
// in room 1 without a reload; an edit made from a stale form in room 1 is
// refused, naming who changed the record, and "Reload" brings their
// version. A client added from a third desktop (the command line) shows up
// in room 1's list by itself and is found there by the server's search, and
// the demo's photos, imported by room 1's
// window into the bucket, show in room 2, which never had them.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { remote } from "webdriverio";
import { BIN, DEMO, SHOTS, byTestId, goTo, settle, signIn, startDriver, textsOf, waitForImages } from "./driver.mjs";

const xdg = mkdtempSync(path.join(os.tmpdir(), "pinpoint-e2e-clinic-"));
const base = path.join(xdg, "pinpoint-clinic-demo");
/** Filling the demo clinic imports ~100 photos into the bucket: minutes in a debug build. */
const FILLING = 600_000;

let first;
let second;
const windows = [];
before(async () => {
  first = await startDriver({ XDG_DATA_HOME: xdg });
  second = await startDriver({ XDG_DATA_HOME: xdg });
});
after(async () => {
  for (const browser of windows) await browser.deleteSession().catch(() => {});
  first?.stop();
  second?.stop();
  // The demo's servers stop once its window's process is gone; then their
  // folders go (as root, the PostgreSQL one is under /var/tmp, named after
  // the demo folder).
  const rootServer = path.join(
    "/var/tmp/pinpoint-clinic-demo",
    `server-${createHash("sha256").update(base).digest().subarray(0, 8).toString("hex")}`,
  );
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && [rootServer, path.join(base, "server")].some((d) => existsSync(path.join(d, "data/postmaster.pid")))) {
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  rmSync(rootServer, { recursive: true, force: true });
  rmSync(xdg, { recursive: true, force: true });
});

function secret(text) {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "pinpoint-secret-")), "secret");
  writeFileSync(file, `${text}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

/** The command line as a third desktop of the clinic, signed in as the demo's owner. */
function thirdDesktop(...args) {
  const clinic = path.join(base, "clinic.json");
  const out = execFileSync(BIN, ["--clinic", clinic, "--data-dir", path.join(base, "room-3"), "--json", ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      XDG_DATA_HOME: xdg,
      PINPOINT_USER: DEMO.user,
      PINPOINT_PASSPHRASE_FILE: secret(DEMO.passphrase),
      PINPOINT_PIN_FILE: secret(DEMO.pin),
      PINPOINT_CLINIC_PHOTO_SECRET_FILE: path.join(base, "photo-secret"),
    },
  });
  return JSON.parse(out);
}

/** Opens the window of `room` on the demo clinic and signs in as its owner. */
async function openRoom(driver, room) {
  const browser = await remote({
    hostname: "127.0.0.1",
    port: driver.port,
    logLevel: "error",
    connectionRetryTimeout: FILLING,
    capabilities: { "tauri:options": { application: BIN, args: [`--clinic-demo=${room}`] } },
  });
  windows.push(browser);
  await signIn(browser, DEMO.user, DEMO.passphrase);
  return browser;
}

/** Waits for the care warnings to be checked and gives each one shown a reason. */
async function answerWarnings(browser, reason) {
  const status = await byTestId(browser, "warnings-status");
  await browser.waitUntil(async () => /^(None|\d+)$/.test((await status.getText()).trim()), {
    timeout: 20_000,
    timeoutMsg: "the care warnings were not checked",
  });
  for (const input of await browser.$$('[data-testid="warning-reason"]')) {
    if ((await input.getValue()) === "") await input.setValue(reason);
  }
}

test("two rooms share one clinic: live updates, a session from the other room, a clear edit conflict", { timeout: FILLING + 300_000 }, async () => {
  const one = await openRoom(first, "room-1");
  const two = await openRoom(second, "room-2");

  // A client added on a third desktop appears in room 1's list by itself.
  await goTo(one, "#/clients");
  await byTestId(one, "client-row");
  const client = thirdDesktop("client", "add", "--name", "Nora Livewell", "--phone", "+44 7700 900123");
  await one.waitUntil(async () => (await textsOf(one, "client-row")).some((t) => t.includes("Nora Livewell")), {
    timeout: 15_000,
    timeoutMsg: "room 1 did not show the client added on the third desktop",
  });
  await settle(one);
  await one.saveScreenshot(path.join(SHOTS, "clinic-list-live.png"));

  // Search on the server: a fragment of the name, any case, and the phone's
  // digits typed with spaces find her and no one else.
  for (const words of ["LIVEW", "livewell 7700 900123"]) {
    const search = await byTestId(one, "search-input");
    await search.clearValue();
    await search.setValue(words);
    await one.waitUntil(
      async () => {
        const rows = await textsOf(one, "client-row");
        return rows.length === 1 && rows[0].includes("Nora Livewell");
      },
      { timeout: 15_000, timeoutMsg: `searching ${words} in room 1 did not list Nora Livewell alone` },
    );
  }
  await settle(one);
  await one.saveScreenshot(path.join(SHOTS, "clinic-search.png"));

  // Room 1 watches the client's sessions; room 2 records one.
  await goTo(one, `#/clients/${client.id}/sessions`);
  await byTestId(one, "client-name");
  assert.equal((await one.$$('[data-testid="session-row"]')).length, 0, "no session yet");
  await goTo(two, `#/clients/${client.id}/sessions/new`);
  await byTestId(two, "session-form");
  const practitioner = await byTestId(two, "session-practitioner");
  if ((await practitioner.getValue()) === "") {
    const options = await practitioner.$$("option");
    for (const option of options) {
      const value = await option.getAttribute("value");
      if (value) {
        await practitioner.selectByAttribute("value", value);
        break;
      }
    }
  }
  const row = (await two.$$('[data-testid="zone-row"]'))[0];
  await (await row.$('[data-testid="zone-select"]')).selectByAttribute("value", "cheeks");
  const depth = await row.$('[data-testid="zone-depth"]');
  await depth.clearValue();
  await depth.setValue("0.5");
  const passes = await row.$('[data-testid="zone-passes"]');
  await passes.clearValue();
  await passes.setValue("2");
  await answerWarnings(two, "first visit, reviewed with the client");
  const save = await byTestId(two, "save-session");
  await save.waitForEnabled({ timeout: 20_000, timeoutMsg: "Save stayed disabled" });
  await save.click();
  await byTestId(two, "session-page");
  await one.waitUntil(async () => (await one.$$('[data-testid="session-row"]')).length === 1, {
    timeout: 15_000,
    timeoutMsg: "room 1 did not show the session recorded in room 2",
  });
  await settle(one);
  await one.saveScreenshot(path.join(SHOTS, "clinic-session-live.png"));

  // Room 2 shows photos room 1 imported (filling the demo): they come from
  // the clinic's bucket, sealed there, into room 2's own cache.
  const withPhotos = thirdDesktop("client", "list").find((c) => thirdDesktop("photo", "list", "--client", c.id).length >= 2);
  assert.ok(withPhotos, "the demo clinic has a client with photos");
  await goTo(two, `#/clients/${withPhotos.id}/photos`);
  await waitForImages(two, '[data-testid="photo-tile"] img', 2, 60_000);
  await settle(two);
  await two.saveScreenshot(path.join(SHOTS, "clinic-photos-room-2.png"));

  // Room 1 starts editing the client; room 2 changes and saves it first.
  await goTo(one, `#/clients/${client.id}/edit`);
  const notes = await (await byTestId(one, "client-form")).$('textarea[name="notes"]');
  await notes.setValue("Prefers mornings (typed in room 1)");
  await goTo(two, `#/clients/${client.id}/edit`);
  const phone = await (await byTestId(two, "client-form")).$('input[name="phone"]');
  await phone.setValue("+44 7700 900999");
  await (await byTestId(two, "save-client")).click();
  await byTestId(two, "client-page");
  // Room 1 is told while typing; what was typed stays.
  const notice = await byTestId(one, "changed-elsewhere", 15_000);
  assert.match(await notice.getText(), /Dr\. Amara Okafor/);
  assert.equal(await notes.getValue(), "Prefers mornings (typed in room 1)");
  // Saving anyway is refused, naming who changed it; nothing is overwritten.
  await (await byTestId(one, "save-client")).click();
  const reload = await byTestId(one, "reload-record", 15_000);
  const refusal = await (await one.$(".failure")).getText();
  assert.match(refusal, /Dr\. Amara Okafor changed this client's record/);
  assert.match(refusal, /Nothing was saved/);
  await settle(one);
  await one.saveScreenshot(path.join(SHOTS, "clinic-conflict.png"));
  const stored = thirdDesktop("client", "show", client.id);
  assert.equal(stored.phone, "+44 7700 900999", "room 2's change was kept");
  assert.equal(stored.notes, "", "room 1's stale save wrote nothing");
  // Reload brings room 2's version; the change made again is saved.
  await reload.click();
  await one.waitUntil(async () => (await (await one.$('input[name="phone"]')).getValue()) === "+44 7700 900999", {
    timeout: 15_000,
    timeoutMsg: "Reload did not bring room 2's phone number",
  });
  await (await one.$('textarea[name="notes"]')).setValue("Prefers mornings (typed in room 1)");
  await (await byTestId(one, "save-client")).click();
  await byTestId(one, "client-page");
  const both = thirdDesktop("client", "show", client.id);
  assert.equal(both.phone, "+44 7700 900999");
  assert.equal(both.notes, "Prefers mornings (typed in room 1)");
});
