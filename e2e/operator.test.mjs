// 工作台 through the UI: the operator's queues with the evidence photos, reject with a reason,
// approve, a plate's history and 取消认证; a driver is told 工作台 is not for them.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE_URL, launch, openPage, signInPage, snap } from "./browser.mjs";
import { addVehicle, certify, login, uniquePhone, uniquePlate } from "./api.mjs";

let context;
before(async () => { context = await launch(); });
after(async () => { await context?.close(); });

test("the operator rejects one certification, approves another, reads the history and revokes", async () => {
  const [rejected, approved] = [uniquePlate(), uniquePlate()];
  const driver = await login(uniquePhone());
  for (const plate of [rejected, approved]) {
    await addVehicle(driver, plate);
    await certify(driver, plate);
  }
  const { page, errors } = await openPage(context);
  await signInPage(page, "13900000009");
  await page.getByRole("link", { name: "工作台" }).tap();
  const card = page.getByRole("listitem", { name: `审核${rejected}` });
  await card.waitFor();
  // The photo is served to the operator's session (the test's JPEG is only a header, so check the
  // response rather than the decoded picture).
  const src = await card.getByRole("img", { name: "证明材料" }).getAttribute("src");
  const photo = await page.request.get(`${BASE_URL}${src}`);
  assert.equal(photo.status(), 200);
  assert.equal(photo.headers()["content-type"], "image/jpeg");
  await snap(page, "operator-queue");
  await card.getByLabel("驳回原因").fill("照片不清晰");
  await card.getByRole("button", { name: "驳回" }).tap();
  await card.waitFor({ state: "detached" });
  const other = page.getByRole("listitem", { name: `审核${approved}` });
  await other.getByRole("button", { name: "通过" }).tap();
  await other.waitFor({ state: "detached" });

  await page.getByRole("tab", { name: "车辆查询" }).tap();
  await page.getByLabel("车牌号").fill(approved);
  await page.getByRole("button", { name: "查询" }).tap();
  const history = page.getByRole("list", { name: "历史记录" });
  await history.getByText("认证通过").waitFor();
  assert.deepEqual(
    (await history.getByRole("listitem").allInnerTexts()).map((t) => t.split(" ")[2]),
    ["添加车辆", "提交认证", "认证通过"],
  );
  await page.getByLabel("取消认证原因").fill("证件存疑");
  await page.getByRole("button", { name: "取消认证" }).tap();
  await history.getByText("取消认证").waitFor();
  await snap(page, "operator-history");

  const list = await (await fetch(`${BASE_URL}/api/vehicles`, { headers: { cookie: driver.cookie } })).json();
  assert.equal(list.vehicles.find((v) => v.plate === rejected).rejection_reason, "照片不清晰");
  assert.equal(list.notices.find((n) => n.plate === approved).kind, "revoked_by_operator");
  assert.deepEqual(errors, []);
});

test("a driver cannot use 工作台", async () => {
  const { page, errors } = await openPage(context);
  await signInPage(page, uniquePhone());
  await page.goto(`${BASE_URL}/workbench`);
  await page.getByText("仅平台运营人员可以使用工作台").waitFor();
  assert.equal(await page.getByRole("tab").count(), 0);
  assert.deepEqual(errors, []);
});
