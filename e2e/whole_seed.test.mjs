// The seed as a driver lives it (issue 14), through the UI only, on a small phone (320 px, an
// iPhone SE) and a common one (390 px) in WeChat's webview: the owner hears of a request and
// answers it from 授权申请 N; a rejected certification shows its reason; the default car is
// preselected in 代缴费; the owner hears the amount due and who paid; vehicle details are kept in
// 设置 and shown on the card; `open` and `hidden` tenants look whole; 工作台's history names who,
// whom and why. (A command whose answer was lost: owner.test.mjs.) Other people act through the API. Screenshots: e2e/screenshots/seed-*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE_URL, launch, openPage, signInPage, snap } from "./browser.mjs";
import {
  addVehicle, apiCall, approveAll, carpark, certify, login, uniquePhone, uniquePlate,
} from "./api.mjs";

const OPERATOR_PHONE = "13900000021";
// Seeded in 自由停车 (`open`) and 金茂 (`hidden`) for this file.
const OPEN_PHONE = "13800000024";
const HIDDEN_PHONE = "13800000025";
const WIDTHS = [320, 390];

let operator;
const contexts = [];
before(async () => { operator = await login(OPERATOR_PHONE); });
after(async () => { for (const c of contexts) await c.close(); });

/** `phone` signed in on a phone `width` px wide, on 我的. */
async function driver(phone, width) {
  const context = await launch({ width });
  contexts.push(context);
  const { page, errors } = await openPage(context);
  await signInPage(page, phone);
  return { page, errors };
}

async function mine(page) {
  await page.goto(`${BASE_URL}/`);
  await page.locator(".loading").waitFor({ state: "detached" });
}

/** Nothing is wider than the screen (no sideways scrolling on a small phone). */
async function fitsTheScreen(page) {
  const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scroll <= inner, `the page is ${scroll} px wide on a ${inner} px screen`);
}

async function shot(page, name, width) {
  await fitsTheScreen(page);
  await snap(page, `seed-${name}-${width}`);
}

/** The texts of 消息, newest first. */
async function inbox(page) {
  await page.goto(`${BASE_URL}/messages`);
  const list = page.getByRole("list", { name: "消息列表" });
  await list.waitFor();
  return list.locator(".message-text").allInnerTexts();
}

/** A new user owning a new plate (certified, approved). */
async function ownerOfNewPlate() {
  const owner = await login(uniquePhone());
  const plate = uniquePlate();
  await addVehicle(owner, plate);
  await certify(owner, plate);
  await approveAll(operator, plate);
  return { owner, plate };
}

const enc = encodeURIComponent;

for (const width of WIDTHS) {
  test(`[${width}px] the owner hears of a request and answers it from 授权申请 N`, async () => {
    const { owner, plate } = await ownerOfNewPlate();
    const asker = await login(uniquePhone());
    await addVehicle(asker, plate);

    const { page, errors } = await driver(owner.phone, width);
    const requests = page.getByRole("link", { name: "授权申请 1" });
    await requests.waitFor();
    await shot(page, "request-card", width);
    await requests.tap();
    await page.waitForURL(`${BASE_URL}/vehicles/${enc(plate)}/settings`);
    const list = page.getByRole("list", { name: "授权申请" });
    await list.getByRole("listitem").waitFor();
    await shot(page, "request-settings", width);
    await list.getByRole("button", { name: "同意" }).tap();
    await list.getByRole("listitem").waitFor({ state: "detached" });
    await mine(page);
    await page.getByRole("button", { name: `车辆${plate}` }).waitFor();
    assert.equal(await page.getByRole("link", { name: /^授权申请/ }).count(), 0);
    const told = await inbox(page);
    assert.ok(told.includes(`车辆${plate}收到一条新的授权申请，请在车辆设置中处理。`), told.join("\n"));
    assert.deepEqual(errors, []);
  });

  test(`[${width}px] a rejected certification shows the operator's reason on the card and in 消息`, async () => {
    const user = await login(uniquePhone());
    const plate = uniquePlate();
    await addVehicle(user, plate);
    await certify(user, plate);
    const review = (await apiCall(operator, "GET", "/api/ops/reviews")).find((r) => r.plate === plate);
    await apiCall(operator, "POST", `/api/ops/reviews/${enc(review.id)}/reject`, { reason: "行驶证照片不清晰" });

    const { page, errors } = await driver(user.phone, width);
    await page.getByText("认证未通过，原因：行驶证照片不清晰").waitFor();
    await shot(page, "rejected-card", width);
    const told = await inbox(page);
    assert.ok(told.includes(`车辆${plate}的认证未通过。原因：行驶证照片不清晰`), told.join("\n"));
    await shot(page, "rejected-inbox", width);
    assert.deepEqual(errors, []);
  });

  test(`[${width}px] the default car is preselected in 代缴费, and the owner hears what is due and who paid`, async () => {
    const { owner, plate } = await ownerOfNewPlate();
    const second = uniquePlate();
    await addVehicle(owner, second);
    carpark("entry", "--plate", plate);
    const exit = carpark("exit", "--plate", plate, "--fee", "600");
    // Someone with no relation to the car pays for it (代缴费).
    const stranger = await login(uniquePhone());
    await apiCall(stranger, "POST", "/api/wallet/top-up", { amount_fen: 600 });
    await apiCall(stranger, "POST", `/api/orders/${enc(exit.order_id)}/pay`, { source: "wallet" });

    const { page, errors } = await driver(owner.phone, width);
    const first = page.getByRole("button", { name: `车辆${plate}` });
    await first.waitFor();
    assert.match(await first.innerText(), /默认/, "the first car added is the default");
    await page.goto(`${BASE_URL}/orders`);
    const picker = page.getByRole("group", { name: "从我的车辆选择" });
    await picker.waitFor();
    const chosen = picker.getByRole("button", { pressed: true });
    await chosen.waitFor();
    assert.match(await chosen.innerText(), new RegExp(plate));
    await shot(page, "picker", width);
    await picker.getByRole("button", { name: new RegExp(second) }).tap();
    await picker.getByRole("button", { name: new RegExp(second), pressed: true }).waitFor();

    const told = await inbox(page);
    assert.ok(told.some((t) => t.startsWith(`车辆${plate}已离开星河湾停车场`) && t.endsWith("费用6.00元尚未缴纳。")), told.join("\n"));
    assert.ok(told.includes(`车辆${plate}的费用6.00元已由他人代为缴纳。`), told.join("\n"));
    await shot(page, "paid-by-other", width);
    assert.deepEqual(errors, []);
  });

  test(`[${width}px] the owner keeps the car's details in 设置 and sees them on the card`, async () => {
    const { owner, plate } = await ownerOfNewPlate();
    const { page, errors } = await driver(owner.phone, width);
    const card = page.getByRole("listitem").filter({ has: page.getByRole("button", { name: `车辆${plate}` }) });
    await card.getByRole("link", { name: "设置", exact: true }).tap();
    const info = page.getByRole("region", { name: "车辆信息" });
    await info.getByText("蓝牌").waitFor();
    await info.getByRole("button", { name: "维护车辆信息" }).tap();
    await info.getByLabel("号牌颜色").selectOption({ label: "黄牌" });
    await info.getByLabel("品牌").fill("比亚迪");
    await info.getByLabel("车型").fill("汉");
    await info.getByLabel("车身颜色").fill("白色");
    await info.getByLabel("车辆昵称").fill("小白");
    await shot(page, "details-form", width);
    await info.getByRole("button", { name: "保存" }).tap();
    await info.getByRole("button", { name: "维护车辆信息" }).waitFor();
    await info.getByText("小白").waitFor();
    assert.deepEqual(await info.locator("dd").allInnerTexts(), ["黄牌", "比亚迪", "汉", "白色", "小白"]);
    await shot(page, "details-settings", width);
    await mine(page);
    await card.getByText("小白").waitFor();
    await card.getByText("比亚迪 汉 · 白色").waitFor();
    assert.match(await card.locator(".plate").getAttribute("class"), /plate-yellow/);
    await shot(page, "details-card", width);
    assert.deepEqual(errors, []);
  });

  test(`[${width}px] in an open tenant nothing leads to 认证 or 申诉`, async () => {
    const user = await login(OPEN_PHONE);
    const plate = uniquePlate();
    await addVehicle(user, plate);
    const { page, errors } = await driver(OPEN_PHONE, width);
    const card = page.getByRole("listitem").filter({ has: page.getByRole("button", { name: `车辆${plate}` }) });
    await card.getByRole("link", { name: "维护车辆信息>" }).waitFor();
    assert.equal(await page.getByRole("link", { name: "去认证" }).count(), 0);
    assert.equal(await page.getByRole("button", { name: "认证车辆的好处" }).count(), 0);
    await shot(page, "open-mine", width);
    // A direct address says why, instead of a form that would be refused.
    await page.goto(`${BASE_URL}/vehicles/${enc(plate)}/certify`);
    await page.getByRole("status").getByText("本项目无需认证车辆").waitFor();
    assert.equal(await page.getByRole("button", { name: "提交认证" }).count(), 0);
    await shot(page, "open-certify", width);
    assert.deepEqual(errors, []);
  });

  test(`[${width}px] in a hidden tenant the vehicle module is absent`, async () => {
    const { page, errors } = await driver(HIDDEN_PHONE, width);
    await page.getByRole("heading", { name: "我的" }).waitFor();
    await page.getByRole("link", { name: "账号与安全" }).waitFor();
    for (const absent of ["+添加车辆", "停车/充电记录", "我的卡券"]) {
      assert.equal(await page.getByRole("link", { name: absent }).count(), 0, absent);
    }
    assert.equal(await page.getByRole("heading", { name: "我的车辆" }).count(), 0);
    await shot(page, "hidden-mine", width);
    await page.goto(`${BASE_URL}/orders`);
    await page.getByRole("status").getByText("当前项目未开放我的车辆功能").waitFor();
    await shot(page, "hidden-orders", width);
    assert.deepEqual(errors, []);
  });

  test(`[${width}px] 工作台's history names who acted, whom, why, and the refusals`, async () => {
    const user = await login(uniquePhone());
    const plate = uniquePlate();
    await addVehicle(user, plate);
    await certify(user, plate);
    const masked = (phone) => `${phone.slice(0, 3)}****${phone.slice(7)}`;

    const { page, errors } = await driver(OPERATOR_PHONE, width);
    await page.getByRole("link", { name: "工作台" }).tap();
    const review = page.getByRole("listitem", { name: `审核${plate}` });
    await review.getByText("车主姓名：").waitFor();
    await review.getByLabel("驳回原因").fill("照片不清晰");
    await review.getByRole("button", { name: "驳回" }).tap();
    await review.waitFor({ state: "detached" });
    // The user tries again while nothing is pending: refused, and the refusal is recorded.
    await apiCall(user, "POST", `/api/vehicles/${enc(plate)}/cancel-request`).catch(() => {});

    await page.getByRole("tab", { name: "车辆查询" }).tap();
    await page.getByLabel("车牌号").fill(plate);
    await page.getByRole("button", { name: "查询" }).tap();
    const relations = page.getByRole("list", { name: "当前关系" });
    await relations.getByText(masked(user.phone)).waitFor();
    assert.match(await relations.innerText(), /已添加（未认证）/);
    const history = page.getByRole("list", { name: "历史记录" });
    const rejected = history.getByRole("listitem").filter({ hasText: "认证驳回" });
    assert.match(await rejected.innerText(), new RegExp(`运营 ${masked(OPERATOR_PHONE).replace(/\*/g, "\\*")}`));
    assert.match(await rejected.innerText(), new RegExp(`→ ${masked(user.phone).replace(/\*/g, "\\*")}`));
    assert.match(await rejected.innerText(), /原因：照片不清晰/);
    assert.match(await history.getByRole("listitem").filter({ hasText: "提交认证" }).innerText(), /车主姓名：测试/);
    const refused = history.getByRole("listitem").filter({ hasText: "操作被拒绝" });
    assert.match(await refused.innerText(), /拒绝原因：没有待车主确认的添加申请/);
    await history.scrollIntoViewIfNeeded();
    await shot(page, "workbench-history", width);
    assert.deepEqual(errors, []);
  });
}
