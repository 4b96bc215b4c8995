// An owner's journey through the UI only: add a car on the plate keyboard, certify it with a
// photo, and (once the operator approved) answer a family member's request, then revoke it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE_URL, launch, openPage, signInPage, snap } from "./browser.mjs";
import { addVehicle, approveAll, login, uniquePhone, uniquePlate, TINY_JPEG } from "./api.mjs";

let context, operator;
before(async () => {
  context = await launch();
  operator = await login("13900000008");
});
after(async () => { await context?.close(); });

/** Types `plate` on the plate keyboard. */
async function typePlate(page, plate) {
  for (const c of plate) await page.getByRole("button", { name: `输入${c}`, exact: true }).tap();
}

test("add on the plate keyboard, certify with a photo, approve and revoke a family member", async () => {
  const { page, errors } = await openPage(context);
  const phone = uniquePhone();
  await signInPage(page, phone);
  await page.getByRole("link", { name: "+添加车辆" }).tap();
  await page.getByRole("heading", { name: "添加车辆" }).waitFor();
  // Letters I and O do not exist on the keyboard; provinces come first.
  assert.equal(await page.getByRole("button", { name: "输入粤", exact: true }).count(), 1);
  const plate = uniquePlate();
  await typePlate(page, plate);
  assert.equal(await page.getByRole("button", { name: "输入O", exact: true }).count(), 0);
  await page.getByText(`${plate} · 小汽车`).waitFor();
  await snap(page, "owner-add-keyboard");
  await page.getByRole("button", { name: "确认添加" }).tap();
  await page.waitForURL(`${BASE_URL}/`);

  await page.getByRole("link", { name: "去认证" }).tap();
  await page.getByRole("heading", { name: "车辆认证" }).waitFor();
  await page.getByLabel("车主姓名").fill("张三");
  await page.locator("input[type=file]").setInputFiles({ name: "license.jpg", mimeType: "image/jpeg", buffer: TINY_JPEG });
  await page.getByText("照片1 已上传").waitFor();
  await snap(page, "owner-certify-form");
  await page.getByRole("button", { name: "提交认证" }).tap();
  await page.waitForURL(`${BASE_URL}/`);
  assert.match(await page.getByRole("button", { name: `车辆${plate}` }).innerText(), /认证中/);

  await approveAll(operator, plate);
  const family = await login(uniquePhone());
  await addVehicle(family, plate);
  await page.reload();
  assert.match(await page.getByRole("button", { name: `车辆${plate}` }).innerText(), /已认证/);
  await snap(page, "owner-certified");
  await page.getByRole("link", { name: "设置", exact: true }).tap();
  const requests = page.getByRole("list", { name: "授权申请" });
  await requests.getByRole("listitem").waitFor();
  assert.match(await requests.innerText(), new RegExp(`${family.phone.slice(0, 3)}\\*\\*\\*\\*${family.phone.slice(7)}`));
  await snap(page, "owner-settings-request");
  await requests.getByRole("button", { name: "同意" }).tap();
  const authorized = page.getByRole("list", { name: "已授权" });
  await authorized.getByRole("listitem").waitFor();
  await authorized.getByRole("button", { name: "取消授权" }).tap();
  await authorized.getByRole("listitem").waitFor({ state: "detached" });
  await snap(page, "owner-settings-revoked");

  const res = await fetch(`${BASE_URL}/api/vehicles`, { headers: { cookie: family.cookie } });
  const list = await res.json();
  assert.equal(list.notices[0].kind, "authorization_revoked");
  assert.deepEqual(errors, []);
});

test("a non-standard plate needs the user's confirmation", async () => {
  const { page, errors } = await openPage(context);
  await signInPage(page, uniquePhone());
  await page.goto(`${BASE_URL}/vehicles/add`);
  await page.getByText("新能源（8位车牌）").tap();
  await typePlate(page, "粤B888888");
  const submit = page.getByRole("button", { name: "确认添加" });
  await page.getByText("车牌格式与新能源号牌规则不符，请核对").waitFor();
  assert.equal(await submit.isDisabled(), true);
  await snap(page, "nonstandard-warning");
  await page.getByRole("checkbox", { name: /车牌格式与新能源号牌规则不符/ }).check();
  assert.equal(await submit.isDisabled(), false);
  assert.deepEqual(errors, []);
});

test("a command whose answer is lost is sent again with its key and done once, without a conflict", async () => {
  const { page, errors } = await openPage(context);
  await signInPage(page, uniquePhone());
  await page.goto(`${BASE_URL}/vehicles/add`);
  const plate = uniquePlate();
  await typePlate(page, plate);
  // The first POST reaches the worker, but its answer never reaches the phone (a dropped
  // connection); the app sends the command again.
  const keys = [];
  await page.route("**/api/vehicles", async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    keys.push(route.request().headers()["idempotency-key"]);
    if (keys.length === 1) {
      await route.fetch();
      return route.abort("connectionreset");
    }
    return route.continue();
  });
  await page.getByRole("button", { name: "确认添加" }).tap();
  await page.waitForURL(`${BASE_URL}/`);
  await page.getByRole("button", { name: `车辆${plate}` }).waitFor();
  assert.equal(keys.length, 2, "sent again after the lost answer");
  assert.ok(keys[0] && keys[0] === keys[1], `one key for both: ${keys}`);
  assert.equal(await page.getByRole("alert").count(), 0, "no conflict shown");
  assert.equal(await page.getByRole("button", { name: `车辆${plate}` }).count(), 1);
  await page.unroute("**/api/vehicles");
  assert.deepEqual(errors.filter((e) => !/ERR_CONNECTION_RESET|Failed to load resource/.test(e)), []);
});
