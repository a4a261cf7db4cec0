// The board's end-to-end test: a scripted composer session in a real browser (Debian's
// chromium driven by playwright-core) against `duet serve` on a small project with a film.
//
//   node e2e/board.e2e.mjs --duet PATH/TO/duet [--out DIR] [--models DIR]
//
// It opens the board and plays the picture, steps a frame and jumps; moves a hit and redraws a
// curve (and is refused a curve point past the cue, losing nothing); applies a sync option;
// composes (and cancels a run), auditions two candidates and keeps one; locks bars and
// recomposes; runs a critique of the composer's own MIDI; reloads and finds everything as left.
// Each step is checked through the API and the project file, not only on screen. Screenshots of
// every panel go to DIR (default e2e-out/). Exits 77 (skipped) when chromium or the built board
// is missing, 1 on a failure, naming the step.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startServe } from "./serve.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const web = path.resolve(here, "..");
const source = path.resolve(web, "..");
const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith("--") ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []),
);
const out = path.resolve(args.out ?? path.join(web, "e2e-out"));
const duet = args.duet;
const models = args.models ?? path.join(source, "models");
const chromiumPath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => fs.existsSync(p));

function skip(why) {
  console.log(`board e2e: skipped: ${why}`);
  process.exit(77);
}
if (!duet) {
  console.error("usage: node e2e/board.e2e.mjs --duet PATH/TO/duet [--out DIR]");
  process.exit(2);
}
if (!chromiumPath) skip("Debian's chromium is not installed (scripts/install-deps test installs it)");
if (!fs.existsSync(path.join(web, "dist/index.html"))) skip("the board is not built (cd web && npm ci && npm run build)");
let chromium;
try {
  ({ chromium } = await import("playwright-core"));
} catch {
  skip("playwright-core is not installed (cd web && npm ci)");
}

let step = "setting up";
const t0 = Date.now();
function log(what) {
  step = what;
  console.log(`[${((Date.now() - t0) / 1000).toFixed(1)} s] ${what}`);
}
function check(ok, what) {
  if (!ok) throw new Error(what);
}

// ---- a project with a film: project_compose's cues over a 40 s test film and a 3-shot cut ----
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "duet-board-e2e-"));
const project = path.join(dir, "project");
fs.mkdirSync(path.join(project, "mine"), { recursive: true });
const manifest = JSON.parse(fs.readFileSync(path.join(source, "tests/cli/data/project_compose/duet.json"), "utf8"));
manifest.picture.film = "film.mp4";
manifest.picture.edl = "cut.edl";
fs.writeFileSync(path.join(project, "duet.json"), JSON.stringify(manifest, null, 2) + "\n");
fs.copyFileSync(path.join(source, "tests/cli/data/emotion_happy.mid"), path.join(project, "mine/1M1.mid"));
fs.writeFileSync(
  path.join(project, "cut.edl"),
  [
    "TITLE: BOARD E2E",
    "FCM: NON-DROP FRAME",
    "",
    "001  A001     V     C        01:00:00:00 01:00:12:00 01:00:00:00 01:00:12:00",
    "* FROM CLIP NAME: HARBOUR",
    "002  A002     V     C        02:00:00:00 02:00:16:00 01:00:12:00 01:00:28:00",
    "* FROM CLIP NAME: DOOR",
    "003  A003     V     C        03:00:00:00 03:00:12:00 01:00:28:00 01:00:40:00",
    "* FROM CLIP NAME: NIGHT",
    "",
  ].join("\n"),
);
execFileSync("ffmpeg", [
  "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=24:duration=40",
  "-f", "lavfi", "-i", "sine=frequency=220:sample_rate=48000:duration=40",
  "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "24",
  "-c:a", "aac", "-timecode", "01:00:00:00", "-shortest", path.join(project, "film.mp4"),
]);
const manifestPath = path.join(project, "duet.json");
const readManifest = () => JSON.parse(fs.readFileSync(manifestPath, "utf8"));
const cueOf = (id) => readManifest().cues.find((c) => c.id === id);

// ---- duet serve ----
const { url, server } = await startServe(duet, project, path.join(web, "dist"), ["--models", models]);
const base = new URL(url);
const token = base.searchParams.get("token");
async function api(pathname, init = {}) {
  const res = await fetch(new URL(pathname, base), { ...init, headers: { Authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
  return { status: res.status, body: await res.json().catch(() => null) };
}

const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ["--no-sandbox", "--autoplay-policy=no-user-gesture-required", "--mute-audio"],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
const pageErrors = [];
page.on("pageerror", (e) => pageErrors.push(e.message));

const shot = (name) => page.screenshot({ path: path.join(out, `${name}.png`) });
const status = () => page.textContent("#status");
const statusIsError = () => page.$eval("#status", (s) => s.className === "error");
const board = (fn, arg) => page.evaluate(fn, arg);
// Page x of a film time on the timeline, and page y of a lane's middle.
async function timelineAt(t, laneY) {
  const box = await page.locator("canvas.timeline").boundingBox();
  const x = await board((t) => window.duetBoard.timeline.x(t), t);
  return [box.x + x, box.y + laneY];
}
const secondsOf = (label) => {
  const [h, m, s, f] = label.split(/[:;]/).map(Number);
  return ((h * 60 + m) * 60 + s) + f / 24;
};
// Clicks what starts a job and waits for that job's end (the label is cleared first, so that
// the end of an earlier job is not taken for this one's).
async function runJob(kind, selector) {
  await page.evaluate(() => (document.querySelector("#job-label").textContent = ""));
  await page.click(selector);
  return waitJob(kind);
}
async function waitJob(kind) {
  await page.waitForFunction((kind) => {
    const l = document.querySelector("#job-label")?.textContent ?? "";
    return l.startsWith(`${kind}:`) && /: (done|failed|cancelled)$/.test(l);
  }, kind, { timeout: 600000 });
  return page.textContent("#job-label");
}

try {
  // ---- open the board and play the picture ----
  log("open the board");
  const opened = Date.now();
  await page.goto(url);
  await page.waitForSelector("body[data-ready='1']", { timeout: 30000 });
  console.log(`    ready in ${Date.now() - opened} ms`);
  check(!page.url().includes("token="), "the token is taken out of the address bar");
  check((await page.textContent("#title")) === "Compose fixtures", "the project's title is shown");
  check((await page.textContent("#tc")) === "01:00:02:00", `the picture opens at the first cue's start (shows ${await page.textContent("#tc")})`);
  await shot("01-board-cue");

  log("play the picture");
  await page.click("#play");
  await page.waitForFunction(() => window.duetBoard.filmTime() > 3600 + 3, null, { timeout: 20000 });
  await page.click("#play");
  await page.waitForFunction(() => document.querySelector("#video").paused);
  const playedTo = await page.textContent("#tc");
  check(secondsOf(playedTo) > 3603, `the burned-in timecode follows the picture (${playedTo})`);

  log("step a frame and jump");
  await page.fill("#jump", "01:00:06:00");
  await page.press("#jump", "Enter");
  await page.waitForFunction(() => document.querySelector("#tc").textContent === "01:00:06:00");
  await page.click("#fwd");
  await page.waitForFunction(() => document.querySelector("#tc").textContent === "01:00:06:01");
  await page.click("#back");
  await page.click("#back");
  await page.waitForFunction(() => document.querySelector("#tc").textContent === "01:00:05:23");
  await page.fill("#jump", "slam");
  await page.press("#jump", "Enter");
  await page.waitForFunction(() => document.querySelector("#tc").textContent === "01:00:14:00");
  await page.fill("#jump", "01:00:61:00");
  await page.press("#jump", "Enter");
  check(await statusIsError(), "an impossible timecode is an error");
  check((await status()).includes("is not a timecode"), `an impossible timecode says so: ${await status()}`);
  check((await page.textContent("#tc")) === "01:00:14:00", "an impossible timecode moves nothing");
  await page.fill("#jump", "02:00:00:00");
  await page.press("#jump", "Enter");
  check((await status()).includes("outside the film"), `a timecode past the film says so: ${await status()}`);

  // ---- move a hit and redraw a curve ----
  log("move a hit");
  const versionsBefore = (await api("/api/cues/1M1/versions")).body.length;
  const glance = () => cueOf("1M1").hits.find((h) => h.label === "glance");
  check(glance().time === "01:00:10:00", "the fixture's hit 'glance' is at 01:00:10:00");
  const [gx, gy] = await timelineAt(3610, 108);
  const [tx] = await timelineAt(3611.5, 108);
  await page.mouse.move(gx, gy);
  await page.mouse.down();
  await page.mouse.move((gx + tx) / 2, gy, { steps: 4 });
  await page.mouse.move(tx, gy, { steps: 4 });
  await page.mouse.up();
  await page.waitForFunction(() => document.querySelector("#status").textContent.startsWith("saved: hit 'glance' moved"));
  const moved = glance().time;
  check(moved !== "01:00:10:00" && /^01:00:1[01]:\d\d$/.test(moved), `the hit moved to a frame near 01:00:11:12 (${moved})`);
  check(Math.abs(secondsOf(moved) - 3611.5) < 0.3, `the hit landed where it was dropped (${moved})`);
  check(cueOf("1M1").hits.find((h) => h.label === "glance").kind === "soft", "moving a hit keeps its kind");

  log("make a hit hard with a click");
  const [mx, my] = await timelineAt(secondsOf(moved), 108);
  await page.mouse.click(mx, my);
  await page.waitForFunction(() => document.querySelector("#status").textContent.includes("made hard"));
  check(glance().kind === "hard", "a click on a hit makes a soft hit hard");

  log("redraw the tension curve");
  const [ax, ay] = await timelineAt(3604, 160);
  const [bx] = await timelineAt(3608, 160);
  await page.mouse.move(ax, ay);
  await page.mouse.down();
  await page.mouse.move(bx, ay, { steps: 10 });
  await page.mouse.up();
  await page.waitForFunction(() => document.querySelector("#status").textContent.startsWith("saved: tension redrawn"));
  const redrawn = cueOf("1M1").emotion.filter((k) => secondsOf(k.time) >= 3604 - 0.05 && secondsOf(k.time) <= 3608 + 0.05);
  check(redrawn.length >= 4 && redrawn.every((k) => k.tension > 0.85), `the curve is redrawn high between 01:00:04 and 01:00:08 (${JSON.stringify(redrawn)})`);
  const versionsAfterCurve = (await api("/api/cues/1M1/versions")).body.length;
  check(versionsAfterCurve === versionsBefore + 3, `every edit is a new version (${versionsBefore} then ${versionsAfterCurve})`);

  log("a curve point past the cue is refused and loses nothing");
  const bytesBefore = fs.readFileSync(manifestPath, "utf8");
  const [cx, cy] = await timelineAt(3616, 170);
  const [dx] = await timelineAt(3620, 170);
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  await page.mouse.move(dx, cy, { steps: 8 });
  await page.mouse.up();
  await page.waitForFunction(() => document.querySelector("#status").className === "error");
  check(/emotion\/\d+\/time: .* is outside cue 1M1/.test(await status()), `the refusal names the point and the cue: ${await status()}`);
  check(fs.readFileSync(manifestPath, "utf8") === bytesBefore, "a refused edit leaves duet.json as it was");
  await shot("02-timeline-edits");

  log("undo the last edit");
  await page.click("#undo");
  await page.waitForFunction(() => document.querySelector("#status").textContent.startsWith("undone: tension redrawn"));
  check(cueOf("1M1").emotion.filter((k) => k.tension > 0.85).length < redrawn.length, "undo brings the curve back");
  await page.click("#undo"); // the edit before: the hit made hard
  await page.waitForFunction(() => document.querySelector("#status").textContent.startsWith("undone: hit 'glance' made hard"));
  check(glance().kind === "soft", "a second undo makes the hit soft again");

  // ---- apply a sync option ----
  log("apply a sync option");
  await page.click("#tabs button[data-tab=sync]");
  await page.waitForSelector("ol.options li[data-option='2']", { timeout: 120000 });
  await page.hover("ol.options li[data-option='2']");
  check(await board(() => (window.duetBoard.timeline.data.previewBars ?? []).length > 2), "an option's bar lines are drawn under the pointer");
  await shot("03-sync");
  const mapBefore = JSON.stringify(cueOf("1M1").tempo_map);
  await page.click("ol.options li[data-option='2'] button");
  await page.waitForFunction(() => document.querySelector("#status").textContent.startsWith("tempo map of 1M1"));
  check(JSON.stringify(cueOf("1M1").tempo_map) !== mapBefore, "the option's tempo map is saved in the cue");
  const appliedMap = JSON.stringify(cueOf("1M1").tempo_map);

  // ---- compose, cancel, audition two candidates and keep one ----
  log("compose and cancel");
  await page.click("#tabs button[data-tab=compose]");
  await page.waitForSelector("#compose");
  // 64 candidates (the most), so that the run is still going when cancel is pressed.
  await page.fill("#candidates", "64");
  await page.evaluate(() => (document.querySelector("#job-label").textContent = ""));
  await page.click("#compose");
  await page.waitForFunction(() => !document.querySelector("#job-cancel").disabled);
  await page.click("#job-cancel");
  check((await waitJob("compose")).endsWith("cancelled"), "a cancelled compose says so");
  check(!fs.existsSync(path.join(project, "compose/1M1-report.json")), "a cancelled compose writes nothing");

  log("compose two candidates");
  await page.fill("#candidates", "2");
  check((await runJob("compose", "#compose")).endsWith("done"), "compose finishes");
  await page.waitForSelector("ol.candidates li[data-rank='2']");
  const approach = await page.textContent("ol.candidates li[data-rank='1'] b");
  check(/^1\. \w/.test(approach), `each candidate shows its approach (${approach})`);
  check((await page.locator("ol.candidates li[data-rank='1'] .critic").count()) >= 4, "each candidate shows its critics' scores");
  await page.waitForSelector("#roll:not([hidden])");

  log("audition two candidates");
  for (const rank of [1, 2]) {
    await page.fill("#jump", "01:00:08:00");
    await page.press("#jump", "Enter");
    await page.click(`ol.candidates li[data-rank='${rank}'] button.audition`);
    await page.waitForFunction((rank) => document.querySelector("#audition-state").dataset.playing === `compose/1M1/${rank}`, rank, { timeout: 300000 });
    const source = () => page.evaluate(() => document.querySelector("#audition-state").dataset.source);
    check((await source()) === "head", `candidate ${rank} starts from its first seconds, rendered from the playhead (${await source()})`);
    check(fs.existsSync(path.join(project, `board/audition/compose-1M1-${rank}-head.wav`)), "the head is rendered into the project");
    let a = await board(() => window.duetBoard.audio());
    check(Math.abs(a.from - 3606) < 0.05, `the head begins at the playhead less the pre-roll (${a.from})`);
    // The whole take renders behind it, and the audio changes over to it in sync.
    await page.waitForFunction(() => document.querySelector("#audition-state").dataset.source === "whole", null, { timeout: 300000 });
    await page.waitForTimeout(500);
    a = await board(() => window.duetBoard.audio());
    const film = await board(() => window.duetBoard.filmTime());
    check(a && !a.paused, `candidate ${rank} is playing`);
    check(Math.abs(a.from + a.time - film) < 0.25, `candidate ${rank} plays in sync with the picture after the changeover (audio at ${a.from + a.time}, picture at ${film})`);
    check(film >= 3606 - 0.1, `the audition started from the playhead less the pre-roll (${film})`);
    check(fs.existsSync(path.join(project, `board/audition/compose-1M1-${rank}.wav`)), "the whole take is rendered into the project");
    await page.click("#play");
  }
  await shot("04-compose");

  log("keep candidate 2");
  await page.click("ol.candidates li[data-rank='2'] button.keep");
  await page.waitForFunction(() => document.querySelector("#status").textContent.startsWith("saved: kept candidate 2"));
  check(cueOf("1M1").music === "compose/1M1-2.mid", `the kept take is saved in the cue (${cueOf("1M1").music})`);
  await page.waitForSelector("ol.candidates li.kept[data-rank='2']");

  log("lock bars 1-2 and recompose");
  await page.fill("#lock-first", "1");
  await page.fill("#lock-last", "2");
  check((await runJob("compose", "#recompose")).endsWith("done"), "the recompose finishes");
  await page.waitForSelector("ol.candidates li[data-rank='1']");
  const music = async (file) => (await api(`/api/cues/1M1/music?file=${encodeURIComponent(file)}`)).body;
  const kept = await music("compose/1M1-2.mid");
  const fresh = await music("compose/1M1-round2/1M1-1.mid");
  check(fresh && fresh.parts, "the recomposed candidates are in a folder of their own");
  const bar3 = kept.bars.find((b) => b.bar === 3).t;
  const early = (m) => m.parts.flatMap((p) => p.notes.filter((n) => n[0] < bar3 - 1e-6).map((n) => `${n[0].toFixed(4)} ${n[2]}`)).sort();
  check(early(kept).length > 0 && JSON.stringify(early(kept)) === JSON.stringify(early(fresh)), "bars 1-2 of the kept take are kept note for note");
  check(JSON.stringify(kept.parts) !== JSON.stringify(fresh.parts), "the bars after the lock are written anew");
  check(cueOf("1M1").music === "compose/1M1-2.mid", "the kept take is not written over");

  log("a failed job shows one sentence and loses nothing");
  fs.rmSync(path.join(project, "compose/1M1-round2/1M1-2.mid"));
  const beforeFail = fs.readFileSync(manifestPath, "utf8");
  check((await runJob("score-film", "ol.candidates li[data-rank='2'] button.audition")).endsWith("failed"), "the job fails");
  check(await statusIsError(), "the failure is shown as an error");
  check((await status()).includes("1M1") && (await status()).includes("candidate 2"), `the failure names the cue and the take: ${await status()}`);
  check(fs.readFileSync(manifestPath, "utf8") === beforeFail, "a failed job leaves the project as it was");

  // ---- critique the composer's own MIDI ----
  log("critique the composer's own MIDI");
  await page.click("#tabs button[data-tab=critique]");
  await page.fill("#critique-file", "mine/1M1.mid");
  await page.click("#critique");
  await page.waitForFunction(() => (document.querySelector("#critique-out")?.textContent ?? "").includes("total"), null, { timeout: 120000 });
  const findings = await board(() => window.duetBoard.timeline.data.findings.length);
  check(findings > 0, "the critics' findings are placed on the timeline");
  await shot("05-critique");

  log("themes and deliver");
  await page.click("#tabs button[data-tab=themes]");
  await page.waitForSelector("canvas.melody");
  check((await page.textContent("#panel")).includes("keeper"), "the themes panel shows the registry");
  await shot("06-themes");
  await page.click("#tabs button[data-tab=deliver]");
  check((await runJob("deliver", "#deliver")).endsWith("done"), "deliver finishes");
  await page.waitForSelector("#deliver-links a");
  const sheet = await api(`/files/deliver/cue-sheet.csv`).catch(() => null);
  check(fs.existsSync(path.join(project, "deliver/cue-sheet.csv")), "the cue sheet is written");
  void sheet;
  await shot("07-deliver");

  // ---- reload, and find everything as left ----
  log("reload");
  await page.click("#tabs button[data-tab=compose]");
  await page.reload();
  await page.waitForSelector("body[data-ready='1']", { timeout: 30000 });
  const hits = await board(() => window.duetBoard.timeline.data.cues.find((c) => c.id === "1M1").hits.map((h) => `${h.label} ${h.time} ${h.kind}`));
  check(hits.includes(`glance ${moved} soft`), `the moved hit is where it was left (${hits})`);
  check(JSON.stringify(cueOf("1M1").tempo_map) === appliedMap, "the tempo map applied is kept");
  await page.waitForSelector("ol.candidates li[data-rank='1']");
  check((await page.textContent("#panel")).includes("compose/1M1-round2"), "the compose panel shows the last round's candidates");
  check((await page.textContent("#panel")).includes("kept: compose/1M1-2.mid"), "the kept take is shown");
  await page.click("#tabs button[data-tab=critique]");
  await page.waitForFunction(() => window.duetBoard.timeline.data.findings.length > 0, null, { timeout: 120000 });
  check(pageErrors.length === 0, `no script errors in the page (${pageErrors.join("; ")})`);
  await shot("08-after-reload");
  console.log(`board e2e: passed in ${((Date.now() - t0) / 1000).toFixed(1)} s; screenshots in ${out}`);
} catch (e) {
  console.error(`board e2e: FAILED at "${step}": ${e.message}`);
  console.error(`  the page showed ${await page.textContent("#tc").catch(() => "?")}; its status: ${await status().catch(() => "?")}`);
  await shot("failure").catch(() => {});
  process.exitCode = 1;
} finally {
  await browser.close();
  server.kill("SIGTERM");
  if (!process.exitCode) fs.rmSync(dir, { recursive: true, force: true });
  else console.error(`the project is left in ${dir}`);
}
