// A long course against a short one: the real app under Xvfb opens a client
// with 20 sessions and one with 300 (both made through the command line),
// and times in the page how long the first entries and the depth chart take,
// how many entries are in the page then, and how long the oldest entry takes
// to appear after jumping to the end of the list. Prints one JSON line per
// figure.
//
//   xvfb-run node bench/timeline_scale.mjs [RUNS] [LONG] [SHORT]
//   (PINPOINT_BIN names the binary)
import { execFileSync } from "node:child_process";
import { BIN, freshDataDir, openApp, startDriver } from "../tests/e2e/driver.mjs";

const [runsText, longText, shortText] = process.argv.slice(2);
const runs = Number(runsText ?? 3);
const sizes = [Number(shortText ?? 20), Number(longText ?? 300)];
const dataDir = freshDataDir();
const cli = (args) =>
  JSON.parse(execFileSync(BIN, ["--data-dir", dataDir, ...args, "--json"], { encoding: "utf8" }));

cli(["catalogue", "add-practitioner", "--name", "Maya Lewis"]);
/** A client with `count` weekly sessions from January 2019 on. */
function client(name, count) {
  const { id } = cli(["client", "add", "--name", name]);
  const first = Date.UTC(2019, 0, 7);
  for (let i = 0; i < count; i += 1) {
    const day = new Date(first + i * 7 * 86_400_000).toISOString().slice(0, 10);
    cli([
      "session", "add", "--client", id, "--practitioner", "Maya Lewis",
      "--at", `${day}T10:00:00+00:00`, "--zone", "cheeks:1.0:2", "--zone", "forehead:0.5",
      "--pain", "3", "--proceed-reason", "measured course",
    ]);
  }
  return id;
}
const made = Date.now();
const clients = sizes.map((n) => ({ n, id: client(`Course of ${n}`, n) }));
console.error(`made ${sizes.join(" and ")} sessions in ${((Date.now() - made) / 1000).toFixed(0)} s`);

const figures = {};
const note = (key, value) => (figures[key] ??= []).push(value);
const driver = await startDriver();
try {
  for (let run = 0; run < runs; run += 1) {
    const browser = await openApp(driver, dataDir);
    for (const { n, id } of clients) {
      const marks = await browser.executeAsync((hash, done) => {
        const start = performance.now();
        const seen = {};
        window.location.hash = hash;
        const entries = () => document.querySelectorAll('[data-testid="timeline-entry"]');
        const look = () => {
          const now = performance.now() - start;
          const chart = document.querySelector('[data-testid="depth-chart"]') !== null;
          if (seen.first === undefined && chart && entries().length > 0) {
            seen.first = now;
            seen.inPage = entries().length;
            // Jump to the end of the list: every scrolling ancestor to its bottom.
            for (let el = entries()[0].parentElement; el; el = el.parentElement) {
              const overflow = getComputedStyle(el).overflowY;
              if (overflow === "auto" || overflow === "scroll") el.scrollTop = el.scrollHeight;
            }
            window.scrollTo(0, document.body.scrollHeight);
            seen.jumped = now;
          }
          if (seen.jumped !== undefined) {
            // The oldest session is drawn once no spacer stands below the last row.
            const list = document.querySelector(".course-list");
            const end = list && getComputedStyle(list).paddingBottom === "0px";
            const oldest = [...entries()].some((e) => e.textContent.includes("2019"));
            if (end && oldest) return done({ ...seen, oldest: now - seen.jumped });
          }
          if (now > 60_000) return done({ ...seen, oldest: null });
          requestAnimationFrame(look);
        };
        requestAnimationFrame(look);
      }, `#/clients/${id}`);
      note(`timeline.${n}.first_ms`, marks.first);
      note(`timeline.${n}.entries_in_page`, marks.inPage);
      note(`timeline.${n}.oldest_after_jump_ms`, marks.oldest);
      await browser.execute(() => {
        window.location.hash = "#/clients";
      });
      await new Promise((r) => setTimeout(r, 500));
    }
    await browser.deleteSession();
    await new Promise((r) => setTimeout(r, 1500));
  }
} finally {
  driver.stop();
}
for (const [key, values] of Object.entries(figures)) console.log(JSON.stringify({ key, values }));
