// Setting the scene through the HTTP API (other users, the operator), so a journey can check
// what one user sees in the browser.
import { execFileSync } from "node:child_process";
import { BASE_URL, STANDIN_URL, smsCodes, uniqueAddress } from "./browser.mjs";

let counter = Math.floor(Math.random() * 1e6);

/** A phone number no other test uses. */
export function uniquePhone() {
  counter += 1;
  return `16${String(Date.now() % 1e5).padStart(5, "0")}${String(counter % 1e4).padStart(4, "0")}`;
}

/** A standard plate no other test uses. */
export function uniquePlate() {
  counter += 1;
  const letters = "ABCDEFGHJKLMNPQRSTUVWXY";
  return `苏${letters[counter % letters.length]}${String((Date.now() + counter) % 1e5).padStart(5, "0")}`;
}

async function call(session, method, path, body, contentType = "application/json") {
  const headers = { "X-Requested-With": "vehicles", "CF-Connecting-IP": session?.address ?? uniqueAddress() };
  if (session?.cookie) headers.cookie = session.cookie;
  if (body !== undefined) headers["content-type"] = contentType;
  const payload = body === undefined ? undefined : contentType === "application/json" ? JSON.stringify(body) : body;
  const res = await fetch(`${BASE_URL}${path}`, { method, headers, body: payload });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Signs `phone` in through the API; returns a session usable with the helpers below. */
export async function login(phone) {
  const address = uniqueAddress();
  const { dev_code } = await call({ address }, "POST", "/api/auth/code", { phone });
  const code = dev_code ?? (STANDIN_URL ? (await smsCodes(phone)).at(-1) : undefined);
  const res = await fetch(`${BASE_URL}/api/auth/login`, {
    method: "POST",
    headers: { "X-Requested-With": "vehicles", "CF-Connecting-IP": address, "content-type": "application/json" },
    body: JSON.stringify({ phone, code }),
  });
  if (!res.ok) throw new Error(`login ${phone}: ${res.status}`);
  const { user } = await res.json();
  return { phone, address, userId: user.id, cookie: res.headers.get("set-cookie").split(";")[0] };
}

/** The smallest bytes that are a JPEG by their magic number. */
export const TINY_JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70, 0, ...new Array(32).fill(0), 0xff, 0xd9]);

export const addVehicle = (s, plate) => call(s, "POST", "/api/vehicles", { plate });
export async function certify(s, plate) {
  const { id } = await call(s, "POST", "/api/uploads", TINY_JPEG, "image/jpeg");
  await call(s, "POST", `/api/vehicles/${encodeURIComponent(plate)}/certification`, { owner_name: "测试", evidence: [id] });
}
/** The operator approves every pending review of `plate`. */
export async function approveAll(operator, plate) {
  const queue = await call(operator, "GET", "/api/ops/reviews");
  for (const review of queue.filter((r) => r.plate === plate)) {
    await call(operator, "POST", `/api/ops/reviews/${encodeURIComponent(review.id)}/approve`);
  }
}

/** Any API call as `session` (or anonymous with `null`); throws on a non-2xx answer. */
export const apiCall = call;
/** The owner lets `userId` use the car. */
export const approveRequest = (owner, plate, userId) =>
  call(owner, "POST", `/api/vehicles/${encodeURIComponent(plate)}/authorizations/${encodeURIComponent(userId)}/approve`);

/** The car-park simulator (integration/src/bin/carpark/), signing like a real car park; its
 *  answer parsed, e.g. `carpark("exit", "--plate", plate, "--fee", "800").order_id`. */
export function carpark(...args) {
  const out = execFileSync("cargo", ["run", "-q", "-p", "integration", "--bin", "carpark", "--", ...args], {
    env: { ...process.env, BASE_URL },
    encoding: "utf8",
  });
  return JSON.parse(out);
}
