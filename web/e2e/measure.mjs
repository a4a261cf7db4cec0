// The board's figures, measured in the browser (docs/benchmarks.md, "The board"):
//
//   node e2e/measure.mjs --duet PATH/TO/duet --project DIR [--cue ID [--at TIMECODE]] [--loads N]
//
// - load: from the navigation's start to the board being usable (the project, the cut, the
//   streamers and the film's first frame read), the median of N fresh loads (default 5);
// - scroll and zoom: 4 s of the timeline scrolled and zoomed on every animation frame, with the
//   frames the browser drew per second and the milliseconds each timeline draw took;
// - audition (with --cue and a folder of compose's candidates inside the project): the time from
//   the click to the candidate sounding with the picture, the first time (its first seconds
//   rendered from the playhead, and the whole take behind them) and again (the whole take kept).
import path from "node:path";
import { chromium } from "playwright-core";
import { startServe } from "./serve.mjs";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith("--") ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []),
);
const web = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const { url, server } = await startServe(args.duet, args.project, path.join(web, "dist"));
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--autoplay-policy=no-user-gesture-required", "--mute-audio"] });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
try {
  const loads = [];
  let page;
  for (let i = 0; i < Number(args.loads ?? 5); ++i) {
    page?.close();
    const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
    page = await context.newPage();
    await page.goto(url);
    await page.waitForSelector("body[data-ready='1']", { timeout: 60000 });
    loads.push(Number(await page.evaluate(() => document.body.dataset.readyMs)));
  }
  const cues = await page.evaluate(() => window.duetBoard.timeline.data.cues.length);
  console.log(`load: median ${median(loads)} ms of ${loads.length} (${loads.join(", ")} ms); ${cues} cues`);

  const scroll = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const tl = window.duetBoard.timeline;
        tl.fit(tl.data.filmStart, tl.data.filmEnd);
        tl.frameTimes.length = 0;
        const start = performance.now();
        let frames = 0;
        const gaps = [];
        let last = start;
        const tick = (now) => {
          gaps.push(now - last);
          last = now;
          ++frames;
          const phase = Math.floor((now - start) / 1000);
          if (phase % 2 === 0) tl.scroll(20 / tl.pxPerSecond);
          else tl.zoom(phase % 4 === 1 ? 1.03 : 1 / 1.03);
          if (now - start < 4000) requestAnimationFrame(tick);
          else resolve({ seconds: (now - start) / 1000, frames, gaps, draws: [...tl.frameTimes] });
        };
        requestAnimationFrame(tick);
      }),
  );
  console.log(
    `scroll and zoom: ${(scroll.frames / scroll.seconds).toFixed(1)} frames a second over ${scroll.seconds.toFixed(1)} s; ` +
      `frame gap median ${median(scroll.gaps).toFixed(1)} ms, 95th percentile ${pct(scroll.gaps, 0.95).toFixed(1)} ms; ` +
      `timeline draw median ${median(scroll.draws).toFixed(2)} ms, 95th percentile ${pct(scroll.draws, 0.95).toFixed(2)} ms, most ${Math.max(...scroll.draws).toFixed(2)} ms`,
  );

  if (args.cue) {
    await page.selectOption("#cue-select", args.cue);
    await page.click("#tabs button[data-tab=compose]");
    await page.waitForSelector("ol.candidates li[data-rank='1']", { timeout: 60000 });
    if (args.at) {
      // From a point inside the cue (a timecode), not its start.
      await page.fill("#jump", args.at);
      await page.press("#jump", "Enter");
    }
    for (const round of ["first (rendered from the playhead)", "again (the whole take kept)"]) {
      await page.evaluate(() => delete document.querySelector("#audition-state").dataset.playing);
      const t = Date.now();
      await page.click("ol.candidates li[data-rank='1'] button.audition");
      await page.waitForFunction(() => document.querySelector("#audition-state").dataset.playing, null, { timeout: 600000 });
      const ms = await page.evaluate(() => Number(document.querySelector("#audition-state").dataset.startMs));
      const seconds = await page.evaluate(() => window.duetBoard.audio() && window.duetBoard.audio().time);
      const source = await page.evaluate(() => document.querySelector("#audition-state").dataset.source);
      console.log(`audition of ${args.cue} candidate 1, ${round}: sounding with the picture ${ms} ms after the click (${Date.now() - t} ms to the test), from its ${source}`);
      void seconds;
      if (source === "head") {
        // The whole take renders behind the head; the next round starts once it is kept.
        await page.waitForFunction(() => document.querySelector("#audition-state").dataset.source === "whole", null, { timeout: 600000 });
        console.log(`  the whole take took over ${Date.now() - t} ms after the click`);
      }
      await page.click("#play");
    }
  }
} finally {
  await browser.close();
  server.kill("SIGTERM");
}
