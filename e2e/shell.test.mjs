// The 我的 page shell on a phone in the WeChat webview: tabs, tip, navigation, no console errors.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE_URL, launch, openPage, snap, takeCspViolations } from "./browser.mjs";
import { addVehicle, apiCall, login, uniquePhone, uniquePlate } from "./api.mjs";

let context;
before(async () => { context = await launch(); });
after(async () => { await context?.close(); });

test("我的 shows the bottom tabs and the certification tip without console errors", async () => {
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/`);
  const tabs = page.getByRole("navigation", { name: "主导航" }).getByRole("link");
  await tabs.first().waitFor();
  assert.deepEqual(await tabs.allInnerTexts(), ["主页", "我的", "工作台", "随手拍"]);
  await page.getByText("温馨提示：认证车辆可开启车辆隐私保护。").waitFor();
  assert.equal(await page.getByRole("link", { name: "我的" }).locator("[aria-current=page]").count(), 1);
  // index.html's frame is gone once the app has started: one tab bar, no skeleton.
  assert.equal(await page.locator(".tab-bar").count(), 1);
  assert.equal(await page.locator(".skeleton").count(), 0);
  await page.getByRole("button", { name: "认证车辆的好处" }).tap();
  const sheet = page.getByRole("dialog", { name: "认证车辆的好处" });
  assert.equal(await sheet.getByRole("listitem").count(), 3);
  assert.match(await sheet.innerText(), /1、认证车辆可保护隐私，防止他人绑定；/);
  await snap(page, "shell-benefits");
  await sheet.getByRole("button", { name: "关闭" }).tap();
  await snap(page, "shell-mine");
  assert.deepEqual(errors, []);
});

test("tabs lead to each page, 工作台 in its own bundle, and every tab target is at least 44 px tall", async () => {
  const { page, errors } = await openPage(context);
  await page.goto(`${BASE_URL}/`);
  const workbench = page.getByRole("link", { name: "工作台" });
  await workbench.tap();
  await page.waitForURL(`${BASE_URL}/workbench`);
  await page.getByRole("heading", { name: "工作台" }).waitFor();
  for (const box of await Promise.all((await page.locator(".tab").all()).map((t) => t.boundingBox()))) {
    assert.ok(box.height >= 44, `tab height ${box.height}`);
  }
  await snap(page, "shell-workbench");
  // 工作台 is its own page and bundle: the drivers' wasm is not what it runs.
  const wasm = await page.evaluate(() =>
    performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname).filter((p) => p.endsWith(".wasm")));
  assert.equal(wasm.length, 1, wasm.join());
  assert.match(wasm[0], /^\/assets\/workbench_bg-/);
  await page.reload();
  await page.getByRole("heading", { name: "工作台" }).waitFor();
  // And back: 我的 from 工作台's tab bar is the drivers' app again.
  await page.getByRole("link", { name: "我的" }).tap();
  await page.waitForURL(`${BASE_URL}/`);
  await page.getByRole("navigation", { name: "主导航" }).waitFor();
  assert.equal(await page.locator(".tab-active").innerText(), "我的");
  assert.deepEqual(errors, []);
});

test("the page's Content-Security-Policy refuses an injected inline script and the watch sees it", async () => {
  const { page } = await openPage(context);
  await page.goto(`${BASE_URL}/`);
  await page.getByRole("navigation", { name: "主导航" }).waitFor();
  assert.deepEqual(takeCspViolations(), [], "the app itself breaks no rule");
  const ran = await page.evaluate(async () => {
    const script = document.createElement("script");
    script.textContent = "window.injected = true";
    document.head.append(script);
    await new Promise((resolve) => setTimeout(resolve, 100));
    return window.injected === true;
  });
  assert.equal(ran, false, "an inline script must not run");
  await page.waitForTimeout(100);
  const seen = takeCspViolations();
  assert.ok(seen.some((v) => v.startsWith("script-src-elem blocked inline")), seen.join("\n"));
});

test("a signed-in driver's 我的 comes drawn with the page, and the app takes it over without asking again", async () => {
  const driver = await login(uniquePhone());
  for (let i = 0; i < 2; i++) await addVehicle(driver, uniquePlate());
  const listed = (await apiCall(driver, "GET", "/api/vehicles")).vehicles.map((v) => v.plate);
  const own = await launch();
  try {
    const [name, value] = driver.cookie.split("=");
    await own.addCookies([{ name, value, domain: new URL(BASE_URL).hostname, path: "/", secure: true, httpOnly: true, sameSite: "Lax" }]);
    const plates = (page) => page.locator(".car-card .plate").allInnerTexts();

    // Before any wasm has run (here: none ever does), the cards are on screen.
    const { page: bare } = await openPage(own);
    await bare.route("**/*.wasm", (route) => route.abort());
    const sheets = [];
    bare.on("request", (r) => { if (r.resourceType() === "stylesheet") sheets.push(r.url()); });
    await bare.goto(`${BASE_URL}/`);
    assert.deepEqual(await plates(bare), listed);
    assert.ok(await bare.locator(".car-card").first().isVisible());
    // Styled by the sheet the page carries (its CSP allows it by hash), with no request for it.
    assert.equal(await bare.locator(".car-card").first().evaluate((c) => getComputedStyle(c).borderRadius), "8px");
    assert.deepEqual(sheets, []);
    await snap(bare, "shell-mine-drawn-by-the-edge");
    await bare.close();

    // With the app: it starts from the page's session, so nothing is asked on the way in.
    const { page, errors } = await openPage(own);
    const asked = [];
    page.on("request", (r) => {
      const url = new URL(r.url());
      if (url.pathname.startsWith("/api/")) asked.push(url.pathname + url.search);
    });
    await page.goto(`${BASE_URL}/`);
    // A button only the running app answers.
    await page.getByRole("button", { name: "认证车辆的好处" }).tap();
    const sheet = page.getByRole("dialog", { name: "认证车辆的好处" });
    await sheet.getByRole("button", { name: "关闭" }).tap();
    assert.deepEqual(await plates(page), listed, "the same cards, once each");
    assert.equal(await page.locator(".tab-bar").count(), 1);
    assert.deepEqual(asked, []);
    // The page's copy serves the first visit only: back on 我的 later, the cards are asked for.
    await page.getByRole("link", { name: "停车/充电记录" }).tap();
    await page.waitForURL(`${BASE_URL}/orders`);
    await page.getByRole("link", { name: "我的" }).tap();
    await page.locator(".car-card").first().waitFor();
    assert.ok(asked.includes("/api/vehicles"), asked.join());
    assert.deepEqual(await plates(page), listed);
    // A step back may replay an old copy of the page from the browser's cache: the app does not
    // start from that copy's cards, but asks.
    await page.getByRole("link", { name: "工作台" }).tap();
    await page.waitForURL(`${BASE_URL}/workbench`);
    const added = uniquePlate();
    await addVehicle(driver, added);
    await page.goBack();
    await page.waitForURL(`${BASE_URL}/`);
    await page.locator(".car-card .plate", { hasText: added }).waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await own.close();
  }
});
