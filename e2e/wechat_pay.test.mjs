// WeChat Pay in WeChat's webview, against the providers' stand-in. WeixinJSBridge is stubbed the
// way WeChat provides it: its pay sheet hands the signed sheet to the stand-in (which checks the
// paySign and pays), and 开通 of 微信支付分停车 turns the plate's service on there.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { BASE_URL, STANDIN_URL, launch, openPage, requestCode, snap } from "./browser.mjs";
import { addVehicle, approveAll, certify, login, uniquePhone, uniquePlate } from "./api.mjs";

function carpark(...args) {
  const out = execFileSync("cargo", ["run", "-q", "-p", "integration", "--bin", "carpark", "--", ...args], {
    env: { ...process.env, BASE_URL },
    encoding: "utf8",
  });
  return JSON.parse(out);
}

async function standin(path, body) {
  const res = await fetch(`${STANDIN_URL}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

/** WeixinJSBridge as WeChat gives it to a page, its two calls carried out by the stand-in. */
async function stubBridge(context) {
  const calls = [];
  await context.exposeFunction("__weixinBridge", async (name, params) => {
    calls.push(name);
    if (name === "getBrandWCPayRequest") return standin("/__standin/pay/sheet", params);
    if (name === "launchMiniProgram") {
      const query = new URLSearchParams(params.path.split("?")[1]);
      await standin("/__standin/pay/parking-service", {
        openid: query.get("openid"),
        plate_number: query.get("plate_number"),
        plate_color: query.get("plate_color"),
        state: "NORMAL",
      });
      return { err_msg: "launchMiniProgram:ok" };
    }
    return { err_msg: `${name}:fail` };
  });
  await context.addInitScript(() => {
    window.WeixinJSBridge = {
      invoke: (name, params, cb) => window.__weixinBridge(name, params).then(cb),
    };
  });
  return calls;
}

let operator;
before(async () => { operator = await login("13900000019"); });

test("WeChat Pay: 微信支付 in the pay sheet, and 开通 of 微信支付分停车 for 无感支付", async () => {
  const wechatUser = `wxpay-${uniquePhone()}`;
  const phone = uniquePhone();
  const context = await launch({ wechatUser });
  try {
    const calls = await stubBridge(context);
    const { page, errors } = await openPage(context);
    // Signed in through WeChat (a new openid binds the phone once).
    await page.goto(`${BASE_URL}/`);
    await page.waitForURL(/\/bind-phone/);
    await page.getByLabel("手机号").fill(phone);
    await requestCode(page, phone);
    await page.getByRole("button", { name: "绑定并登录" }).tap();
    await page.getByRole("link", { name: "账号与安全" }).waitFor();

    // The driver's certified car leaves the car park owing ¥12.00.
    const me = await login(phone);
    const plate = uniquePlate();
    await addVehicle(me, plate);
    await certify(me, plate);
    await approveAll(operator, plate);
    carpark("entry", "--plate", plate);
    carpark("exit", "--plate", plate, "--fee", "1200");

    await page.goto(`${BASE_URL}/orders`);
    const order = page.getByRole("listitem", { name: `${plate}停车订单` });
    await order.getByRole("button", { name: "缴费 ¥12.00" }).tap();
    await snap(page, "wechat-pay-choices");
    await order.getByRole("button", { name: /微信支付/ }).tap();
    await order.getByText("已缴费").waitFor();
    assert.deepEqual(calls, ["getBrandWCPayRequest"]);
    await snap(page, "wechat-pay-paid");

    // 无感支付: 微信支付分停车 is not on yet; 开通 opens WeChat's page, and back here it is on.
    await page.goto(`${BASE_URL}/vehicles/${encodeURIComponent(plate)}/autopay`);
    const section = page.getByRole("region", { name: "微信支付分停车" });
    await section.getByText("微信支付分停车：未开通").waitFor();
    await snap(page, "wechat-parking-off");
    await section.getByRole("button", { name: "开通微信支付分停车" }).tap();
    await section.getByText("微信支付分停车：已开通").waitFor();
    assert.deepEqual(calls, ["getBrandWCPayRequest", "launchMiniProgram"]);
    await snap(page, "wechat-parking-on");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
