// A practitioner creates a client through the form, finds it in the list,
// restarts the app and finds it again by search.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";
import { SHOTS, byTestId, freshDataDir, openApp, startDriver } from "./driver.mjs";

let driver;
before(async () => {
  driver = await startDriver();
});
after(() => driver?.stop());

async function rowNames(browser) {
  const rows = await browser.$$('[data-testid="client-row"]');
  const names = [];
  for (const row of rows) names.push(await row.getText());
  return names;
}

async function searchFor(browser, text) {
  const search = await byTestId(browser, "search-input");
  await search.clearValue();
  await search.setValue(text);
  await browser.waitUntil(
    async () => (await rowNames(browser)).some((n) => n.includes("Ingrid Nilsson")),
    { timeout: 20_000, timeoutMsg: `no row for Ingrid Nilsson after searching ${text}` },
  );
}

test("create a client, see it listed, restart, find it by search", async () => {
  const dataDir = freshDataDir();
  let browser = await openApp(driver, dataDir);
  try {
    await byTestId(browser, "search-input");
    await (await byTestId(browser, "new-client-button")).click();
    const form = await byTestId(browser, "client-form");

    // A bad email is refused next to the field, and nothing is saved.
    await (await form.$('[name="name"]')).setValue("Ingrid Nilsson");
    await (await form.$('[name="email"]')).setValue("ingrid-at-example");
    await (await byTestId(browser, "save-client")).click();
    const emailError = await byTestId(browser, "field-error-email");
    assert.match(await emailError.getText(), /email/i, "the email field explains what is wrong");

    await (await form.$('[name="email"]')).clearValue();
    await (await form.$('[name="email"]')).setValue("ingrid@example.com");
    await (await form.$('[name="phone"]')).setValue("+46 70 123 45 67");
    await (await form.$('[name="fitzpatrick"]')).selectByAttribute("value", "2");
    await browser.saveScreenshot(path.join(SHOTS, "client-form.png"));
    await (await byTestId(browser, "save-client")).click();

    const heading = await byTestId(browser, "client-name");
    assert.equal(await heading.getText(), "Ingrid Nilsson", "the new client's page opens");

    await browser.execute(() => {
      window.location.hash = "#/clients";
    });
    await searchFor(browser, "nils");
    await browser.saveScreenshot(path.join(SHOTS, "client-list.png"));
  } finally {
    await browser.deleteSession();
  }

  // The app is closed; a new start on the same folder still has the client.
  browser = await openApp(driver, dataDir);
  try {
    await searchFor(browser, "INGRID");
    const names = await rowNames(browser);
    assert.equal(names.filter((n) => n.includes("Ingrid Nilsson")).length, 1, "stored once");
    await (await browser.$('[data-testid="client-row"]')).click();
    const heading = await byTestId(browser, "client-name");
    assert.equal(await heading.getText(), "Ingrid Nilsson");
    await browser.saveScreenshot(path.join(SHOTS, "client-page.png"));
  } finally {
    await browser.deleteSession();
  }
});
