// 我的车辆 in the browser: signing in, the cards with their badges, the dialogs of SPEC §4
// shown on entry and on tapping a card, 联系客服, and 我要申诉 through the appeal page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE_URL, launch, openPage, signInPage, snap } from "./browser.mjs";
import { addVehicle, approveAll, certify, login, uniquePhone, uniquePlate, TINY_JPEG } from "./api.mjs";

let context, operator;
before(async () => {
  context = await launch();
  operator = await login("13900000007");
});
after(async () => { await context?.close(); });

/** Signs `phone` in through the sign-in page; returns the page on 我的. */
async function signIn(phone, name) {
  const { page, errors } = await openPage(context);
  await context.clearCookies();
  await signInPage(page, phone, () => snap(page, `${name}-sign-in`));
  return { page, errors };
}

test("a car certified by someone else shows its dialog on entry; 我知道了 removes it", async () => {
  const phone = uniquePhone();
  const me = await login(phone);
  const plate = uniquePlate();
  await addVehicle(me, plate);
  const other = await login(uniquePhone());
  await addVehicle(other, plate);
  await certify(other, plate);
  await approveAll(operator, plate);

  const { page, errors } = await signIn(phone, "certified-by-other");
  const dialog = page.getByRole("dialog");
  await dialog.waitFor();
  assert.equal(await dialog.getByRole("heading").innerText(), "温馨提示");
  assert.equal(await dialog.locator("p").innerText(), `车辆${plate}已被其他账号认证，当前账号将移除该车辆。`);
  assert.deepEqual(await dialog.getByRole("button").allInnerTexts(), ["我要申诉", "我知道了"]);
  await snap(page, "certified-by-other-dialog");
  // The phone's back button closes the dialog without answering it: it shows again next time.
  await page.goBack();
  await dialog.waitFor({ state: "detached" });
  assert.equal(page.url(), `${BASE_URL}/`);
  await page.reload();
  await dialog.waitFor();
  await dialog.getByRole("button", { name: "我知道了" }).tap();
  await dialog.waitFor({ state: "detached" });
  await page.getByText("还没有车辆，添加一辆吧").waitFor();
  await snap(page, "certified-by-other-after");
  assert.deepEqual(errors, []);
});

test("tapping a 认证中 car shows its dialog; 联系客服 offers to dial the tenant's number", async () => {
  const phone = uniquePhone();
  const me = await login(phone);
  const plate = uniquePlate();
  await addVehicle(me, plate);
  await certify(me, plate);

  const { page, errors } = await signIn(phone, "certifying");
  const card = page.getByRole("button", { name: `车辆${plate}` });
  await card.waitFor();
  assert.match(await card.innerText(), /认证中/);
  await snap(page, "certifying-list");
  await card.tap();
  const dialog = page.getByRole("dialog");
  assert.equal(await dialog.locator("p").innerText(), "您的补充信息已提交人工审核，我们会在3个工作日内处理。");
  await dialog.getByRole("button", { name: "联系客服" }).tap();
  await dialog.getByText("确定拨打客服电话吗？客服电话：1508888888").waitFor();
  assert.equal(await dialog.getByRole("button", { name: "确定" }).getAttribute("href"), "tel:1508888888");
  await snap(page, "certifying-support");
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
  assert.deepEqual(errors, []);
});

test("我要申诉 from the dialog leads to the appeal page; after submitting the car shows 申诉中", async () => {
  const phone = uniquePhone();
  const me = await login(phone);
  const plate = uniquePlate();
  await addVehicle(me, plate);
  await certify(me, plate);
  await approveAll(operator, plate);
  const claimant = await login(uniquePhone());
  const { id } = await (await fetch(`${BASE_URL}/api/uploads`, {
    method: "POST",
    headers: { cookie: claimant.cookie, "X-Requested-With": "vehicles", "content-type": "image/jpeg" },
    body: TINY_JPEG,
  })).json();
  const res = await fetch(`${BASE_URL}/api/vehicles/${encodeURIComponent(plate)}/appeal`, {
    method: "POST",
    headers: { cookie: claimant.cookie, "X-Requested-With": "vehicles", "content-type": "application/json" },
    body: JSON.stringify({ reason: "我是车主", evidence: [id] }),
  });
  assert.equal(res.status, 202);
  const queue = await (await fetch(`${BASE_URL}/api/ops/reviews?kind=appeal`, { headers: { cookie: operator.cookie } })).json();
  const review = queue.find((r) => r.plate === plate);
  await fetch(`${BASE_URL}/api/ops/reviews/${encodeURIComponent(review.id)}/approve`, {
    method: "POST", headers: { cookie: operator.cookie, "X-Requested-With": "vehicles" },
  });

  const { page, errors } = await signIn(phone, "lost-to-appeal");
  const dialog = page.getByRole("dialog");
  assert.equal(await dialog.locator("p").innerText(), `车辆${plate}的其他账号提交的认证申诉已通过，当前账号与车辆的认证关系已取消。`);
  await dialog.getByRole("button", { name: "我要申诉" }).tap();
  await page.getByRole("heading", { name: "我的车辆申诉" }).waitFor();
  await page.getByLabel("申诉理由").fill("车辆是我本人购买的,有行驶证");
  await page.locator("input[type=file]").setInputFiles({ name: "license.jpg", mimeType: "image/jpeg", buffer: TINY_JPEG });
  await page.getByText("照片1 已上传").waitFor();
  await snap(page, "lost-to-appeal-form");
  await page.getByRole("button", { name: "提交申诉" }).tap();
  await page.waitForURL(`${BASE_URL}/`);
  const card = page.getByRole("button", { name: `车辆${plate}` });
  await card.waitFor();
  assert.match(await card.innerText(), /申诉中/);
  await snap(page, "lost-to-appeal-appealing");
  assert.deepEqual(errors, []);
});
