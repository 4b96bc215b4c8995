// Prints raw, gzip and brotli sizes of the files a phone downloads on first load, and the
// worker's wasm. Usage: node scripts/sizes.mjs [--label=NAME] FILE…  (scripts/bench passes the
// right ones); the files under dist/ are summed as NAME (default: the drivers' first load).
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";

const kb = (n) => `${(n / 1024).toFixed(1)} KB`.padStart(10);
const args = process.argv.slice(2);
const label = args[0]?.startsWith("--label=") ? args.shift().slice(8) : "SPA first load (html+js+wasm+css)";
const rows = args.map((file) => {
  const data = readFileSync(file);
  const gzip = gzipSync(data, { level: 9 }).length;
  const brotli = brotliCompressSync(data, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
  }).length;
  return { file, raw: data.length, gzip, brotli };
});
console.log(`${"file".padEnd(34)}${"raw".padStart(10)}${"gzip".padStart(10)}${"brotli".padStart(10)}`);
for (const r of rows) console.log(`${basename(r.file).padEnd(34)}${kb(r.raw)}${kb(r.gzip)}${kb(r.brotli)}`);
const spa = rows.filter((r) => r.file.includes("dist/"));
if (spa.length) {
  const sum = (k) => spa.reduce((s, r) => s + r[k], 0);
  console.log(`${label.padEnd(34)}${kb(sum("raw"))}${kb(sum("gzip"))}${kb(sum("brotli"))}`);
}
