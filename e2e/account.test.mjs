// 账号与安全 → 注销账号 on a phone: the masked phone, a confirmation that says what goes, a refusal
// while the wallet holds money, and after closing the same phone is somebody new.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE_URL, launch, openPage, signInPage, snap } from "./browser.mjs";
import { addVehicle, apiCall, login, uniquePhone, uniquePlate } from "./api.mjs";

let context;
before(async () => { context = await launch(); });
after(async () => { await context?.close(); });

/** Signs `phone` in through the page and opens 账号与安全 from 我的. */
async function openAccount(page, phone) {
  await signInPage(page, phone);
  await page.getByRole("link", { name: "账号与安全" }).tap();
  await page.waitForURL(`${BASE_URL}/account`);
  await page.getByRole("heading", { name: "账号与安全" }).waitFor();
  await page.getByText(`${phone.slice(0, 3)}****${phone.slice(7)}`).waitFor();
}

test("注销账号 asks first, says what goes, and is refused while the wallet holds money", async () => {
  const { page, errors } = await openPage(context);
  const phone = uniquePhone();
  const me = await login(phone);
  await apiCall(me, "POST", "/api/wallet/top-up", { amount_fen: 1000 });
  await openAccount(page, phone);
  await snap(page, "account-page");

  await page.getByRole("button", { name: "注销账号" }).tap();
  const dialog = page.getByRole("dialog");
  const text = await dialog.innerText();
  for (const words of ["车辆", "认证、授权关系", "消息", "照片", "订单", "匿名", "钱包余额须为零"]) {
    assert.ok(text.includes(words), `${words} in: ${text}`);
  }
  assert.ok(!/[,?:!]/.test(text), `full-width punctuation: ${text}`);
  await snap(page, "account-confirm");
  await dialog.getByRole("button", { name: "取消" }).tap();
  assert.equal(await page.getByRole("dialog").count(), 0);

  await page.getByRole("button", { name: "注销账号" }).tap();
  await page.getByRole("dialog").getByRole("button", { name: "确定注销" }).tap();
  await page.getByRole("alert").filter({ hasText: "钱包中还有余额10.00元" }).waitFor();
  await snap(page, "account-refused");
  // Still signed in, nothing closed.
  assert.equal((await apiCall(me, "GET", "/api/me")).id, me.userId);
  // The browser logs the refused request itself; nothing else went wrong.
  assert.deepEqual(errors.filter((e) => !/status of 409/.test(e)), []);
});

test("注销账号 signs out, and the same phone then signs up as a new account with no cars", async () => {
  const { page, errors } = await openPage(context);
  const phone = uniquePhone();
  const me = await login(phone);
  await addVehicle(me, uniquePlate());
  await openAccount(page, phone);
  await page.getByRole("button", { name: "注销账号" }).tap();
  await page.getByRole("dialog").getByRole("button", { name: "确定注销" }).tap();
  await page.waitForURL(`${BASE_URL}/`);
  await page.getByText("登录后管理我的车辆").waitFor();
  await snap(page, "account-closed");
  await assert.rejects(apiCall(me, "GET", "/api/me"), /401/);

  const again = await login(phone);
  assert.notEqual(again.userId, me.userId);
  const list = await apiCall(again, "GET", "/api/vehicles");
  assert.deepEqual(list.vehicles, []);
  assert.deepEqual(errors, []);
});
