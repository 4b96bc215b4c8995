// Shared set-up for the browser journeys: Debian's Chromium driven by playwright-core, a phone-sized
// context with the WeChat webview's user agent, a console-error collector, and a Content-Security-
// Policy watch that fails the running test on any violation.
import { afterEach } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { mkdtempSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const BASE_URL = process.env.BASE_URL ?? "http://127.0.0.1:8787";
export const SCREENSHOTS = new URL("./screenshots/", import.meta.url).pathname;

// An iPhone-sized WeChat webview (the UA carries MicroMessenger, as WeChat's does).
export const WECHAT_UA =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) " +
  "Mobile/15E148 MicroMessenger/8.0.50(0x1800322c) NetType/WIFI Language/zh_CN";

/** An address for one browser or one API user: each person signs in from their own, as real
 *  drivers do, so the suite's many sign-ins stay under the per-address code limit. Locally,
 *  wrangler keeps a `CF-Connecting-IP` the client sends (Cloudflare's edge overwrites it). */
let addresses = Math.floor(Math.random() * 2 ** 22);
export function uniqueAddress() {
  addresses += 1;
  return `100.${64 + ((addresses >> 16) % 64)}.${(addresses >> 8) & 255}.${addresses & 255}`;
}

export const STANDIN_URL = process.env.STANDIN_URL;

/** Launches Chromium with the flags this closed network needs (no background lookups), as one
 *  person on their own phone (their own address), in WeChat's webview.
 *
 *  `wechatUser` names the person signed into WeChat on that phone: the providers' stand-in reads
 *  it (`X-Standin-Wechat-User`) on its authorize page, as WeChat knows its own user. Without one,
 *  the tab counts as having tried WeChat sign-in already (as after signing out), so journeys
 *  about other things start on the pages they open rather than on WeChat's round trip.
 *
 *  `width`: 390 (an iPhone 14) unless a journey checks a small phone too (320, an iPhone SE). */
export async function launch({ wechatUser, width = 390 } = {}) {
  const headers = { "CF-Connecting-IP": uniqueAddress() };
  if (wechatUser) headers["X-Standin-Wechat-User"] = wechatUser;
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "vehicles-e2e-")), {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
    viewport: { width, height: width < 390 ? 568 : 844 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
    userAgent: WECHAT_UA,
    locale: "zh-CN",
    extraHTTPHeaders: headers,
  });
  if (!wechatUser) {
    await context.addInitScript(() => sessionStorage.setItem("wechat-sign-in-tried", "1"));
  }
  return context;
}

/** The sign-in codes the SMS stand-in accepted for `phone`, oldest first. */
export async function smsCodes(phone) {
  const res = await fetch(`${STANDIN_URL}/__standin/sms?phone=${encodeURIComponent(`+86${phone}`)}`);
  return (await res.json()).map((m) => m.code);
}

/** Taps 获取验证码 and fills in the code that arrives: from the SMS stand-in when the server
 *  sends through it, else the dev code the page fills in itself. */
export async function requestCode(page, phone) {
  const before = STANDIN_URL ? (await smsCodes(phone)).length : 0;
  await page.getByRole("button", { name: /获取验证码|重新获取/ }).tap();
  if (STANDIN_URL) {
    let codes = [];
    for (let i = 0; i < 50 && codes.length <= before; i++) {
      codes = await smsCodes(phone);
      if (codes.length <= before) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(codes.length > before, `no SMS reached the stand-in for ${phone}`);
    await page.locator("input[autocomplete=one-time-code]").fill(codes.at(-1));
  }
  await page.waitForFunction(() => document.querySelector("input[autocomplete=one-time-code]").value.length === 6);
}

// CSP violations seen by any page since the last test ended (pages live across tests).
const violations = [];

// Every test of a file that imports this module fails if a page broke the policy while it ran
// (or in a `before` that opened pages for it), whatever the test itself asserts.
afterEach(() => {
  assert.deepEqual(takeCspViolations(), [], "Content-Security-Policy violations");
});

/** The CSP violations recorded since the last call, forgotten by the check after the test. */
export function takeCspViolations() {
  return violations.splice(0);
}

/** Opens a page that records every console error and uncaught exception into `errors`, and every
 *  CSP violation (the browser's `securitypolicyviolation` event and its console report). */
export async function openPage(context) {
  const page = await context.newPage();
  const errors = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
    if (/Content Security Policy/i.test(msg.text())) violations.push(`console: ${msg.text()}`);
  });
  page.on("pageerror", (err) => errors.push(String(err)));
  await page.exposeFunction("__reportCspViolation", (v) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__reportCspViolation(
        `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`);
    }, true);
  });
  return { page, errors };
}

/** Saves a screenshot of what the user sees now, named for the journey and step. */
export async function snap(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** Signs `phone` in through the sign-in page, with the code the SMS brought; ends on 我的.
 *  `beforeSubmit` runs with the form filled, e.g. to take a screenshot. */
export async function signInPage(page, phone, beforeSubmit = async () => {}) {
  await page.goto(`${BASE_URL}/login`);
  await page.getByLabel("手机号").fill(phone);
  await requestCode(page, phone);
  await beforeSubmit();
  await page.getByRole("button", { name: "登录" }).tap();
  await page.waitForURL(`${BASE_URL}/`);
}
