// A practitioner imports two photos in the real window from a folder (as
// from a camera card): one before, one after, same zone and pose. The
// thumbnails appear; the before photo is moved to the first session; the
// comparison viewer opens on the before/after pair and shows it side by
// side, with a slider, as an overlay and as a difference image; the second
// photo, aligned automatically as it was imported, is reset and aligned by
// hand, and the alignment saved. The command line then sees two
// stored photos with those tags and the alignment.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import {
  SHOTS,
  byTestId,
  chooseSegment,
  cli,
  currentHash,
  freshDataDir,
  openApp,
  settle,
  startDriver,
  waitForImages,
} from "./driver.mjs";

let driver;
before(async () => {
  driver = await startDriver();
});
after(() => driver?.stop());

/** A client with two sessions six weeks apart. */
function prepareClinic(dataDir) {
  cli(dataDir, "catalogue", "add-practitioner", "--name", "Dr Test", "--credentials", "MD");
  const client = cli(dataDir, "client", "add", "--name", "Pia Photo");
  const session = (at) =>
    cli(dataDir, "session", "add", "--client", client.id, "--practitioner", "Dr Test", "--at", at,
      "--zone", "cheeks:1:3", "--proceed-reason", "test clinic");
  const first = session("2026-09-01 10:00");
  const latest = session("2026-10-13 10:00");
  return { client, first, latest };
}

/**
 * Two real JPEG photos in a fresh folder: a generated "skin" texture, and the
 * same texture later, a little lighter with two marks, so the difference
 * image has something to show.
 */
function preparePhotos() {
  const folder = mkdtempSync(path.join(os.tmpdir(), "pinpoint-e2e-card-"));
  const before = path.join(folder, "IMG_0001_before.jpg");
  const after = path.join(folder, "IMG_0002_after.jpg");
  execFileSync("convert", ["-seed", "7", "-size", "800x600", "plasma:wheat-sienna", "-blur", "0x2", before]);
  execFileSync("convert", [
    before,
    "-fill", "rgba(150,40,40,0.7)",
    "-draw", "circle 250,220 290,260",
    "-draw", "circle 560,380 585,405",
    "-modulate", "106,90",
    after,
  ]);
  return { folder, before, after };
}

/** The row of the import list for the file called `name`. */
async function importRow(browser, name) {
  for (const row of await browser.$$('[data-testid="import-file"]')) {
    if ((await row.getText()).includes(name)) return row;
  }
  throw new Error(`${name} is not in the import list`);
}

async function shot(browser, name) {
  await settle(browser);
  await browser.saveScreenshot(path.join(SHOTS, `${name}.png`));
}

test("import two photos from a folder, retag one, compare them in every mode and align them", async () => {
  const dataDir = freshDataDir();
  const { client, first, latest } = prepareClinic(dataDir);
  const card = preparePhotos();
  const browser = await openApp(driver, dataDir);
  try {
    // The client's photos: none yet.
    await byTestId(browser, "search-input");
    await (await byTestId(browser, "client-row")).click();
    assert.equal(await (await byTestId(browser, "client-name")).getText(), "Pia Photo");
    await (await byTestId(browser, "tab-photos")).click();
    await byTestId(browser, "photos-tab");

    // Import from a folder: list the photos in it, both selected.
    await (await byTestId(browser, "import-photos-button")).click();
    await byTestId(browser, "import-panel");
    await (await byTestId(browser, "import-from-folder")).click();
    await (await byTestId(browser, "import-folder-input")).setValue(card.folder);
    await (await byTestId(browser, "import-folder-list")).click();
    await browser.waitUntil(async () => (await browser.$$('[data-testid="import-file"]')).length === 2, {
      timeout: 20_000,
      timeoutMsg: "the folder's two photos were not listed",
    });
    for (const check of await browser.$$('[data-testid="import-file-check"]')) {
      assert.equal(await check.isSelected(), true, "photos found in a folder start selected");
    }
    assert.equal(await (await byTestId(browser, "import-select-all")).isSelected(), true);

    // Tag the batch: the latest session (the default), cheeks, front; one before, one after.
    assert.equal(await (await byTestId(browser, "import-session")).getValue(), latest.id, "the latest session is the default");
    await (await byTestId(browser, "import-zone")).selectByAttribute("value", "cheeks");
    await chooseSegment(browser, "import-pose-front");
    await (await (await importRow(browser, "IMG_0001_before.jpg")).$('[data-testid="import-file-kind"]')).selectByAttribute("value", "before");
    await (await (await importRow(browser, "IMG_0002_after.jpg")).$('[data-testid="import-file-kind"]')).selectByAttribute("value", "after");
    assert.match(await (await byTestId(browser, "import-start")).getText(), /Import 2 photos/);
    await shot(browser, "photos-import-panel");

    // Import: both are stored; the results say so file by file.
    await (await byTestId(browser, "import-start")).click();
    const summary = await byTestId(browser, "import-summary", 60_000);
    assert.equal(await summary.getText(), "2 imported");
    const outcomes = await browser.$$('[data-testid="import-result"]');
    assert.equal(outcomes.length, 2);
    for (const row of outcomes) assert.equal(await row.getAttribute("data-outcome"), "imported");
    await shot(browser, "photos-import-results");
    await (await byTestId(browser, "import-done")).click();

    // Two thumbnails in the grid, loaded from the photo store.
    await browser.waitUntil(async () => (await browser.$$('[data-testid="photo-tile"]')).length === 2, {
      timeout: 20_000,
      timeoutMsg: "the grid does not show two photos",
    });
    await waitForImages(browser, '[data-testid="photo-tile"] img', 2);
    assert.match(await (await byTestId(browser, "tab-photos")).getText(), /Photos\s*2/);
    await shot(browser, "photos-grid");

    // The before photo was taken at the first session: change its tags.
    let beforeTile;
    for (const tile of await browser.$$('[data-testid="photo-tile"]')) {
      if (/^Before photo/.test(await tile.getAttribute("aria-label"))) beforeTile = tile;
    }
    assert.ok(beforeTile, "a tile is labelled as the before photo");
    await beforeTile.click();
    await byTestId(browser, "photo-editor");
    await (await byTestId(browser, "photo-session")).selectByAttribute("value", first.id);
    await (await byTestId(browser, "save-photo-tags")).click();
    await browser.waitUntil(async () => (await browser.$$('[data-testid="photo-group"]')).length === 2, {
      timeout: 20_000,
      timeoutMsg: "the photos are not shown under their two sessions",
    });
    await waitForImages(browser, '[data-testid="photo-tile"] img', 2);
    await shot(browser, "photos-grid-two-sessions");

    // The comparison opens on the before/after pair.
    await (await byTestId(browser, "compare-button")).click();
    const viewer = await byTestId(browser, "compare-viewer");
    assert.match(await currentHash(browser), /^#\/compare\/[0-9a-f-]+\/[0-9a-f-]+$/);
    await waitForImages(browser, '[data-testid="compare-viewer"] img', 2);
    assert.match(await (await byTestId(browser, "caption-first")).getText(), /Before · .*Sep.*2026/s);
    assert.match(await (await byTestId(browser, "caption-second")).getText(), /After · .*Oct.*2026/s);
    await shot(browser, "compare-side-by-side");

    await chooseSegment(browser, "compare-mode-slider");
    await byTestId(browser, "compare-divider");
    assert.equal(await viewer.getAttribute("data-mode"), "slider");
    await shot(browser, "compare-slider");

    await chooseSegment(browser, "compare-mode-overlay");
    await (await byTestId(browser, "overlay-opacity")).waitForDisplayed();
    await shot(browser, "compare-overlay");

    // The keyboard works too: 4 is the difference image.
    await browser.keys("4");
    await browser.waitUntil(async () => /Mean difference \d/.test(await (await byTestId(browser, "difference-mean")).getText()), {
      timeout: 20_000,
      timeoutMsg: "the difference image was not computed",
    });
    assert.equal(await viewer.getAttribute("data-mode"), "difference");
    await shot(browser, "compare-difference");

    // Zoom moves both photos: + zooms in, 0 fits again.
    const zoom = await byTestId(browser, "zoom-reset");
    await browser.keys("+");
    await browser.waitUntil(async () => (await zoom.getText()) === "125 %", { timeout: 5_000, timeoutMsg: "+ did not zoom in one step" });
    await browser.keys("0");
    await browser.waitUntil(async () => (await zoom.getText()) === "100 %", { timeout: 5_000, timeoutMsg: "0 did not fit the photos again" });

    // The shortcuts are listed on ?; Escape closes the list first.
    await browser.keys("?");
    await byTestId(browser, "compare-help");
    await shot(browser, "compare-help");
    await browser.keys("Escape");
    await browser.waitUntil(async () => !(await (await browser.$('[data-testid="compare-help"]')).isExisting()), {
      timeout: 5_000,
      timeoutMsg: "Escape did not close the help",
    });

    // The import aligned the after photo onto the before photo already
    // (the same skin): reset that, then align it by hand.
    assert.match(await (await byTestId(browser, "alignment-status")).getText(), /^Aligned automatically/);
    await (await byTestId(browser, "alignment-clear")).click();
    await browser.waitUntil(async () => (await viewer.getAttribute("data-align-state")) === "none", {
      timeout: 20_000,
      timeoutMsg: "the automatic alignment was not reset",
    });

    // Align the second photo: move it 2.5 % right, turn it 1.5°, and save.
    await chooseSegment(browser, "compare-mode-side");
    await (await byTestId(browser, "align-start")).click();
    await byTestId(browser, "align-bar");
    const dx = await byTestId(browser, "align-dx");
    await dx.clearValue();
    await dx.setValue("2.5");
    const rotate = await byTestId(browser, "align-rotate");
    await rotate.click();
    await rotate.clearValue();
    await rotate.setValue("1.5");
    await (await byTestId(browser, "align-dy")).click();
    await shot(browser, "compare-aligning");
    await (await byTestId(browser, "align-save")).click();
    await browser.waitUntil(async () => (await viewer.getAttribute("data-aligned")) === "true", {
      timeout: 20_000,
      timeoutMsg: "the alignment was not saved",
    });
    assert.equal(await (await browser.$('[data-testid="align-bar"]')).isExisting(), false, "aligning ends on save");
    await shot(browser, "compare-aligned-side-by-side");
    assert.match(
      await (await byTestId(browser, "compare-second")).getAttribute("style"),
      /translate\(2\.5%(, 0%)?\) rotate\(1\.5deg\)/,
      "the saved alignment is applied to the second photo side by side too",
    );
  } finally {
    await browser.deleteSession();
  }

  // With the window closed, the command line sees the two stored photos.
  const stored = cli(dataDir, "photo", "list", "--client", client.id);
  assert.equal(stored.length, 2, "two photos stored");
  const beforePhoto = stored.find((p) => p.kind === "before");
  const afterPhoto = stored.find((p) => p.kind === "after");
  assert.ok(beforePhoto && afterPhoto, "one before and one after");
  assert.equal(beforePhoto.original_name, "IMG_0001_before.jpg");
  assert.equal(beforePhoto.session_id, first.id, "the before photo was moved to the first session");
  assert.equal(afterPhoto.session_id, latest.id, "the after photo stays with the latest session");
  for (const photo of stored) {
    assert.equal(photo.zone, "cheeks");
    assert.equal(photo.pose, "front");
    assert.equal(photo.width, 800);
    assert.equal(photo.height, 600);
  }
  assert.equal(beforePhoto.alignment, null, "the reference photo is not moved");
  assert.equal(afterPhoto.alignment?.reference, beforePhoto.id, "the after photo is aligned onto the before photo");
  assert.equal(afterPhoto.alignment.dx, 0.025);
  assert.equal(afterPhoto.alignment.rotate_deg, 1.5);
});
