// Starts tauri-driver and opens the real Pinpoint window through WebDriver
// (tauri-driver -> WebKitWebDriver -> the app), each test with its own data
// folder. Run under Xvfb.
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { remote } from "webdriverio";

const root = path.resolve(import.meta.dirname, "../..");
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(root, "target");
export const BIN = process.env.PINPOINT_BIN ?? path.join(targetDir, "debug/pinpoint");
export const SHOTS = path.join(root, "target/e2e");
mkdirSync(SHOTS, { recursive: true });

/** The owner every test clinic gets (linked to a practitioner of the same name, if any). */
export const OWNER = "Dr Test";
export const PASSPHRASE = "e2e test passphrase";
export const PIN = "2468";
/** The demo clinic's owner and its documented passphrase and PIN. */
export const DEMO = { user: "Dr. Amara Okafor", passphrase: "lumen demo 2026", pin: "2026" };

/** Who the command line and the window sign in as, per data folder that has accounts. */
const accounts = new Map();

/** The recovery key the window showed when it sealed a data folder, per data folder. */
const recoveryKeys = new Map();

/** How long sealing may take: a demo clinic's photos take several seconds in a debug build. */
export const SEALING_TIMEOUT = 120_000;

/** A file only its owner can read holding `text`, as a script gives a secret. */
function secretFile(text) {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "pinpoint-secret-")), "secret");
  writeFileSync(file, `${text}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

function envFor(dataDir) {
  const who = accounts.get(dataDir);
  const env = { ...process.env };
  delete env.PINPOINT_USER;
  if (who) {
    env.PINPOINT_USER = who.user;
    env.PINPOINT_PASSPHRASE_FILE = secretFile(who.passphrase);
    env.PINPOINT_PIN_FILE = secretFile(who.pin);
  }
  return env;
}

/**
 * Makes the clinic's owner from the command line (the window's first-start
 * setup, without the window), which seals the data folder: from then on
 * the CLI and the window sign in. The recovery key it printed is kept
 * (`recoveryKeyOf`).
 */
export function setupClinic(dataDir, owner = OWNER) {
  const env = { ...process.env, PINPOINT_PASSPHRASE_FILE: secretFile(PASSPHRASE), PINPOINT_PIN_FILE: secretFile(PIN) };
  let out = "";
  try {
    out = execFileSync(BIN, ["--data-dir", dataDir, "--json", "setup", "--clinic", "Test Clinic", "--owner", owner], {
      encoding: "utf8",
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    // A clinic kept between runs (the benchmarks') was set up by an earlier
    // run, with the same owner and passphrase.
    if (!String(error.stderr ?? "").includes("already has accounts")) throw error;
  }
  try {
    const key = JSON.parse(out).recovery_key;
    if (typeof key === "string") recoveryKeys.set(dataDir, key);
  } catch {
    // Set up by an earlier run: its key was shown then.
  }
  accounts.set(dataDir, { user: owner, passphrase: PASSPHRASE, pin: PIN });
}

/** Notes the account a test made in the window, for the CLI to sign in as. */
export function rememberAccount(dataDir, account) {
  accounts.set(dataDir, account);
}

/** A fresh, empty data folder for one test. */
export function freshDataDir() {
  return mkdtempSync(path.join(os.tmpdir(), "pinpoint-e2e-"));
}

function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.end();
        resolve();
      });
      socket.once("error", () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`tauri-driver did not listen on ${port}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

/**
 * Starts tauri-driver on a free port; returns { port, stop }. The windows it
 * opens inherit its environment, plus `env`.
 */
export async function startDriver(env = {}) {
  const port = 4444 + Math.floor(Math.random() * 2000);
  const bin = process.env.TAURI_DRIVER ?? path.join(os.homedir(), ".cargo/bin/tauri-driver");
  const child = spawn(bin, ["--port", String(port), "--native-port", String(port + 2000)], {
    stdio: ["ignore", "inherit", "inherit"],
    // Native questions about typed paths are answered "Allow" (WebDriver
    // cannot reach native dialogs); a test may ask for "refuse".
    env: { PINPOINT_TEST_DIALOGS: "accept", ...process.env, ...env },
    // A process group of its own: stopping it stops WebKitWebDriver and
    // every app window it started too. A window left behind keeps the
    // test file's output open, and the test runner would wait for it.
    detached: true,
  });
  await waitForPort(port, 30_000);
  return {
    port,
    stop: () => {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        child.kill();
      }
    },
  };
}

/**
 * Opens the app window on `dataDir`; returns the WebdriverIO browser. A
 * clinic without accounts gets its owner first (unless `setup: false`,
 * for a test of the first start), and the window is signed in as the
 * clinic's owner, or `as` (unless `signIn: false`).
 */
export async function openApp(driver, dataDir, { setup = true, signIn: signingIn = true, as } = {}) {
  if (setup && !accounts.has(dataDir)) setupClinic(dataDir);
  const browser = await remote({
    hostname: "127.0.0.1",
    port: driver.port,
    logLevel: "error",
    connectionRetryTimeout: 120_000,
    capabilities: {
      "tauri:options": { application: BIN, args: ["--data-dir", dataDir] },
    },
  });
  browser.setTimeout({ implicit: 0 });
  const who = accounts.get(dataDir);
  if (signingIn && who) {
    const key = await signIn(browser, as ?? who.user, who.passphrase);
    if (key) recoveryKeys.set(dataDir, key);
  }
  return browser;
}

/**
 * The recovery key of `dataDir` as it was shown when the folder was sealed
 * (by `setupClinic`, or by an owner's first sign-in in the window), or null.
 */
export function recoveryKeyOf(dataDir) {
  return recoveryKeys.get(dataDir) ?? null;
}

/** Whether an element with this `data-testid` is shown now. */
async function shown(browser, id) {
  const element = await browser.$(`[data-testid="${id}"]`);
  return (await element.isExisting()) && (await element.isDisplayed());
}

/** The recovery key shown on the panel, as "XXXX-XXXX-…" (13 groups of 4). */
export async function shownRecoveryKey(browser) {
  const text = await (await byTestId(browser, "recovery-key-text")).getText();
  const characters = text.replace(/[^0-9A-Za-z]/g, "").toUpperCase();
  return characters.match(/.{1,4}/g).join("-");
}

/**
 * Waits for the recovery key the window shows once after sealing a data
 * folder, says it is kept (the panel's "I have stored it safely"), and
 * returns it as "XXXX-XXXX-…".
 */
export async function keepRecoveryKey(browser, timeout = SEALING_TIMEOUT) {
  await byTestId(browser, "recovery-key", timeout);
  const key = await shownRecoveryKey(browser);
  await (await byTestId(browser, "recovery-key-kept")).click();
  await browser.waitUntil(async () => !(await shown(browser, "recovery-key")), {
    timeout: 20_000,
    timeoutMsg: "the recovery key was still shown after it was kept",
  });
  return key;
}

/**
 * Signs in at the sign-in screen as `name` with `passphrase`, and waits for
 * the app. An owner's first sign-in to a folder in the clear (the demo
 * clinic) seals it and shows the recovery key first: it is kept, and
 * returned; otherwise null.
 */
export async function signIn(browser, name, passphrase) {
  await byTestId(browser, "sign-in-form", 60_000);
  const names = await browser.$$('[data-testid="sign-in-name"]');
  let found = false;
  for (const button of names) {
    if ((await button.getText()) === name) {
      await button.click();
      found = true;
      break;
    }
  }
  if (!found) throw new Error(`no account called ${name} on the sign-in screen`);
  const field = await byTestId(browser, "sign-in-passphrase");
  await field.setValue(passphrase);
  await (await byTestId(browser, "sign-in-submit")).click();
  await browser.waitUntil(async () => (await shown(browser, "signed-in-as")) || (await shown(browser, "recovery-key")), {
    timeout: SEALING_TIMEOUT,
    timeoutMsg: `${name} was not signed in (neither the app nor the recovery key showed)`,
  });
  let key = null;
  if (await shown(browser, "recovery-key")) key = await keepRecoveryKey(browser);
  await byTestId(browser, "signed-in-as", 30_000);
  return key;
}

/** The element for a `data-testid`, once it is shown. */
export async function byTestId(browser, id, timeout = 20_000) {
  const element = await browser.$(`[data-testid="${id}"]`);
  await element.waitForDisplayed({ timeout });
  return element;
}

/**
 * Runs the pinpoint command line on `dataDir` (before the window opens, to
 * prepare a clinic); returns its `--json` output, parsed.
 */
export function cli(dataDir, ...args) {
  // A window that was just closed may still be releasing the data folder
  // on a busy machine: wait for it (the CLI refuses a folder in use).
  const deadline = Date.now() + 30_000;
  let out;
  for (;;) {
    try {
      out = execFileSync(BIN, ["--data-dir", dataDir, "--json", ...args], {
        encoding: "utf8",
        env: envFor(dataDir),
        stdio: ["ignore", "pipe", "pipe"],
      });
      // The demo brings its own accounts: sign in as its owner from now on.
      if (args[0] === "demo" && !accounts.has(dataDir)) accounts.set(dataDir, DEMO);
      break;
    } catch (error) {
      const inUse = String(error.stderr ?? "").includes("in use by another Pinpoint");
      if (!inUse || Date.now() > deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    return JSON.parse(out);
  } catch {
    return out;
  }
}

/** Shows the screen at `hash` ("#/sessions/<id>/edit"), as typing the address would. */
export async function goTo(browser, hash) {
  await browser.execute((h) => {
    window.location.hash = h;
  }, hash);
}

/** The current screen's address, e.g. "#/sessions/0190…". */
export async function currentHash(browser) {
  return browser.execute(() => window.location.hash);
}

/**
 * Picks a choice of a segmented control (a radio group drawn as buttons) the
 * way a person does: by clicking its visible label.
 */
export async function chooseSegment(browser, testId) {
  const label = await browser.$(`[data-testid="${testId}"] + span`);
  await label.waitForDisplayed({ timeout: 20_000 });
  await label.click();
}

/** The visible text of every element with a `data-testid`, in page order. */
export async function textsOf(browser, testId) {
  const out = [];
  for (const element of await browser.$$(`[data-testid="${testId}"]`)) out.push(await element.getText());
  return out;
}

/** Waits until every image matching `selector` has loaded (and decoded to a real size). */
export async function waitForImages(browser, selector, count, timeout = 20_000) {
  await browser.waitUntil(
    async () =>
      browser.execute(
        (sel, n) => {
          const images = [...document.querySelectorAll(sel)];
          return images.length >= n && images.every((img) => img.complete && img.naturalWidth > 0);
        },
        selector,
        count,
      ),
    { timeout, timeoutMsg: `${count} image(s) ${selector} did not load` },
  );
}

/**
 * Waits until what the page shows has been painted (two animation frames
 * and a moment): a screenshot taken at once may show the frame before.
 */
export async function settle(browser) {
  await browser.execute(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true)))));
  await browser.pause(150);
}
