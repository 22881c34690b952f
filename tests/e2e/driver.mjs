// Starts tauri-driver and opens the real Pinpoint window through WebDriver
// (tauri-driver -> WebKitWebDriver -> the app), each test with its own data
// folder. Run under Xvfb.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, mkdirSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { remote } from "webdriverio";

const root = path.resolve(import.meta.dirname, "../..");
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(root, "target");
export const BIN = process.env.PINPOINT_BIN ?? path.join(targetDir, "debug/pinpoint");
export const SHOTS = path.join(root, "target/e2e");
mkdirSync(SHOTS, { recursive: true });

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

/** Starts tauri-driver on a free port; returns { port, stop }. */
export async function startDriver() {
  const port = 4444 + Math.floor(Math.random() * 2000);
  const bin = process.env.TAURI_DRIVER ?? path.join(os.homedir(), ".cargo/bin/tauri-driver");
  const child = spawn(bin, ["--port", String(port), "--native-port", String(port + 2000)], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  await waitForPort(port, 30_000);
  return {
    port,
    stop: () => child.kill(),
  };
}

/** Opens the app window on `dataDir`; returns the WebdriverIO browser. */
export async function openApp(driver, dataDir) {
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
  return browser;
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
        stdio: ["ignore", "pipe", "pipe"],
      });
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
