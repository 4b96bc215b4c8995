// WeChat sign-in in WeChat's webview, through the providers' stand-in (which knows its user by
// the X-Standin-Wechat-User header, as WeChat knows its own): the first visit goes silently
// through WeChat's authorize page to 绑定手机号 and then 我的; a later visit in a new browser
// goes straight to 我的 without a code; 账号与安全 shows and removes the binding.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BASE_URL, launch, openPage, requestCode, smsCodes, snap } from "./browser.mjs";
import { uniquePhone } from "./api.mjs";

/** The main frame's addresses as the page moves (redirects included). */
function trackNavigations(page) {
  const visited = [];
  page.on("request", (req) => {
    if (req.isNavigationRequest() && req.frame() === page.mainFrame()) visited.push(req.url());
  });
  return visited;
}

const onMine = (page) => page.getByRole("link", { name: "账号与安全" }).waitFor();

test("WeChat: the first visit binds a phone once, the next goes straight to 我的", async () => {
  const wechatUser = `wx-${uniquePhone()}`;
  const phone = uniquePhone();

  const first = await launch({ wechatUser });
  try {
    const { page, errors } = await openPage(first);
    const visited = trackNavigations(page);
    await page.goto(`${BASE_URL}/`);
    await page.waitForURL(/\/bind-phone/);
    await page.getByRole("heading", { name: "绑定手机号" }).waitFor();
    assert.ok(visited.some((u) => u.includes("/connect/oauth2/authorize")), visited.join("\n"));
    await page.getByLabel("手机号").fill(phone);
    await requestCode(page, phone);
    await snap(page, "wechat-bind-phone");
    await page.getByRole("button", { name: "绑定并登录" }).tap();
    await page.waitForURL(`${BASE_URL}/`);
    await onMine(page);
    assert.deepEqual(errors, []);
  } finally {
    await first.close();
  }
  const codesSent = (await smsCodes(phone)).length;
  assert.equal(codesSent, 1);

  const second = await launch({ wechatUser });
  try {
    const { page, errors } = await openPage(second);
    const visited = trackNavigations(page);
    await page.goto(`${BASE_URL}/`);
    await onMine(page);
    assert.equal(new URL(page.url()).pathname, "/");
    assert.ok(visited.some((u) => u.includes("/connect/oauth2/authorize")), "through WeChat");
    assert.ok(!visited.some((u) => u.includes("/bind-phone")), visited.join("\n"));
    assert.equal((await smsCodes(phone)).length, codesSent, "no code the second time");
    await snap(page, "wechat-signed-in");

    await page.getByRole("link", { name: "账号与安全" }).tap();
    await page.getByText(/已绑定/).waitFor();
    await snap(page, "wechat-account");
    await page.getByRole("button", { name: "解除绑定" }).tap();
    await page.getByText("未绑定").waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await second.close();
  }
});

test("WeChat: a failed WeChat sign-in says why, and phone + code still signs in", async () => {
  const context = await launch();
  try {
    const { page, errors } = await openPage(context);
    await page.goto(`${BASE_URL}/login?wechat=failed`);
    await page.getByRole("alert").getByText("微信登录失败").waitFor();
    await page.getByRole("button", { name: "获取验证码" }).waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
