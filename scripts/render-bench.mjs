// How fast 我的 appears for a signed-in driver with three cars, in headless Chromium: the median
// of 10 cold loads (empty cache) of the first paint and of the first car card, plain, at 4× CPU
// slowdown (a mid-range phone's WeChat webview) and at 4× CPU on a 4G-like network (60 ms RTT,
// 8 Mbit/s); then a returning visit (same browser, nothing changed): what it downloads.
// Printed, never asserted. Usage: BASE_URL=… node scripts/render-bench.mjs (scripts/bench runs it)
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

// 60 ms round trips, 8 Mbit/s down, 2 Mbit/s up.
const FOUR_G = { offline: false, latency: 60, downloadThroughput: 8e6 / 8, uploadThroughput: 2e6 / 8 };

async function newContext({ slowdown, network }) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, userAgent: WECHAT_UA });
  // The session cookie is `__Host-`: secure, host-only, path /. Chromium counts 127.0.0.1 as
  // a secure origin, so it sends the cookie over the local plain-HTTP server.
  await context.addCookies([{ name, value, domain: new URL(BASE_URL).hostname, path: "/", secure: true, httpOnly: true, sameSite: "Lax" }]);
  // When the first car card is put in the page (by the HTML parser, or by the app).
  await context.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.querySelector(".car-card")) {
        window.__firstCard = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: slowdown });
  if (network) {
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", network);
  }
  return { context, page };
}

async function visit(page) {
  await page.goto(`${BASE_URL}/`, { waitUntil: "commit" });
  await page.waitForFunction(() => window.__firstCard !== undefined &&
    performance.getEntriesByName("first-contentful-paint").length > 0);
  return page.evaluate(() => {
    const paint = performance.getEntriesByName("first-contentful-paint")[0];
    const entries = [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")];
    return {
      paint: paint ? paint.startTime : NaN,
      // A card in the page before its first contentful paint (drawn by the edge) is seen then.
      card: Math.max(window.__firstCard, paint ? paint.startTime : 0),
      downloaded: entries
        .filter((e) => e.transferSize > 0)
        .map((e) => ({ name: new URL(e.name).pathname, bytes: e.transferSize, body: e.encodedBodySize })),
      api: entries.filter((e) => new URL(e.name).pathname.startsWith("/api/"))
        .map((e) => { const u = new URL(e.name); return u.pathname + u.search; }),
    };
  });
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return (s[4] + s[5]) / 2; };
const profiles = [
  { label: "CPU 1×", slowdown: 1 },
  { label: "CPU 4×", slowdown: 4 },
  { label: "CPU 4×, 4G", slowdown: 4, network: FOUR_G },
];
// The floor, beside each profile without network emulation: a one-line page the browser answers
// itself (no server, no CSS, no script). What a cold load costs this browser on this machine
// before anything of ours: a first paint cannot come sooner, as a request cannot beat /api/health.
const BARE = "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'>" +
  "<title>我的车辆</title><p>我的车辆</p>";

async function bareVisit(profile) {
  const { context, page } = await newContext(profile);
  await page.route(`${BASE_URL}/__bare`, (route) => route.fulfill({ contentType: "text/html", body: BARE }));
  await page.goto(`${BASE_URL}/__bare`, { waitUntil: "commit" });
  await page.waitForFunction(() => performance.getEntriesByName("first-contentful-paint").length > 0);
  const paint = await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0].startTime);
  await context.close();
  return paint;
}

for (const profile of profiles) {
  const paints = [], cards = [], bare = [];
  let api = [];
  for (let i = 0; i < LOADS; i++) {
    // A new context each time: empty cache, like a first visit.
    const { context, page } = await newContext(profile);
    const { paint, card, api: requests } = await visit(page);
    api = requests;
    paints.push(paint);
    cards.push(card);
    await context.close();
    // Interleaved, so the floor sees the machine as the page did.
    if (!profile.network) bare.push(await bareVisit(profile));
  }
  const floor = bare.length ? `; a one-line page's first paint median ${median(bare).toFixed(0)} ms` : "";
  console.log(`我的 (3 cars), ${profile.label.padEnd(11)} first paint median ${median(paints).toFixed(0)} ms, ` +
    `first card median ${median(cards).toFixed(0)} ms (min ${Math.min(...cards).toFixed(0)}, ` +
    `max ${Math.max(...cards).toFixed(0)}; ${LOADS} cold loads)${floor}; API requests: ${api.join(", ")}`);
}

// A returning visit: the same browser loads 我的 again; only what changed should travel.
{
  const { context, page } = await newContext({ slowdown: 4 });
  await visit(page);
  const statuses = new Map();
  page.on("response", (r) => statuses.set(new URL(r.url()).pathname, r.status()));
  const again = await visit(page);
  const assets = again.downloaded.filter((d) => !d.name.startsWith("/api/"));
  const bytes = assets.reduce((sum, d) => sum + d.bytes, 0);
  const list = assets.map((d) => `${d.name} ${statuses.get(d.name) ?? "?"} ${d.bytes} B`).join(", ");
  console.log(`returning visit, CPU 4×: first card ${again.card.toFixed(0)} ms; page and assets over the ` +
    `network: ${list || "none"} (${bytes} B with headers; everything else from the cache)`);
  await context.close();
}
await browser.close();
