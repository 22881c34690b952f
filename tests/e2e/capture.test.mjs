// A practitioner captures a session's photos with the clinic's phone: on
// the session page of the real window they open "Capture with a phone",
// and Debian's Chromium, at a phone's size, plays the phone (through its
// own WebDriver, chromedriver). It opens the code's address, pairs, sees
// the client's short name, and sends a "before" and then an "after" photo
// of the same shot through the page's photo-library input (a headless
// browser has no camera). Both arrive in the window's dialog as they are
// sent, the after one lined up with the before; the session's photos show
// them once the dialog closes. The phone's page reloaded still shows which
// shots are done. A second browser bringing the same address
// is told the code cannot be used; once the capture is closed the page no
// longer loads. The command line then sees both photos in the session.
//
// From a follow-up visit on the timeline the same dialog opens for that
// visit: its progress photo shows on the visit's entry as it arrives, and
// Escape closes the capture and gives the focus back. The Photos tab opens
// one for the client alone.
//
// The app is started with PINPOINT_CAPTURE_HOST=127.0.0.1, so the capture
// listens on loopback whatever network the machine has. Nothing is
// downloaded: chromedriver and chromium are Debian's.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { remote } from "webdriverio";
import { SHOTS, byTestId, cli, freshDataDir, goTo, openApp, settle, startDriver, textsOf, waitForImages } from "./driver.mjs";

const CHROMEDRIVER = process.env.CHROMEDRIVER ?? "/usr/bin/chromedriver";
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

let driver;
let chromedriver;
before(async () => {
  driver = await startDriver({ PINPOINT_CAPTURE_HOST: "127.0.0.1" });
  chromedriver = await startChromedriver();
});
after(() => {
  driver?.stop();
  chromedriver?.stop();
});

/** A port nobody listens on now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Whether something accepts connections on `port` of this computer. */
function listening(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function startChromedriver() {
  assert.ok(existsSync(CHROMEDRIVER), `chromedriver is installed at ${CHROMEDRIVER} (.ci/setup installs chromium-driver)`);
  const port = await freePort();
  const child = spawn(CHROMEDRIVER, [`--port=${port}`], { stdio: ["ignore", "ignore", "inherit"] });
  const deadline = Date.now() + 20_000;
  while (!(await listening(port))) {
    if (Date.now() > deadline) throw new Error(`chromedriver did not listen on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { port, stop: () => child.kill() };
}

/** A fresh Chromium the size of a phone, with its own profile (so its own cookies). */
function openPhone() {
  return remote({
    hostname: "127.0.0.1",
    port: chromedriver.port,
    // A refused page load is expected at the end; the test says when one is not.
    logLevel: "silent",
    capabilities: {
      browserName: "chrome",
      "goog:chromeOptions": {
        binary: CHROMIUM,
        args: ["--headless=new", "--no-sandbox", "--ignore-certificate-errors", "--window-size=390,844"],
        // A desktop window is at least 500 px wide: the page is laid out as on a phone 390 px wide, at twice the pixels.
        mobileEmulation: { deviceMetrics: { width: 390, height: 844, pixelRatio: 2, touch: true, mobile: true } },
      },
    },
  });
}

/** A client with one session on the cheeks. */
function prepareClinic(dataDir) {
  cli(dataDir, "catalogue", "add-practitioner", "--name", "Dr Test", "--credentials", "MD");
  const client = cli(dataDir, "client", "add", "--name", "Pia Phone");
  const session = cli(dataDir, "session", "add", "--client", client.id, "--practitioner", "Dr Test", "--at", "2026-11-03 10:00",
    "--zone", "cheeks:1:3", "--proceed-reason", "test clinic");
  return { client, session };
}

/** Two photos as a phone would take them: a skin-like texture, and the same texture turned 2° as a second shot of the same pose. */
function preparePhotos() {
  const folder = mkdtempSync(path.join(os.tmpdir(), "pinpoint-e2e-phone-"));
  const before = path.join(folder, "IMG_2001.jpg");
  const after = path.join(folder, "IMG_2002.jpg");
  execFileSync("convert", ["-seed", "11", "-size", "1200x900", "plasma:wheat-sienna", "-blur", "0x2", before]);
  execFileSync("convert", [before, "-distort", "SRT", "2", "-modulate", "104,95", after]);
  return { before, after };
}

async function shot(browser, name) {
  await settle(browser);
  await browser.saveScreenshot(path.join(SHOTS, `${name}.png`));
}

/** The phone page's line saying what became of the last photo, once it says it was saved. */
async function savedOutcome(phone) {
  const outcome = await phone.$("#outcome");
  await phone.waitUntil(async () => ["success", "warning"].includes(await outcome.getAttribute("data-tone")), {
    timeout: 60_000,
    timeoutMsg: "the phone page did not say the photo was saved",
  });
  return (await phone.$("#outcome-text")).getText();
}

/** Sends a photo file as if chosen from the phone's photos (the input the page's "Photos" button opens). */
async function sendFromLibrary(phone, file) {
  await (await phone.$("#library-input")).addValue(file);
}

test("a phone pairs through the code, sends a before and an after photo, and they arrive in the session", async () => {
  const dataDir = freshDataDir();
  const { client, session } = prepareClinic(dataDir);
  const photos = preparePhotos();
  const window = await openApp(driver, dataDir);
  let phone;
  let stranger;
  try {
    // The session page: no photos yet; the practitioner opens the capture.
    await byTestId(window, "search-input");
    await goTo(window, `#/sessions/${session.id}`);
    await byTestId(window, "session-page");
    await (await byTestId(window, "capture-button")).click();
    const dialog = await byTestId(window, "capture-dialog");
    assert.equal(await (await byTestId(window, "capture-client")).getText(), "Pia P.", "the dialog names the client as the phone will");
    assert.match(await (await byTestId(window, "capture-who")).getText(), /Session of 2026-11-03/);
    const url = (await (await byTestId(window, "capture-url")).getText()).trim();
    assert.match(url, /^https:\/\/127\.0\.0\.1:\d+\/pair\/[0-9a-f]{32}$/, "the code holds the pairing address on the capture host");
    assert.match(await (await byTestId(window, "capture-countdown")).getText(), /^The code works once, for (10:00|9:[0-5]\d) more$/);
    assert.match(await (await byTestId(window, "capture-fingerprint")).getText(), /^([0-9A-F]{2}:){3}[0-9A-F]{2}$/, "the fingerprint's first four groups");
    await waitForImages(window, '[data-testid="capture-qr"]', 1);
    const qrWidth = await window.execute(() => document.querySelector('[data-testid="capture-qr"]').getBoundingClientRect().width);
    assert.ok(qrWidth >= 240, `the QR code is large (${qrWidth} px wide)`);

    // The phone opens the address: it pairs and shows the client and the session.
    phone = await openPhone();
    await phone.url(url);
    const name = await phone.$("#client");
    await phone.waitUntil(async () => (await name.getText()) === "Pia P.", {
      timeout: 20_000,
      timeoutMsg: "the phone page does not show the client's short name",
    });
    assert.equal(await (await phone.$("#moment")).getText(), "Session of 2026-11-03");
    assert.equal(new URL(await phone.getUrl()).pathname, "/", "pairing leads to the capture page");
    await (await phone.$("#shot-title")).waitForDisplayed({ timeout: 20_000 });
    assert.equal(await (await phone.$("#shot-title")).getText(), "Cheeks · Front", "the first shot is the session's zone, front");

    // A before photo of the first shot, from the phone's photos.
    await sendFromLibrary(phone, photos.before);
    assert.match(await savedOutcome(phone), /^Saved\./);
    await window.waitUntil(async () => (await window.$$('[data-testid="capture-arrival"]')).length === 1, {
      timeout: 30_000,
      timeoutMsg: "the before photo did not arrive in the window's dialog",
    });
    assert.deepEqual(await textsOf(window, "capture-arrival-outcome"), ["Saved; no earlier photo of this zone and pose to line up with"]);

    // Then the after photo of the same shot: it lines up with the before.
    await (await phone.$('//div[@id="kind-options"]//label[.//span[text()="After"]]')).click();
    await phone.waitUntil(async () => (await (await phone.$("#shot-title")).getText()) === "Cheeks · Front", {
      timeout: 10_000,
      timeoutMsg: "choosing After did not go back to the first shot",
    });
    await sendFromLibrary(phone, photos.after);
    const afterOutcome = await savedOutcome(phone);
    assert.match(afterOutcome, /^Saved\. Lines up with the earlier photo \(confidence \d+%\)\.$/, afterOutcome);
    await phone.waitUntil(async () => /1 of 3 taken as After/.test(await (await phone.$("#sequence-progress")).getText()), {
      timeout: 10_000,
      timeoutMsg: "the phone's sequence does not count the after photo",
    });
    await shot(phone, "capture-phone-page");

    // The page reloaded still shows what is done: the plan says which shots were taken as what.
    await phone.refresh();
    const progress = await phone.$("#sequence-progress");
    await phone.waitUntil(async () => (await progress.getText()) === "1 of 3 taken as Before", {
      timeout: 20_000,
      timeoutMsg: "the reloaded page does not show the before photo as taken",
    });
    assert.equal(await (await phone.$("#shot-title")).getText(), "Cheeks · Left 45°", "the reloaded page opens on the first shot not taken");
    assert.equal(await (await phone.$('#shot-list button[data-index="0"]')).getAttribute("data-done"), "", "the front shot is marked done");
    await (await phone.$('//div[@id="kind-options"]//label[.//span[text()="After"]]')).click();
    await phone.waitUntil(async () => (await progress.getText()) === "1 of 3 taken as After", {
      timeout: 10_000,
      timeoutMsg: "the reloaded page does not show the after photo as taken",
    });

    await window.waitUntil(async () => (await window.$$('[data-testid="capture-arrival"]')).length === 2, {
      timeout: 30_000,
      timeoutMsg: "the after photo did not arrive in the window's dialog",
    });
    const outcomes = await textsOf(window, "capture-arrival-outcome");
    assert.match(outcomes[0], /^Lines up with the earlier photo — \d+%$/, "the newest photo comes first, lined up");
    const arrivals = await window.$$('[data-testid="capture-arrival"]');
    assert.match(await arrivals[0].getText(), /After · Cheeks · Front/);
    assert.match(await arrivals[1].getText(), /Before · Cheeks · Front/);
    assert.equal(await (await byTestId(window, "capture-summary")).getText(), "2 photos saved");
    assert.match(await (await byTestId(window, "capture-paired")).getText(), /cannot be used again/, "once a phone has used the code, it is spent");
    assert.equal(await (await window.$('[data-testid="capture-qr"]')).isExisting(), false, "the spent code is no longer shown");
    await waitForImages(window, '[data-testid="capture-arrival"] img', 2);
    await shot(window, "capture-dialog");

    // A second phone with the same address: the code was used already.
    stranger = await openPhone();
    await stranger.url(url);
    const heading = await stranger.$("h1");
    await heading.waitForDisplayed({ timeout: 20_000 });
    assert.equal(await heading.getText(), "This code cannot be used");
    assert.equal(await (await stranger.$("#capture-app")).isExisting(), false, "the capture page is not served to it");

    // Done closes the capture: the photos are on the session page; the phone's page stops working.
    await (await byTestId(window, "capture-done")).click();
    await dialog.waitForExist({ reverse: true, timeout: 10_000 });
    await window.waitUntil(async () => (await window.$$('[data-testid="session-photos"] [data-testid="photo-strip"] img')).length === 2, {
      timeout: 20_000,
      timeoutMsg: "the session page does not show the two captured photos",
    });
    assert.match(await (await byTestId(window, "session-photos")).getText(), /2 photos/);

    const port = Number(new URL(url).port);
    await window.waitUntil(async () => !(await listening(port)), {
      timeout: 10_000,
      timeoutMsg: "the capture still listens after it was closed",
    });
    await phone.url("about:blank");
    // Chromium either shows its own error page or chromedriver reports the refused connection.
    const loaded = await phone.url(new URL("/", url).href).then(
      () => true,
      (error) => {
        assert.match(String(error), /ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|ERR_CONNECTION_CLOSED/, String(error));
        return false;
      },
    );
    if (loaded) {
      await settle(phone);
      assert.equal(await (await phone.$("#capture-app")).isExisting(), false, "the capture page no longer loads once closed");
    }
  } finally {
    await stranger?.deleteSession().catch(() => {});
    await phone?.deleteSession().catch(() => {});
    await window.deleteSession();
  }

  // The command line sees both photos in the session, the after one aligned automatically onto the before.
  const stored = cli(dataDir, "photo", "list", "--client", client.id);
  assert.equal(stored.length, 2, "two photos stored");
  const beforePhoto = stored.find((p) => p.kind === "before");
  const afterPhoto = stored.find((p) => p.kind === "after");
  assert.ok(beforePhoto && afterPhoto, "one before and one after");
  for (const photo of stored) {
    assert.equal(photo.session_id, session.id, "a captured photo belongs to the session the capture was opened for");
    assert.equal(photo.zone, "cheeks");
    assert.equal(photo.pose, "front");
  }
  assert.equal(beforePhoto.original_name, "IMG_2001.jpg", "the phone's file name is kept");
  assert.equal(afterPhoto.alignment?.reference, beforePhoto.id, "the after photo is aligned onto the before");
  assert.equal(afterPhoto.alignment?.source, "auto");
});

test("a follow-up visit and the Photos tab open captures of their own; Escape closes one", async () => {
  const dataDir = freshDataDir();
  const { client } = prepareClinic(dataDir);
  const visit = cli(dataDir, "visit", "add", "--client", client.id, "--on", "2026-12-01", "--notes", "four weeks on");
  const photos = preparePhotos();
  const window = await openApp(driver, dataDir);
  let phone;
  try {
    await byTestId(window, "search-input");

    // The owner sets the poses a capture asks for: front, left 45°, then the left profile.
    await goTo(window, "#/settings");
    const poses = await byTestId(window, "capture-poses");
    // Clear of the sticky save bar at the bottom of the page.
    await poses.scrollIntoView({ block: "center" });
    const order = () => poses.$$('[data-testid="capture-pose"]').map((row) => row.getAttribute("data-pose"));
    assert.deepEqual(await order(), ["front", "left_45", "right_45"], "three poses by default");
    await (await byTestId(window, "capture-pose-add-left_90")).click();
    await (await poses.$('[data-pose="left_90"] [data-action="up"]')).click();
    await (await poses.$('[data-pose="right_45"] [data-action="remove"]')).click();
    assert.deepEqual(await order(), ["front", "left_45", "left_90"]);
    await (await byTestId(window, "save-settings")).click();
    await window.waitUntil(async () => /Settings saved/.test(await (await window.$(".save-bar .status")).getText()), {
      timeout: 20_000,
      timeoutMsg: "the settings were not saved",
    });
    await shot(window, "capture-settings-poses");

    await goTo(window, `#/clients/${client.id}`);
    await byTestId(window, "timeline");
    const entry = await window.$(`[data-testid="timeline-entry"][data-id="${visit.id}"]`);
    await entry.waitForDisplayed({ timeout: 20_000 });
    await (await entry.$('[data-testid="entry-capture"]')).click();
    await byTestId(window, "capture-client");
    assert.match(await (await byTestId(window, "capture-who")).getText(), /^Pia P\. · Follow-up visit of 2026-12-01$/);

    // The whole fingerprint is there on demand.
    const start = await (await byTestId(window, "capture-fingerprint")).getText();
    await (await window.$('[data-testid="capture-dialog"] details summary')).click();
    const whole = await (await byTestId(window, "capture-fingerprint-full")).getText();
    assert.match(whole, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/, "the SHA-256 fingerprint in 32 groups");
    assert.ok(whole.startsWith(start), "the groups shown large are the fingerprint's first");
    await waitForImages(window, '[data-testid="capture-qr"]', 1);
    await shot(window, "capture-dialog-code");

    // A progress photo from the phone lands on the visit's entry behind the dialog.
    const url = (await (await byTestId(window, "capture-url")).getText()).trim();
    phone = await openPhone();
    await phone.url(url);
    await (await phone.$("#shot-title")).waitForDisplayed({ timeout: 20_000 });
    assert.equal(await (await phone.$("#kind-options")).getText(), "Progress", "a visit takes progress photos only");
    const firstZone = await phone.$$("#shot-list .zone:first-child .shot").map((button) => button.getText());
    assert.deepEqual(firstZone, ["Front", "Left 45°", "Left 90°"], "the capture walks the poses the owner set, in order");
    await sendFromLibrary(phone, photos.before);
    await savedOutcome(phone);
    await window.waitUntil(async () => (await entry.$$('[data-testid="timeline-thumb"]')).length === 1, {
      timeout: 30_000,
      timeoutMsg: "the visit's entry does not show the photo the phone sent",
    });
    assert.match(await (await byTestId(window, "capture-arrival")).getText(), /^Progress · Forehead · Front/, "with no photos yet, a visit walks the clinic's zones, the first first");

    // Escape closes the dialog and the capture; the focus goes back to the button that opened it.
    const port = Number(new URL(url).port);
    await window.keys("Escape");
    await (await window.$('[data-testid="capture-dialog"]')).waitForExist({ reverse: true, timeout: 10_000 });
    await window.waitUntil(async () => !(await listening(port)), { timeout: 10_000, timeoutMsg: "Escape left the capture open" });
    assert.equal(await window.execute(() => document.activeElement?.getAttribute("data-testid")), "entry-capture");

    // The Photos tab: a capture for the client alone.
    await (await byTestId(window, "tab-photos")).click();
    await (await byTestId(window, "capture-button")).click();
    await byTestId(window, "capture-client");
    assert.match(await (await byTestId(window, "capture-who")).getText(), /^Pia P\. · Photos without a session$/);
    await (await byTestId(window, "capture-done")).click();
    await (await window.$('[data-testid="capture-dialog"]')).waitForExist({ reverse: true, timeout: 10_000 });
  } finally {
    await phone?.deleteSession().catch(() => {});
    await window.deleteSession();
  }

  const stored = cli(dataDir, "photo", "list", "--client", client.id);
  assert.equal(stored.length, 1);
  assert.equal(stored[0].follow_up_id, visit.id, "the photo belongs to the visit the capture was opened for");
  assert.equal(stored[0].kind, "progress");
});
