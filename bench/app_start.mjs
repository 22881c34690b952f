// App start, measured on the real binary under Xvfb through tauri-driver
// (as tests/e2e/driver.mjs opens it): time from launch to the sign-in
// screen, from signing in as the clinic's owner to the first rendered
// client list, and resident memory after opening a client with
// 100 sessions. Prints one JSON line per figure, for bench/bench.rs.
//
//   node bench/app_start.mjs DATA_DIR CLIENT_ID RUNS
//   (PINPOINT_BIN names the binary; run under xvfb-run)
import { readFileSync, readdirSync, readlinkSync, realpathSync } from "node:fs";
import { BIN, OWNER, PASSPHRASE, byTestId, openApp, startDriver } from "../tests/e2e/driver.mjs";

const [dataDir, clientId, runsText] = process.argv.slice(2);
const runs = Number(runsText ?? 5);
const TICKS = 100; // USER_HZ: /proc/<pid>/stat counts start time in these

const uptime = () => Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]);

function stat(pid) {
  const text = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { ppid: Number(fields[1]), start: Number(fields[19]) / TICKS };
}

function rssKib(pid) {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmRSS:"));
  return line ? Number(line.split(/\s+/)[1]) : 0;
}

/** Proportional set size: shared pages split between the processes that map them. */
function pssKib(pid) {
  try {
    const line = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8")
      .split("\n")
      .find((l) => l.startsWith("Pss:"));
    return line ? Number(line.split(/\s+/)[1]) : 0;
  } catch {
    return 0;
  }
}

function processes() {
  const out = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const exe = readlinkSync(`/proc/${name}/exe`);
      out.push({ pid: Number(name), exe, ...stat(name) });
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

/** The app process started by this run, and every process below it. */
function appTree(binary, after) {
  const all = processes();
  const app = all
    .filter((p) => p.exe === binary && p.start >= after - 0.02)
    .sort((a, b) => b.start - a.start)[0];
  if (!app) return null;
  const tree = [app];
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (!tree.includes(p) && tree.some((t) => t.pid === p.ppid)) {
        tree.push(p);
        grew = true;
      }
    }
  }
  return { app, tree };
}

const emit = (key, unit, samples) => console.log(JSON.stringify({ key, unit, samples }));

const binary = realpathSync(BIN);
const driver = await startDriver();
const firstScreen = [];
const firstList = [];
const spawn = [];
const appRss = [];
const webRss = [];
const totalPss = [];
const rowsSeen = [];
const openClient = [];
const openFirst = [];
try {
  for (let run = 0; run < runs; run += 1) {
    const since = uptime();
    const launched = Date.now();
    const browser = await openApp(driver, dataDir, { signIn: false });
    await byTestId(browser, "sign-in-form", 60_000);
    firstScreen.push(Date.now() - launched);
    // Sign in as the clinic's owner: timed from the click to the client list.
    for (const button of await browser.$$('[data-testid="sign-in-name"]')) {
      if ((await button.getText()) === OWNER) await button.click();
    }
    await (await byTestId(browser, "sign-in-passphrase")).setValue(PASSPHRASE);
    const signing = Date.now();
    await (await byTestId(browser, "sign-in-submit")).click();
    let rows = 0;
    for (;;) {
      rows = await browser.execute(() => document.querySelectorAll('[data-testid="client-row"]').length);
      if (rows > 0) break;
      if (Date.now() - signing > 60_000) throw new Error("no client row within 60 s of signing in");
      await new Promise((r) => setTimeout(r, 5));
    }
    firstList.push(Date.now() - signing);
    rowsSeen.push(rows);
    const found = appTree(binary, since);
    if (found) spawn.push((found.app.start - since) * 1000);

    // Open the client with 100 sessions and let the page settle. Timed in
    // the page (every animation frame), not by WebDriver polls: the time to
    // the first entries with the depth chart, and then, after jumping to the
    // end of the list (only the entries near the view are in the page), to
    // the oldest entry drawn.
    const marks = await browser.executeAsync((hash, done) => {
      const start = performance.now();
      const seen = {};
      window.location.hash = hash;
      const entries = () => document.querySelectorAll('[data-testid="timeline-entry"][data-kind="session"]');
      const look = () => {
        const now = performance.now() - start;
        const chart = document.querySelector('[data-testid="depth-chart"]') !== null;
        if (seen.first === undefined && chart && entries().length > 0) {
          seen.first = now;
          for (let el = entries()[0].parentElement; el; el = el.parentElement) {
            const overflow = getComputedStyle(el).overflowY;
            if (overflow === "auto" || overflow === "scroll") el.scrollTop = el.scrollHeight;
          }
          window.scrollTo(0, document.body.scrollHeight);
        }
        if (seen.first !== undefined) {
          // The list's end is drawn when no spacer stands below the last row.
          const list = document.querySelector(".course-list");
          const end = list && getComputedStyle(list).paddingBottom === "0px";
          if (end && entries().length > 0) return done({ ...seen, all: now });
        }
        if (now > 120_000) return done({ ...seen, all: null });
        requestAnimationFrame(look);
      };
      requestAnimationFrame(look);
    }, `#/clients/${clientId}`);
    if (marks.all === null) throw new Error("the oldest session of the client with 100 sessions was not shown");
    openFirst.push(marks.first);
    openClient.push(marks.all);
    await new Promise((r) => setTimeout(r, 1500));
    if (found) {
      appRss.push(rssKib(found.app.pid) / 1024);
      // WebKitGTK draws the page in helper processes started by the app.
      const helpers = appTree(binary, since)?.tree.slice(1) ?? [];
      webRss.push(helpers.reduce((sum, p) => sum + rssKib(p.pid), 0) / 1024);
      totalPss.push([found.app, ...helpers].reduce((sum, p) => sum + pssKib(p.pid), 0) / 1024);
    }
    await browser.deleteSession();
    // The data folder is free again once the app has exited.
    const deadline = Date.now() + 15_000;
    while (found && Date.now() < deadline) {
      try {
        readFileSync(`/proc/${found.app.pid}/stat`);
        await new Promise((r) => setTimeout(r, 50));
      } catch {
        break;
      }
    }
  }
} finally {
  driver.stop();
}
emit("app.first_screen", "ms", firstScreen);
emit("app.first_list", "ms", firstList);
emit("app.spawn", "ms", spawn);
emit("app.open_first", "ms", openFirst);
emit("app.open_client", "ms", openClient);
emit("app.rss_app", "MB", appRss);
emit("app.rss_webkit", "MB", webRss);
emit("app.pss_total", "MB", totalPss);
console.log(JSON.stringify({ key: "app.rows_first_seen", fact: rowsSeen }));
