// The capacity model of scripts/bench, from what a run of car-park traffic wrote on local workerd.
//   node scripts/capacity.mjs snapshot STATE OUT.json   rows per D1 table, D1 and object bytes
//   node scripts/capacity.mjs report BEFORE.json AFTER.json CARPARK_OUTPUT
// The report divides what the run added by the events it sent, then scales it to a city with the
// assumptions printed beside it, against one D1 database's limits (Cloudflare's D1 docs: 10 GB a
// database; one database runs its queries one at a time, about 1,000 a second at 1 ms each).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";

const [command, ...args] = process.argv.slice(2);

/** Every file under `dir` whose path matches `pattern`. */
function files(dir, pattern, found = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files(path, pattern, found);
    else if (pattern.test(path)) found.push(path);
  }
  return found;
}

/** Bytes in use in a SQLite file: its pages not on the free list, as a reader sees them (the
 * write-ahead log's pages included, its file's own size not: it is reused). */
function usedBytes(db) {
  const pragma = (name) => Object.values(db.prepare(`PRAGMA ${name}`).get())[0];
  return (pragma("page_count") - pragma("freelist_count")) * pragma("page_size");
}

function snapshot(state, out) {
  // The D1 database: the one SQLite file under v3/d1 with a `sessions` table.
  const tables = {};
  let d1Bytes = 0;
  for (const path of files(state, /v3\/d1\/.*\.sqlite$/)) {
    const db = new DatabaseSync(path, { readOnly: true });
    const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%'").all().map((r) => r.name);
    if (!names.includes("sessions")) { db.close(); continue; }
    for (const name of names) tables[name] = db.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).get().n;
    d1Bytes = usedBytes(db);
    db.close();
  }
  // The plates' objects (VehicleDo): one SQLite file each.
  const plates = files(state, /VehicleDo\/.*\.sqlite$/);
  let objectBytes = 0;
  for (const path of plates) {
    const db = new DatabaseSync(path, { readOnly: true });
    objectBytes += usedBytes(db);
    db.close();
  }
  writeFileSync(out, JSON.stringify({ tables, d1Bytes, plateObjects: plates.length, objectBytes }));
}

const kb = (n) => `${(n / 1024).toFixed(2)} KB`;
const thousands = (n) => Math.round(n).toLocaleString("en-US");

function report(beforeFile, afterFile, carparkFile) {
  const before = JSON.parse(readFileSync(beforeFile, "utf8"));
  const after = JSON.parse(readFileSync(afterFile, "utf8"));
  const output = readFileSync(carparkFile, "utf8");
  const events = Number(/events sent: (\d+)/.exec(output)?.[1] ?? 0);
  const payments = Number(/payments by drivers: (\d+)/.exec(output)?.[1] ?? 0);
  const drivers = Number(/(\d+) drivers signed in/.exec(output)?.[1] ?? 0);
  if (!events) throw new Error("no events in the car-park output");
  const rows = Object.entries(after.tables)
    .map(([t, n]) => [t, n - (before.tables[t] ?? 0)])
    .filter(([, n]) => n !== 0);
  const rowsAdded = rows.reduce((s, [, n]) => s + Math.max(n, 0), 0);
  const perEvent = {
    d1Rows: rowsAdded / events,
    d1Bytes: (after.d1Bytes - before.d1Bytes) / events,
    objectBytes: (after.objectBytes - before.objectBytes) / events,
  };
  console.log(`measured: ${events} car-park events and ${payments} payments by hand from ${drivers} drivers (setup included)`);
  console.log(`  D1 rows added: ${rows.map(([t, n]) => `${t} ${n}`).join(", ")}`);
  console.log(`  per event: ${perEvent.d1Rows.toFixed(2)} D1 rows, ${kb(perEvent.d1Bytes)} of D1, ${kb(perEvent.objectBytes)} in the plate's object`);
  console.log("  per event, by the code's path (edge/src/routes/gateway.rs, vehicle_do/car_park.rs): 1 request to the plate's object;");
  console.log("  D1: the facility (once a minute per isolate), 1 batch delivering the notices and payer rows;");
  console.log("  +1 wallet object request per 无感支付 deduction, +1 push object request per batch of WeChat notices");

  // A city, on paper: each assumption is printed beside the figure it gives.
  const eventsPerDriverDay = 4; // two stays a day, each an entry and an exit
  const appQueriesPerDriverDay = 4; // opening 我的 twice (1 batch each), 消息 and 停车记录 once
  const keepDays = 180; // notices, the bulk of D1's rows, are kept 180 days (shared/src/retention.rs)
  const eventsPerCarParkDay = 2000; // a 500-space car park turning over twice a day
  const busiestHourShare = 0.15; // the busiest hour carries 15% of a day
  const queriesPerSecond = 1000; // one D1 database runs one query at a time, ~1 ms each
  const d1QueriesPerEvent = 1; // the delivery batch (the facility read is kept a minute)
  const sizeLimit = 10 * 1024 ** 3;
  const bytesPerDriverDay = eventsPerDriverDay * perEvent.d1Bytes;
  const driversBySize = sizeLimit / (bytesPerDriverDay * keepDays);
  const peakQueries = queriesPerSecond * 3600;
  const carParksByQueries = peakQueries / (eventsPerCarParkDay * d1QueriesPerEvent * busiestHourShare);
  const driversByQueries = peakQueries / ((eventsPerDriverDay * d1QueriesPerEvent + appQueriesPerDriverDay) * busiestHourShare);
  console.log("capacity of one deployment (one D1 database), on paper:");
  console.log(`  assumptions: ${eventsPerDriverDay} events and ${appQueriesPerDriverDay} app reads per driver a day; ` +
    `${eventsPerCarParkDay} events per car park a day; ${busiestHourShare * 100}% of a day in its busiest hour; ` +
    `notices kept ${keepDays} days; D1 at ${queriesPerSecond} queries/s and 10 GB`);
  console.log(`  size: ${kb(bytesPerDriverDay)} of D1 per driver a day → 10 GB holds ${thousands(driversBySize)} drivers`);
  console.log(`  queries in the busiest hour: D1 keeps up with ${thousands(carParksByQueries)} car parks' events, ` +
    `or ${thousands(driversByQueries)} drivers' events and reads`);
  console.log("  the plates' objects hold the orders and events (10 GB each, one per plate): no ceiling here");
}

if (command === "snapshot") snapshot(args[0], args[1]);
else if (command === "report") report(args[0], args[1], args[2]);
else {
  console.error("usage: capacity.mjs snapshot STATE OUT.json | report BEFORE.json AFTER.json CARPARK_OUTPUT");
  process.exit(2);
}
