// A car drives in and out of 星河湾停车场, driven by the car-park simulator (signed gateway events):
// the operator issues a coupon in 工作台, the owner gets the entry notice with the full name and
// sees 无感支付 pay with that coupon; an authorized family member does not see that stay (抵扣订单仅
// 认证车主可见) and sees the coupon used.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE_URL, launch, openPage, signInPage, snap } from "./browser.mjs";
import {
  addVehicle, apiCall, approveAll, approveRequest, carpark, certify, login, uniquePhone, uniquePlate,
} from "./api.mjs";

const OPERATOR_PHONE = "13900000013";
let ownerContext, familyContext, operatorContext, operator;
before(async () => {
  ownerContext = await launch();
  familyContext = await launch();
  operatorContext = await launch();
  operator = await login(OPERATOR_PHONE);
});
after(async () => {
  await ownerContext?.close();
  await familyContext?.close();
  await operatorContext?.close();
});

test("in and out of a car park: entry notice, 无感支付 with a coupon, the stay it paid is the owner's alone", async () => {
  const ownerPhone = uniquePhone();
  const familyPhone = uniquePhone();
  const plate = uniquePlate();
  const owner = await login(ownerPhone);
  await addVehicle(owner, plate);
  await certify(owner, plate);
  await approveAll(operator, plate);
  const family = await login(familyPhone);
  await addVehicle(family, plate);
  await approveRequest(owner, plate, family.userId);
  // The owner was told of the set-up (认证已通过, the family's request); read, so the badge
  // below counts what the car park causes.
  await apiCall(owner, "POST", "/api/messages/read", {
    ids: (await apiCall(owner, "GET", "/api/messages")).messages.map((m) => m.id),
  });

  // The operator finds the plate in 工作台 and issues a ¥10 coupon to it.
  const ops = await openPage(operatorContext);
  await signInPage(ops.page, OPERATOR_PHONE);
  await ops.page.getByRole("link", { name: "工作台" }).tap();
  await ops.page.getByRole("tab", { name: "车辆查询" }).tap();
  await ops.page.getByLabel("车牌号").fill(plate);
  await ops.page.getByRole("button", { name: "查询" }).tap();
  const issue = ops.page.getByRole("form", { name: "发放优惠券" });
  await issue.getByLabel("优惠券名称").fill("停车2小时免费券");
  await issue.getByLabel("面额（元）").fill("10");
  await issue.getByRole("button", { name: /发放/ }).tap();
  await issue.getByText("已发放「停车2小时免费券」¥10.00").waitFor();
  await snap(ops.page, "parking-workbench-coupon");
  assert.deepEqual(ops.errors, []);

  // The owner turns on 无感支付 (coupons first by default).
  const { page, errors } = await openPage(ownerContext);
  await signInPage(page, ownerPhone);
  await page.getByRole("link", { name: "无感支付" }).tap();
  await page.getByRole("heading", { name: "无感支付" }).waitFor();
  await page.getByRole("switch", { name: /无感支付/ }).check();
  await snap(page, "parking-autopay-settings");
  await page.getByRole("button", { name: "保存" }).tap();
  await page.getByText("已保存").waitFor();

  // The car enters (now: the owner sees in full only stays that began while they owned the
  // car): the owner's 我的 tab counts two unread messages (the coupon, the entry), and the entry
  // notice names the car park in full.
  const entry = carpark("entry", "--plate", plate);
  assert.ok(entry.order_id, JSON.stringify(entry));
  await page.goto(`${BASE_URL}/`);
  const badge = page.locator(".tab-badge");
  await badge.waitFor();
  assert.match(await badge.innerText(), /^2/);
  await snap(page, "parking-unread-badge");
  await page.getByRole("link", { name: /^消息/ }).tap();
  const inbox = page.getByRole("list", { name: "消息列表" });
  await inbox.getByText(`车辆${plate}已进入星河湾停车场。`).waitFor();
  await snap(page, "parking-inbox-entry");

  // The car leaves owing ¥8.00: 无感支付 takes it from the coupon; no exit notice is needed.
  const exit = carpark("exit", "--plate", plate, "--fee", "800");
  assert.equal(exit.order_id, entry.order_id);
  await page.goto(`${BASE_URL}/orders`);
  const order = page.getByRole("listitem", { name: `${plate}停车订单` });
  await order.getByText("已缴费").waitFor();
  const card = await order.innerText();
  assert.match(card, /星河湾停车场/);
  assert.match(card, /进场/);
  assert.match(card, /不足1分钟/);
  assert.match(card, /优惠券抵扣 ¥8\.00/);
  assert.match(card, /无感支付/);
  await snap(page, "parking-orders-owner");
  await page.goto(`${BASE_URL}/coupons`);
  await page.getByText("已使用").waitFor();
  assert.deepEqual(errors, []);

  // 工作台 shows the operator who paid the stay and how, and who issued the coupon.
  await ops.page.getByRole("button", { name: "查询" }).tap();
  await ops.page.getByRole("list", { name: "停车/充电订单" }).getByText(/¥8\.00 由用户 .* 无感支付于/).waitFor();
  assert.match(await ops.page.getByRole("list", { name: "优惠券" }).innerText(), /停车2小时免费券.*已使用.*运营 u-operator-13/);
  await snap(ops.page, "parking-workbench-orders");
  assert.deepEqual(ops.errors, []);

  // The family member does not see the stay 无感支付 paid at all (抵扣订单仅认证车主可见), and
  // sees the used coupon without the owner's hint.
  const fam = await openPage(familyContext);
  await signInPage(fam.page, familyPhone);
  await fam.page.getByRole("link", { name: "停车/充电记录" }).tap();
  await fam.page.getByText("暂无停车或充电记录").waitFor();
  assert.equal(await fam.page.getByRole("listitem", { name: `${plate}停车订单` }).count(), 0);
  await snap(fam.page, "parking-orders-family");
  await fam.page.goto(`${BASE_URL}/coupons`);
  await fam.page.getByText("停车2小时免费券").waitFor();
  assert.match(await fam.page.locator("main").innerText(), /已使用/);
  assert.equal(await fam.page.getByRole("link", { name: "无感支付" }).count(), 0, "the hint is the owner's");
  const inboxRes = await fetch(`${BASE_URL}/api/messages`, { headers: { cookie: family.cookie } });
  assert.equal((await inboxRes.json()).messages.length, 0, "the family is told nothing of entries and exits");
  assert.deepEqual(fam.errors, []);
});
