// A practitioner opens a demo client in the real window: the record opens on
// the timeline, with every session, visit and adverse event the command line
// sees, the depth and score charts above it, and a chart point that opens the
// photo comparison. Through the timeline's forms they record a score, a
// follow-up visit and an adverse event, then resolve the event. They export
// the progress report (a real PDF whose text holds the client's sessions and
// dates; its first page is turned into a PNG to look at) and the whole
// record. A progress photo is imported at the new follow-up visit and shows
// on its entry. After the window closes, the command line sees what was added.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { SHOTS, byTestId, cli, currentHash, freshDataDir, openApp, settle, startDriver, waitForImages } from "./driver.mjs";

let driver;
before(async () => {
  driver = await startDriver();
});
after(() => driver?.stop());

async function shot(browser, name) {
  await settle(browser);
  await browser.saveScreenshot(path.join(SHOTS, `${name}.png`));
}

/** The demo client with the most sessions among those with an adverse event, and its timeline. */
function pickClient(dataDir) {
  let best = null;
  for (const client of cli(dataDir, "client", "list")) {
    const timeline = cli(dataDir, "timeline", client.id);
    const sessions = timeline.entries.filter((e) => e.type === "session").length;
    const events = timeline.entries.filter((e) => e.type === "adverse_event").length;
    if (events > 0 && (!best || sessions > best.sessions)) best = { client, timeline, sessions };
  }
  assert.ok(best, "the demo has a client with an adverse event");
  return best;
}

/** `12 Mar 2026`, as the report prints dates. */
function printed(isoDate) {
  const [y, m, d] = isoDate.split("-").map(Number);
  const month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][m - 1];
  return `${d} ${month} ${y}`;
}

/** The kinds of the timeline's entries as shown, in page order. */
async function shownEntries(browser) {
  return browser.execute(() =>
    [...document.querySelectorAll('[data-testid="timeline-entry"]')].map((e) => ({
      kind: e.getAttribute("data-kind"),
      id: e.getAttribute("data-id"),
    })),
  );
}

async function fill(form, name, value) {
  const field = await form.$(`[name="${name}"]`);
  await field.waitForDisplayed({ timeout: 10_000 });
  const tag = await field.getTagName();
  if (tag === "select") await field.selectByAttribute("value", value);
  else await field.setValue(value);
}

test("the timeline shows the course with charts, records a score, a visit and an adverse event, and exports the report", async () => {
  const dataDir = freshDataDir();
  cli(dataDir, "demo");
  const { client, timeline, sessions } = pickClient(dataDir);
  assert.ok(sessions >= 3, "the chosen client has a course of sessions");
  const photoCount = timeline.entries.reduce((n, e) => n + (e.photos?.length ?? 0), 0);
  const out = mkdtempSync(path.join(os.tmpdir(), "pinpoint-e2e-export-"));

  const browser = await openApp(driver, dataDir);
  try {
    // Find the client and open the record: it opens on the timeline.
    await (await byTestId(browser, "search-input")).setValue(client.name);
    await browser.waitUntil(async () => (await browser.$$('[data-testid="client-row"]')).length === 1, {
      timeout: 20_000,
      timeoutMsg: `the search did not narrow to ${client.name}`,
    });
    await (await byTestId(browser, "client-row")).click();
    assert.equal(await (await byTestId(browser, "client-name")).getText(), client.name);
    await byTestId(browser, "timeline");
    assert.equal(await (await byTestId(browser, "tab-timeline")).getAttribute("aria-current"), "page", "the timeline is the default view");
    assert.equal(await currentHash(browser), `#/clients/${client.id}`);

    // Every entry the command line sees, no more.
    await browser.waitUntil(async () => (await shownEntries(browser)).length === timeline.entries.length, {
      timeout: 20_000,
      timeoutMsg: `the timeline does not show ${timeline.entries.length} entries`,
    });
    const shown = await shownEntries(browser);
    const idOf = (e) => (e.type === "session" ? e.session.id : e.type === "follow_up" ? e.visit.id : e.id);
    assert.deepEqual(
      shown.map((e) => `${e.kind}:${e.id}`).sort(),
      timeline.entries.map((e) => `${e.type}:${idOf(e)}`).sort(),
      "the same sessions, visits and adverse events as `pinpoint timeline`",
    );
    const sessionOrder = shown.filter((e) => e.kind === "session").map((e) => e.id);
    const cliOrder = timeline.entries.filter((e) => e.type === "session").map((e) => e.session.id);
    assert.ok(
      JSON.stringify(sessionOrder) === JSON.stringify(cliOrder) || JSON.stringify(sessionOrder) === JSON.stringify([...cliOrder].reverse()),
      "sessions are shown in date order",
    );

    // The charts, and the thumbnails of the course's photos.
    await byTestId(browser, "depth-chart");
    await byTestId(browser, "score-chart");
    assert.equal((await browser.$$('[data-testid="timeline-thumb"]')).length, photoCount, "every photo of the course has a thumbnail");
    await waitForImages(browser, '[data-testid="timeline-thumb"] img', 1);
    await shot(browser, "timeline");

    // A score point with a photo opens that photo's comparison.
    const point = await browser.$('[data-testid="chart-point"][data-photo-id]');
    await point.waitForExist({ timeout: 10_000 });
    const photoId = await point.getAttribute("data-photo-id");
    await point.scrollIntoView({ block: "center" });
    await point.click();
    await browser.waitUntil(async () => (await currentHash(browser)).startsWith("#/compare/"), {
      timeout: 20_000,
      timeoutMsg: "clicking a chart point did not open the comparison",
    });
    assert.ok((await currentHash(browser)).includes(photoId), "the comparison holds the point's photo");
    await byTestId(browser, "compare-viewer");
    await waitForImages(browser, '[data-testid="compare-viewer"] img', 2);
    await shot(browser, "timeline-point-compare");
    await browser.back();
    await byTestId(browser, "timeline");

    // Record a satisfaction score for the latest session.
    await (await byTestId(browser, "add-score-button")).click();
    let form = await byTestId(browser, "score-form");
    await fill(form, "scale", "satisfaction");
    await fill(form, "value", "9");
    await (await byTestId(browser, "save-score")).click();
    await browser.waitUntil(async () => !(await (await browser.$('[data-testid="score-form"]')).isExisting()), {
      timeout: 20_000,
      timeoutMsg: "the score form did not close after saving",
    });

    // A follow-up visit without needling.
    await (await byTestId(browser, "add-follow-up-button")).click();
    form = await byTestId(browser, "follow-up-form");
    await fill(form, "notes", "Skin calm, texture smoother; photos next visit");
    await (await byTestId(browser, "save-follow-up")).click();
    await browser.waitUntil(async () => (await shownEntries(browser)).some((e) => e.kind === "follow_up"), {
      timeout: 20_000,
      timeoutMsg: "the follow-up visit did not appear on the timeline",
    });

    // A progress photo taken at that visit, imported from a folder.
    const card = mkdtempSync(path.join(os.tmpdir(), "pinpoint-e2e-visit-"));
    execFileSync("convert", ["-seed", "11", "-size", "640x480", "plasma:wheat-sienna", path.join(card, "IMG_0100_review.jpg")]);
    await (await byTestId(browser, "tab-photos")).click();
    await byTestId(browser, "photos-tab");
    await (await byTestId(browser, "import-photos-button")).click();
    await (await byTestId(browser, "import-from-folder")).click();
    await (await byTestId(browser, "import-folder-input")).setValue(card);
    await (await byTestId(browser, "import-folder-list")).click();
    await browser.waitUntil(async () => (await browser.$$('[data-testid="import-file"]')).length === 1, {
      timeout: 20_000,
      timeoutMsg: "the visit photo was not listed",
    });
    const takenAt = await byTestId(browser, "import-session");
    const visitOption = await takenAt.$('option[value^="visit:"]');
    assert.match(await visitOption.getText(), /Follow-up visit/, "the visit is offered as where the photo was taken");
    await takenAt.selectByAttribute("value", await visitOption.getAttribute("value"));
    await (await browser.$('[data-testid="import-file-kind"]')).selectByAttribute("value", "progress");
    await (await byTestId(browser, "import-start")).click();
    assert.equal(await (await byTestId(browser, "import-summary", 60_000)).getText(), "1 imported");
    await (await byTestId(browser, "import-done")).click();
    await (await byTestId(browser, "tab-timeline")).click();
    await byTestId(browser, "timeline");
    await browser.waitUntil(
      async () => {
        for (const entry of await browser.$$('[data-testid="timeline-entry"][data-kind="follow_up"]')) {
          if ((await entry.getText()).includes("Skin calm") && (await entry.$$('[data-testid="timeline-thumb"]')).length === 1) return true;
        }
        return false;
      },
      { timeout: 20_000, timeoutMsg: "the visit's photo is not shown on its timeline entry" },
    );

    // An adverse event, then its resolution.
    const eventsBefore = (await shownEntries(browser)).filter((e) => e.kind === "adverse_event").length;
    await (await byTestId(browser, "report-adverse-button")).click();
    form = await byTestId(browser, "adverse-form");
    await fill(form, "description", "Pinpoint bleeding and erythema lasting 3 days");
    await fill(form, "severity", "mild");
    await (await byTestId(browser, "save-adverse")).click();
    await browser.waitUntil(async () => (await shownEntries(browser)).filter((e) => e.kind === "adverse_event").length === eventsBefore + 1, {
      timeout: 20_000,
      timeoutMsg: "the adverse event did not appear on the timeline",
    });
    const openEvents = (await browser.$$('[data-testid="resolve-adverse-button"]')).length;
    let entry;
    for (const candidate of await browser.$$('[data-testid="timeline-entry"][data-kind="adverse_event"]')) {
      if ((await candidate.getText()).includes("Pinpoint bleeding")) entry = candidate;
    }
    assert.ok(entry, "the new adverse event has its entry");
    const resolve = await entry.$('[data-testid="resolve-adverse-button"]');
    await resolve.scrollIntoView({ block: "center" });
    await resolve.click();
    await fill(entry, "outcome", "Settled with aftercare; no scarring");
    await (await entry.$('[data-testid="save-resolve"]')).click();
    await browser.waitUntil(async () => (await browser.$$('[data-testid="resolve-adverse-button"]')).length === openEvents - 1, {
      timeout: 20_000,
      timeoutMsg: "the adverse event was not resolved",
    });
    await browser.execute(() => window.scrollTo(0, 0));
    await shot(browser, "timeline-after-forms");

    // Export the progress report as a PDF.
    const reportPath = path.join(out, "progress report.pdf");
    await (await byTestId(browser, "export-button")).click();
    const reportField = await byTestId(browser, "export-report-path");
    await browser.waitUntil(async () => (await reportField.getValue()) !== "", {
      timeout: 10_000,
      timeoutMsg: "no path was suggested for the report",
    });
    assert.match(
      await reportField.getValue(),
      new RegExp(`/${client.name} progress report \\d{4}-\\d{2}-\\d{2}\\.pdf$`),
      "the suggested file is named after the client, the document and the date",
    );
    await reportField.setValue(reportPath);
    await (await byTestId(browser, "export-report-start")).click();
    const result = await byTestId(browser, "export-result", 60_000);
    assert.match(await result.getText(), /\d+ pages?/, "the result says how many pages were written");
    await byTestId(browser, "export-open");
    await byTestId(browser, "export-reveal");
    await shot(browser, "timeline-export-report");

    // Saving again to the same file asks before replacing it.
    const firstBytes = readFileSync(reportPath);
    await (await byTestId(browser, "export-report-start")).click();
    const exists = await byTestId(browser, "export-report-start-exists", 60_000);
    assert.match(await exists.getText(), /already exists\. Replace it/, "an existing file is not replaced silently");
    assert.deepEqual(readFileSync(reportPath), firstBytes, "nothing was written before the answer");
    await shot(browser, "timeline-export-exists");
    await (await byTestId(browser, "export-report-start-replace")).click();
    await browser.waitUntil(async () => (await browser.$('[data-testid="export-result"]')).isDisplayed(), {
      timeout: 60_000,
      timeoutMsg: "the report was not written after choosing to replace it",
    });

    // And the whole record, into a folder of its own.
    await (await byTestId(browser, "export-client-path")).setValue(out);
    await (await byTestId(browser, "export-client-start")).click();
    await byTestId(browser, "export-client-result", 120_000);
  } finally {
    await browser.deleteSession();
  }

  // The PDF: real, with the client's sessions and dates in its text.
  const reportPath = path.join(out, "progress report.pdf");
  assert.ok(existsSync(reportPath), "the report was written where the field said");
  assert.equal(readFileSync(reportPath).subarray(0, 5).toString(), "%PDF-");
  const text = execFileSync("pdftotext", ["-layout", reportPath, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
  assert.ok(text.includes(client.name), "the report names the client");
  for (const entry of timeline.entries.filter((e) => e.type === "session")) {
    assert.ok(text.includes(printed(entry.session.local_date)), `the report lists the session of ${entry.session.local_date}`);
  }
  execFileSync("pdftoppm", ["-png", "-r", "70", "-f", "1", "-l", "2", reportPath, path.join(SHOTS, "timeline-report-page")]);

  // The whole-record export: a folder with the record, the CSVs and the report.
  const folders = readdirSync(out, { withFileTypes: true }).filter((d) => d.isDirectory());
  assert.equal(folders.length, 1, "the whole record went into one new folder");
  const files = readdirSync(path.join(out, folders[0].name));
  for (const name of ["record.json", "sessions.csv", "zones.csv", "report.pdf"]) {
    assert.ok(files.includes(name), `the export holds ${name}: ${files.join(", ")}`);
  }

  // The command line sees the score, the visit and the resolved event.
  const now = cli(dataDir, "timeline", client.id);
  const scores = (t) => t.score_series.find((s) => s.scale.scale === "satisfaction")?.points.length ?? 0;
  assert.equal(scores(now), scores(timeline) + 1, "one more satisfaction score");
  const visits = now.entries.filter((e) => e.type === "follow_up");
  assert.equal(visits.length, timeline.entries.filter((e) => e.type === "follow_up").length + 1);
  const review = visits.find((v) => v.visit.notes.startsWith("Skin calm"));
  assert.ok(review, "the visit's notes were stored");
  assert.equal(review.photos.length, 1, "the photo imported at the visit sits on it");
  const stored = cli(dataDir, "photo", "list", "--client", client.id).find((p) => p.id === review.photos[0].id);
  assert.deepEqual([stored.session_id, stored.follow_up_id, stored.kind], [null, review.visit.id, "progress"]);
  const added = now.entries.filter((e) => e.type === "adverse_event" && e.description.startsWith("Pinpoint bleeding"));
  assert.equal(added.length, 1, "the adverse event was stored once");
  assert.ok(added[0].resolved_on, "and it is resolved");
  assert.equal(added[0].outcome, "Settled with aftercare; no scarring");
  assert.equal(now.open_adverse_events, timeline.open_adverse_events, "the new event is not left open");
});
