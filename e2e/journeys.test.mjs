// SPEC §3–§4 through the UI only: several drivers and the operator, each in their own browser
// context (their own phone), covering every state and every notice. Every page passed is saved
// as a screenshot (e2e/screenshots/journey-*.png).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE_URL, launch, openPage, signInPage, snap } from "./browser.mjs";
import { uniquePhone, uniquePlate, TINY_JPEG } from "./api.mjs";

const contexts = [];
after(async () => { for (const c of contexts) await c.close(); });

let shot = 0;
/** One person with their own phone and browser. */
class Person {
  static async signIn(name, phone = uniquePhone()) {
    const context = await launch();
    contexts.push(context);
    const { page, errors } = await openPage(context);
    const person = Object.assign(new Person(), { name, phone, page, errors });
    await signInPage(page, phone, () => person.snap("sign-in"));
    return person;
  }

  async snap(step) {
    shot += 1;
    await snap(this.page, `journey-${String(shot).padStart(2, "0")}-${this.name}-${step}`);
  }

  async mine() {
    await this.page.goto(`${BASE_URL}/`);
    await this.page.getByRole("heading", { name: "我的车辆" }).waitFor();
    await this.page.locator(".loading").waitFor({ state: "detached" });
  }

  card(plate) { return this.page.getByRole("button", { name: `车辆${plate}` }); }

  async badge(plate) {
    await this.card(plate).waitFor();
    return (await this.card(plate).innerText()).replace(/\s+/g, " ");
  }

  async add(plate) {
    await this.mine();
    await this.page.getByRole("link", { name: "+添加车辆" }).tap();
    for (const c of plate) await this.page.getByRole("button", { name: `输入${c}`, exact: true }).tap();
    await this.snap("add");
    await this.page.getByRole("button", { name: "确认添加" }).tap();
    await this.page.waitForURL(`${BASE_URL}/`);
  }

  async claim(fieldLabel, text, submit) {
    await this.page.getByLabel(fieldLabel).fill(text);
    await this.page.locator("input[type=file]").setInputFiles({ name: "photo.jpg", mimeType: "image/jpeg", buffer: TINY_JPEG });
    await this.page.getByText("照片1 已上传").waitFor();
    await this.snap(submit);
    await this.page.getByRole("button", { name: submit }).tap();
    await this.page.waitForURL(`${BASE_URL}/`);
  }

  async certify(plate) {
    await this.mine();
    await this.card(plate).locator("xpath=..").getByRole("link", { name: "去认证" }).tap();
    await this.claim("车主姓名", "张三", "提交认证");
  }

  /** The dialog on 我的: its title, text and (申诉失败) the operator's reason, then the button
   *  tapped. */
  async answer(expectedTitle, expectedText, button, expectedReason = null) {
    await this.mine();
    const dialog = this.page.getByRole("dialog");
    await dialog.waitFor();
    assert.equal(await dialog.getByRole("heading").innerText(), expectedTitle);
    assert.equal(await dialog.locator("#dialog-text").innerText(), expectedText);
    const reason = dialog.locator(".dialog-reason");
    assert.equal((await reason.count()) ? await reason.innerText() : null, expectedReason);
    await this.snap(`dialog-${button}`);
    await dialog.getByRole("button", { name: button }).tap();
  }

  async settings(plate) {
    await this.mine();
    await this.card(plate).locator("xpath=..").getByRole("link", { name: /设置|维护车辆信息/ }).last().tap();
    await this.page.getByRole("heading", { name: "设置" }).waitFor();
    await this.page.locator(".loading").waitFor({ state: "detached" });
  }

  noErrors() { assert.deepEqual(this.errors, [], `${this.name}: console errors`); }
}

/** The operator in 工作台. */
async function operatorDecides(operator, queue, plate, decision, reason) {
  await operator.page.goto(`${BASE_URL}/workbench`);
  await operator.page.getByRole("tab", { name: queue }).tap();
  const card = operator.page.getByRole("listitem", { name: `审核${plate}` });
  await card.waitFor();
  await operator.snap(`${queue}`);
  if (reason) await card.getByLabel("驳回原因").fill(reason);
  await card.getByRole("button", { name: decision }).tap();
  await card.waitFor({ state: "detached" });
}

let operator;
before(async () => { operator = await Person.signIn("operator", "13900000006"); });

test("certify, authorize, revoke, appeal won and lost, revoked by the operator", async () => {
  const plate = uniquePlate();
  const a = await Person.signIn("a");
  await a.add(plate);
  // A's first car: 默认 from the start (SPEC §5).
  assert.match(await a.badge(plate), new RegExp(`^${plate} 小汽车 默认$`));
  await a.certify(plate);
  assert.match(await a.badge(plate), /认证中/);
  await a.card(plate).tap();
  assert.equal(await a.page.getByRole("dialog").locator("p").innerText(), "您的补充信息已提交人工审核，我们会在3个工作日内处理。");
  await a.page.getByRole("button", { name: "我知道了" }).tap();

  await operatorDecides(operator, "认证审核", plate, "通过");
  await a.mine();
  assert.match(await a.badge(plate), /已认证/);
  await a.snap("certified");

  // B asks for permission; A approves, then revokes.
  const b = await Person.signIn("b");
  await b.add(plate);
  assert.match(await b.badge(plate), /等待授权/);
  await b.card(plate).tap();
  assert.equal(await b.page.getByRole("dialog").locator("p").innerText(), "添加车辆的授权申请提交车主确认。请耐心等待车主确认结果。");
  await b.page.getByRole("button", { name: "我知道了" }).tap();
  await a.settings(plate);
  await a.page.getByRole("list", { name: "授权申请" }).getByRole("button", { name: "同意" }).tap();
  await a.page.getByRole("list", { name: "已授权" }).getByRole("listitem").waitFor();
  await a.snap("authorized");
  await b.mine();
  assert.match(await b.badge(plate), /已授权/);
  await a.page.getByRole("list", { name: "已授权" }).getByRole("button", { name: "取消授权" }).tap();
  await a.page.getByRole("list", { name: "已授权" }).getByRole("listitem").waitFor({ state: "detached" });
  await b.answer("车辆移除提醒", `${plate}已移除，原因：授权取消`, "确定");
  await b.page.getByText("还没有车辆，添加一辆吧").waitFor();

  // C claims the car with an appeal and wins; A is told, appeals back and loses.
  const c = await Person.signIn("c");
  await c.add(plate);
  await c.settings(plate);
  await c.page.getByRole("link", { name: "我是车主，我要申诉" }).tap();
  await c.claim("申诉理由", "车辆是我本人购买的", "提交申诉");
  assert.match(await c.badge(plate), /申诉中/);
  await operatorDecides(operator, "申诉审核", plate, "通过");
  await c.answer("申诉成功", `当前账号已成功添加并认证车辆${plate}`, "确定");
  assert.match(await c.badge(plate), /已认证/);

  await a.answer("温馨提示", `车辆${plate}的其他账号提交的认证申诉已通过，当前账号与车辆的认证关系已取消。`, "我要申诉");
  await a.page.getByRole("heading", { name: "我的车辆申诉" }).waitFor();
  await a.claim("申诉理由", "我才是车主", "提交申诉");
  assert.match(await a.badge(plate), /申诉中/);
  await operatorDecides(operator, "申诉审核", plate, "驳回", "证据不足");
  await a.answer("申诉失败", `车辆${plate}的申诉失败，当前账号无法添加该车辆。`, "确定", "原因：证据不足");
  await a.page.getByText("还没有车辆，添加一辆吧").waitFor();

  // The operator revokes C's certification.
  await operator.page.getByRole("tab", { name: "车辆查询" }).tap();
  await operator.page.getByLabel("车牌号").fill(plate);
  await operator.page.getByRole("button", { name: "查询" }).tap();
  await operator.page.getByLabel("取消认证原因").fill("证件存疑");
  await operator.page.getByRole("button", { name: "取消认证" }).tap();
  await operator.page.getByRole("list", { name: "历史记录" }).getByText("取消认证").waitFor();
  await operator.snap("history");
  await c.answer("温馨提示", `车辆${plate}的认证关系存在异常，当前账号与车辆的认证关系已取消`, "我知道了");
  for (const p of [a, b, c, operator]) p.noErrors();
});

test("certified by another, a request cancelled by its sender and another denied by the owner", async () => {
  const plate = uniquePlate();
  const early = await Person.signIn("early");
  await early.add(plate);
  const owner = await Person.signIn("owner");
  await owner.add(plate);
  await owner.certify(plate);
  await operatorDecides(operator, "认证审核", plate, "通过");
  await early.answer("温馨提示", `车辆${plate}已被其他账号认证，当前账号将移除该车辆。`, "我知道了");
  await early.page.getByText("还没有车辆，添加一辆吧").waitFor();

  const asker = await Person.signIn("asker");
  await asker.add(plate);
  await asker.card(plate).tap();
  await asker.page.getByRole("dialog").getByRole("button", { name: "取消添加" }).tap();
  await asker.page.getByText("还没有车辆，添加一辆吧").waitFor();
  await asker.snap("cancelled");
  await owner.settings(plate);
  assert.equal(await owner.page.getByRole("list", { name: "授权申请" }).getByRole("listitem").count(), 0);

  await asker.add(plate);
  await owner.settings(plate);
  await owner.page.getByRole("list", { name: "授权申请" }).getByRole("button", { name: "拒绝" }).tap();
  await owner.page.getByRole("list", { name: "授权申请" }).getByRole("listitem").waitFor({ state: "detached" });
  await asker.answer("车辆移除提醒", `${plate}已移除，原因：车主拒绝授权`, "确定");
  for (const p of [early, owner, asker]) p.noErrors();
});

test("in 保利 (mandatory) a car is added together with its certification", async () => {
  const driver = await Person.signIn("baoli", "13800000003");
  await driver.mine();
  await driver.page.getByRole("link", { name: "+添加车辆" }).tap();
  await driver.page.getByText("本项目添加车辆需同时认证").waitFor();
  const plate = uniquePlate();
  for (const c of plate) await driver.page.getByRole("button", { name: `输入${c}`, exact: true }).tap();
  const submit = driver.page.getByRole("button", { name: "确认添加" });
  assert.equal(await submit.isDisabled(), true, "the certification is required");
  await driver.page.getByLabel("车主姓名").fill("李四");
  await driver.page.locator("input[type=file]").setInputFiles({ name: "photo.jpg", mimeType: "image/jpeg", buffer: TINY_JPEG });
  await driver.page.getByText("照片1 已上传").waitFor();
  await driver.snap("add-with-certification");
  await submit.tap();
  await driver.page.waitForURL(`${BASE_URL}/`);
  assert.match(await driver.badge(plate), /认证中/);
  await driver.snap("certifying");
  driver.noErrors();
});

test("退出所有设备 in one browser signs the account out in the other too", async () => {
  const phone = uniquePhone();
  const first = await Person.signIn("everywhere-1", phone);
  const second = await Person.signIn("everywhere-2", phone);
  await first.mine();
  await first.page.getByRole("button", { name: "退出所有设备" }).tap();
  const dialog = first.page.getByRole("dialog");
  await dialog.waitFor();
  assert.equal(await dialog.locator("p").innerText(), "确定退出所有设备吗？退出后，所有手机和浏览器上的登录都将失效，需要重新登录。");
  await first.snap("logout-all");
  await dialog.getByRole("button", { name: "确定" }).tap();
  await first.page.getByText("登录后管理我的车辆").waitFor();
  await second.page.reload();
  await second.page.getByText("登录后管理我的车辆").waitFor();
  await second.snap("signed-out-elsewhere");
  for (const p of [first, second]) p.noErrors();
});
