// Median time to first render of 我的 (a signed-in driver with three cars) over 10 cold loads
// in headless Chromium, plain and at 4× CPU slowdown. Printed, never asserted.
// Usage: BASE_URL=… node scripts/render-bench.mjs   (scripts/bench runs it)
import { chromium } from "playwright-core";
import { addVehicle, login, uniquePhone, uniquePlate } from "../e2e/api.mjs";
import { WECHAT_UA } from "../e2e/browser.mjs";

const BASE_URL = process.env.BASE_URL;
const LOADS = 10;
const driver = await login(uniquePhone());
for (let i = 0; i < 3; i++) await addVehicle(driver, uniquePlate());
const [name, value] = driver.cookie.split("=");

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});

async function once(slowdown) {
  // A new context each time: empty cache, like a first visit.
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, userAgent: WECHAT_UA });
  await context.addCookies([{ name, value, url: BASE_URL }]);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: slowdown });
  await page.goto(`${BASE_URL}/`, { waitUntil: "commit" });
  await page.locator(".car-card").first().waitFor();
  const ms = await page.evaluate(() => performance.now());
  await context.close();
  return ms;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return (s[4] + s[5]) / 2; };
for (const slowdown of [1, 4]) {
  const times = [];
  for (let i = 0; i < LOADS; i++) times.push(await once(slowdown));
  console.log(`first render of 我的 (3 cars), CPU ${slowdown}×: median ${median(times).toFixed(0)} ms ` +
    `(min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}, ${LOADS} cold loads)`);
}
await browser.close();
