// The demo clinic in the real window: a client with marketing-photo consent
// has a later front photo taken a little turned, nearer and off-centre. The
// comparison viewer says how it is aligned onto the first before photo;
// the alignment is reset and made again with "Align automatically", a
// manual alignment is replaced only after the question, and a pair that
// shows different skin cannot be aligned (and says so). The comparison is
// exported as a JPEG split at the slider for the client, and side by side
// for marketing. The client's face stands beside their name on the client
// page, the session form and the comparison; a photo chosen in the photo
// editor becomes it, and its thumbnail carries the badge. The command line
// then sees the automatic alignment and the chosen portrait.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { SHOTS, SEALING_TIMEOUT, byTestId, chooseSegment, cli, freshDataDir, goTo, openApp, settle, startDriver, waitForImages } from "./driver.mjs";

let driver;
before(async () => {
  driver = await startDriver();
});
after(() => driver?.stop());

async function shot(browser, name) {
  await settle(browser);
  await browser.saveScreenshot(path.join(SHOTS, `${name}.png`));
}

/**
 * The demo clinic's first client whose marketing-photo consent is in force
 * and who has a before and an after photo from the front and an after
 * photo at 45°.
 */
function demoClient(dataDir) {
  cli(dataDir, "demo");
  for (const client of cli(dataDir, "client", "list")) {
    const consents = cli(dataDir, "consent", "list", client.id);
    if (!consents.some((c) => c.kind === "marketing_photos" && c.revoked_on === null)) continue;
    const photos = cli(dataDir, "photo", "list", "--client", client.id);
    const beforeFront = photos.find((p) => p.kind === "before" && p.pose === "front");
    const afterFront = photos.find((p) => p.kind === "after" && p.pose === "front");
    const afterSide = photos.find((p) => p.kind === "after" && p.pose === "left_45");
    if (beforeFront && afterFront && afterSide) return { client, beforeFront, afterFront, afterSide };
  }
  throw new Error("the demo has no client with marketing consent and front and side photos");
}

/**
 * The client's after photo again, as if taken 3° turned, 6 % nearer and
 * off-centre, imported into the same session: the import aligns it onto
 * the before photo at once.
 */
function importMovedPhoto(dataDir, afterFront) {
  const folder = mkdtempSync(path.join(os.tmpdir(), "pinpoint-e2e-moved-"));
  const original = path.join(folder, "after.jpg");
  const moved = path.join(folder, "IMG_moved.jpg");
  cli(dataDir, "photo", "export", afterFront.id, "--out", original);
  execFileSync("convert", [original, "-auto-orient", "-virtual-pixel", "edge", "-distort", "SRT", "%[fx:w/2],%[fx:h/2] 1.06 3 %[fx:w/2+22],%[fx:h/2-14]", moved]);
  const [imported] = cli(dataDir, "photo", "import", "--client", afterFront.client_id, "--session", afterFront.session_id,
    "--kind", "after", "--zone", afterFront.zone, "--pose", "front", moved);
  return imported;
}

/** Waits until the line under the photos says `pattern`; returns its text. */
async function statusSays(browser, pattern, what) {
  const status = await byTestId(browser, "alignment-status");
  await browser.waitUntil(async () => pattern.test(await status.getText()), { timeout: 60_000, timeoutMsg: `the viewer did not say ${what}` });
  return status.getText();
}

/** The exported file: a JPEG of the size the window reported. */
function checkJpeg(file, copyAs) {
  const bytes = readFileSync(file);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff], "the file is a JPEG");
  copyFileSync(file, path.join(SHOTS, copyAs));
  const [width, height] = execFileSync("identify", ["-format", "%w %h", file], { encoding: "utf8" }).split(" ").map(Number);
  return { width, height };
}

test("align a demo client's photos automatically, export the comparison, and see the client's face", { timeout: 600_000 }, async () => {
  const dataDir = freshDataDir();
  const { client, beforeFront, afterFront, afterSide } = demoClient(dataDir);
  const moved = importMovedPhoto(dataDir, afterFront);
  assert.equal(moved.auto_alignment?.applied, true, "the import aligned the moved photo automatically");
  const out = mkdtempSync(path.join(os.tmpdir(), "pinpoint-e2e-comparison-"));

  const browser = await openApp(driver, dataDir);
  try {
    // The pair opens aligned by the import.
    await goTo(browser, `#/compare/${beforeFront.id}/${moved.id}`);
    const viewer = await byTestId(browser, "compare-viewer", SEALING_TIMEOUT);
    await waitForImages(browser, '[data-testid="compare-viewer"] img', 2);
    await statusSays(browser, /^Aligned automatically \(confidence \d+%\)$/, "the import's automatic alignment");
    const portrait = await byTestId(browser, "client-portrait");
    await browser.waitUntil(async () => (await portrait.getAttribute("data-photo")) !== "", { timeout: 20_000, timeoutMsg: "no portrait beside the name" });

    // Reset, then align automatically again.
    await (await byTestId(browser, "alignment-clear")).click();
    await statusSays(browser, /^Not aligned$/, "that the photo is not aligned");
    assert.equal(await viewer.getAttribute("data-aligned"), "false");
    await (await byTestId(browser, "auto-align")).click();
    const said = await statusSays(browser, /^Aligned automatically \(confidence \d+%\)$/, "the new automatic alignment");
    assert.equal(await viewer.getAttribute("data-aligned"), "true");
    const style = await (await byTestId(browser, "compare-second")).getAttribute("style");
    const turned = Number(/rotate\((-?[\d.]+)deg\)/.exec(style)?.[1]);
    assert.ok(Math.abs(turned + 3) < 0.5, `the second photo is turned back by about 3° (${style})`);
    await shot(browser, "compare-auto-aligned");
    console.log(`  the viewer says: ${said}`);

    // The alignment holds with the slider and in the difference.
    await chooseSegment(browser, "compare-mode-slider");
    await byTestId(browser, "compare-divider");
    await shot(browser, "compare-auto-aligned-slider");
    await chooseSegment(browser, "compare-mode-difference");
    await browser.waitUntil(async () => /Mean difference \d/.test(await (await byTestId(browser, "difference-mean")).getText()), {
      timeout: 20_000,
      timeoutMsg: "the difference was not computed",
    });
    await shot(browser, "compare-auto-aligned-difference");

    // An alignment by hand is replaced only after the question.
    await chooseSegment(browser, "compare-mode-side");
    await (await byTestId(browser, "align-start")).click();
    const dx = await byTestId(browser, "align-dx");
    await dx.clearValue();
    await dx.setValue("1.5");
    await (await byTestId(browser, "align-dy")).click();
    await (await byTestId(browser, "align-save")).click();
    await statusSays(browser, /^Aligned by hand$/, "that the photo was aligned by hand");
    await (await byTestId(browser, "auto-align")).click();
    const question = await byTestId(browser, "auto-align-question");
    assert.match(await question.getText(), /aligned by hand/);
    await shot(browser, "compare-replace-question");
    await (await byTestId(browser, "auto-align-replace")).click();
    await statusSays(browser, /^Aligned automatically/, "the automatic alignment that replaced the one by hand");

    // Export for the client, split where the slider stands.
    await chooseSegment(browser, "compare-mode-slider");
    await byTestId(browser, "compare-divider");
    await (await byTestId(browser, "export-image")).click();
    const dialog = await byTestId(browser, "export-dialog");
    await browser.waitUntil(async () => (await (await byTestId(browser, "export-preview")).getAttribute("data-drawn")) === "true", {
      timeout: 20_000,
      timeoutMsg: "the preview was not drawn",
    });
    assert.equal(await (await browser.$('[data-testid="export-layout-slider"]')).isSelected(), true, "the slider's split is offered first");
    assert.equal(await (await browser.$('[data-testid="export-use-client"]')).isSelected(), true, "the client's copy is the default");
    assert.equal(await (await browser.$('[data-testid="export-use-marketing"]')).isEnabled(), true, "marketing is allowed with the consent");
    const clientFile = path.join(out, "comparison-client.jpg");
    await (await byTestId(browser, "export-path")).setValue(clientFile);
    await (await byTestId(browser, "export-save")).click();
    const result = await byTestId(browser, "export-result", 30_000);
    assert.match(await result.getText(), /^Comparison image saved — [\d,]+ × [\d,]+ px/);
    await shot(browser, "compare-export-dialog");
    const clientImage = checkJpeg(clientFile, "compare-export-client.jpg");
    assert.ok(clientImage.width > clientImage.height, `one frame and its caption band (${clientImage.width} × ${clientImage.height})`);

    // And side by side for marketing.
    await chooseSegment(browser, "export-layout-side");
    await (await browser.$('[data-testid="export-use-marketing"] + span')).click();
    const marketingFile = path.join(out, "comparison-marketing.jpg");
    const field = await byTestId(browser, "export-path");
    await field.clearValue();
    await field.setValue(marketingFile);
    await (await byTestId(browser, "export-save")).click();
    await browser.waitUntil(() => existsSync(marketingFile), { timeout: 30_000, timeoutMsg: "the marketing image was not written" });
    await byTestId(browser, "export-result", 30_000);
    const marketingImage = checkJpeg(marketingFile, "compare-export-marketing.jpg");
    assert.ok(marketingImage.width > clientImage.width, "two frames side by side are wider than one split at the slider");
    await (await byTestId(browser, "export-close")).click();
    await browser.waitUntil(async () => !(await dialog.isExisting()), { timeout: 10_000, timeoutMsg: "the export dialog stayed open" });

    // Different skin cannot be aligned, and the viewer says so.
    await goTo(browser, `#/compare/${beforeFront.id}/${afterSide.id}`);
    await waitForImages(browser, '[data-testid="compare-viewer"] img', 2);
    await statusSays(browser, /^Not aligned$/, "that the side photo is not aligned");
    await (await byTestId(browser, "auto-align")).click();
    await statusSays(browser, /^Could not align automatically: the photos differ too much$/, "that the photos differ too much");
    await shot(browser, "compare-could-not-align");

    // The client's face on the record, and a photo chosen for it.
    await goTo(browser, `#/clients/${client.id}/photos`);
    await byTestId(browser, "photos-tab");
    const header = await byTestId(browser, "client-portrait");
    await browser.waitUntil(async () => (await header.getAttribute("data-photo")) !== "", { timeout: 20_000, timeoutMsg: "no face in the client header" });
    const shownFirst = await header.getAttribute("data-photo");
    await byTestId(browser, "portrait-badge");
    await browser.execute(() => window.scrollTo(0, 0));
    await shot(browser, "client-portrait-header");
    let chosenTile = null;
    for (const tile of await browser.$$('[data-testid="photo-tile"]')) {
      if (/^Before photo/.test(await tile.getAttribute("aria-label")) && !(await tile.$('[data-testid="portrait-badge"]').isExisting())) {
        chosenTile = tile;
        break;
      }
    }
    assert.ok(chosenTile, "a before photo that is not the portrait yet");
    await chosenTile.click();
    await byTestId(browser, "photo-editor");
    await (await byTestId(browser, "photo-portrait-toggle")).click();
    await browser.waitUntil(async () => /Stop using as portrait/.test(await (await byTestId(browser, "photo-portrait-toggle")).getText()), {
      timeout: 20_000,
      timeoutMsg: "the photo did not become the portrait",
    });
    await browser.waitUntil(async () => (await header.getAttribute("data-photo")) !== shownFirst, { timeout: 20_000, timeoutMsg: "the header kept the old face" });
    await (await byTestId(browser, "photo-portrait")).scrollIntoView({ block: "center" });
    await shot(browser, "client-portrait-chosen");

    await goTo(browser, `#/clients/${client.id}/sessions/new`);
    await byTestId(browser, "client-portrait");
    await shot(browser, "session-form-portrait");
  } finally {
    await browser.deleteSession();
  }

  // The command line sees the automatic alignment and the chosen portrait.
  const stored = cli(dataDir, "photo", "list", "--client", client.id);
  const aligned = stored.find((p) => p.id === moved.id);
  assert.equal(aligned.alignment?.source, "auto", "the last alignment was made automatically");
  assert.equal(aligned.alignment?.reference, beforeFront.id);
  assert.equal(stored.filter((p) => p.portrait).length, 1, "one photo is the chosen portrait");
});
