// The board's timecode arithmetic (src/tc.ts) against the engine's (duet tc): frames round-trip
// through labels at drop-frame and non-drop rates, and labels agree with duet's at the frames
// where drop-frame is easiest to get wrong.
//
//   node test/tc.test.mjs --duet PATH/TO/duet
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

let build;
try {
  ({ build } = await import("esbuild"));
} catch {
  console.log("tc: skipped: the board's packages are not installed (cd web && npm ci)");
  process.exit(77);
}

const here = path.dirname(fileURLToPath(import.meta.url));
const duet = process.argv[process.argv.indexOf("--duet") + 1];
if (!duet || process.argv.indexOf("--duet") < 0) {
  console.error("usage: node test/tc.test.mjs --duet PATH/TO/duet");
  process.exit(2);
}
const bundled = await build({ entryPoints: [path.join(here, "../src/tc.ts")], bundle: true, format: "esm", write: false, logLevel: "error" });
const tc = await import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString("base64")}`);

const rates = {
  "24": { name: "24", num: 24, den: 1, nominal: 24, drop: 0 },
  "29.97df": { name: "29.97 DF", num: 30000, den: 1001, nominal: 30, drop: 2 },
  "59.94df": { name: "59.94 DF", num: 60000, den: 1001, nominal: 60, drop: 4 },
  "23.976": { name: "23.976", num: 24000, den: 1001, nominal: 24, drop: 0 },
};
let failures = 0;
const fail = (what) => {
  if (++failures <= 10) console.error(`tc: ${what}`);
};
for (const [flag, rate] of Object.entries(rates)) {
  const day = tc.framesPerDay(rate);
  // Every frame of the first 21 minutes (drop-frame's pattern repeats every ten), then frames
  // spread over the rest of the day.
  let previous = "";
  const first = Math.round((21 * 60 * rate.num) / rate.den);
  for (let f = 0; f < day; f += f < first ? 1 : 997) {
    const label = tc.formatLabel(f, rate);
    if (tc.parseLabel(label, rate) !== f) fail(`${flag}: frame ${f} -> ${label} -> ${tc.parseLabel(label, rate)}`);
    if (label <= previous) fail(`${flag}: labels do not increase at frame ${f} (${previous}, ${label})`);
    previous = label;
  }
  // Against the engine (one call a frame: duet tc takes one value), where drop-frame is easiest
  // to get wrong: each side of a minute that skips labels and of a ten-minute mark that does not,
  // and the day's last frame.
  const at = (label) => tc.parseLabel(label, rate);
  const sep = rate.drop ? ";" : ":";
  const frames = [day - 1, at(`00:01:00${sep}${String(rate.drop).padStart(2, "0")}`), at(`00:10:00${sep}00`)];
  if (rate.drop) frames.push(frames[1] - 1, frames[2] - 1, at(`01:09:00;${String(rate.drop).padStart(2, "0")}`));
  for (const f of frames) {
    const label = execFileSync(duet, ["tc", "--rate", flag, "--to", "timecode", String(f)], { encoding: "utf8" }).trim();
    if (tc.formatLabel(f, rate) !== label) fail(`${flag}: frame ${f} is ${label} to duet, ${tc.formatLabel(f, rate)} to the board`);
  }
  // A label drop-frame skips is refused with a sentence.
  if (rate.drop && typeof tc.parseLabel("00:01:00;00", rate) !== "string") fail(`${flag}: 00:01:00;00 should not exist`);
}
if (typeof tc.parseLabel("01:00:61:00", rates["24"]) !== "string") fail("01:00:61:00 is not a timecode");
if (failures) {
  console.error(`tc: ${failures} failures`);
  process.exit(1);
}
console.log("tc: frames round-trip at 24, 23.976, 29.97 DF and 59.94 DF; labels agree with duet tc");
