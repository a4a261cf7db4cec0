// The timeline under the picture: the cut, the cues, hit points, dialogue windows, sections and
// themes of the music in view, the critics' findings, and the selected cue's emotion curve, on
// one axis of film seconds; zoom (ctrl + wheel, or the buttons) and scroll (wheel, drag on the
// ruler). Hits and curve keys are edited with the mouse; the edit goes to the app (onEdit...),
// which saves it through the API and redraws from what the server kept.
import { type Rate, frameAt, labelAt, nearestFrame, secondsOfFrame } from "./tc";
import {
  type BarLine,
  type Cue,
  type Cut,
  type Dimension,
  type EmotionKey,
  type Finding,
  type Hit,
  type MusicView,
  DIMENSION_COLOUR,
  DIMENSIONS,
  emotionAt,
  range,
} from "./model";

export interface TimelineData {
  rate: Rate;
  cut: Cut;
  cues: Cue[];
  filmStart: number; // film seconds of the picture's first frame
  filmEnd: number;
  selected: string | null;
  music: MusicView | null; // the selected cue's music in view (sections, themes)
  bars: BarLine[]; // the selected cue's tempo map
  previewBars: BarLine[] | null; // a sync option under the pointer
  findings: Finding[];
  playhead: number;
  curve: Dimension; // the curve the mouse edits
}

export interface TimelineHandlers {
  seek(t: number): void;
  select(cue: string): void;
  editHits(cue: Cue, hits: Hit[], reason: string): void;
  editEmotion(cue: Cue, keys: EmotionKey[], reason: string): void;
  say(sentence: string): void;
}

const LANES = {
  ruler: [0, 22],
  shots: [22, 46],
  cues: [46, 72],
  music: [72, 92],
  hits: [92, 124],
  dialogue: [124, 138],
  findings: [138, 152],
  emotion: [152, 236],
} as const;
export const TIMELINE_HEIGHT = 240;

type Drag =
  | { kind: "hit"; cue: Cue; hit: Hit; x0: number; moved: boolean }
  | { kind: "key"; cue: Cue; key: EmotionKey; moved: boolean }
  | { kind: "draw"; cue: Cue; points: [number, number][] }
  | { kind: "pan"; x0: number; t0: number }
  | null;

export class Timeline {
  readonly canvas: HTMLCanvasElement;
  private ctx: CanvasRenderingContext2D;
  t0 = 0; // film seconds at the left edge
  pxPerSecond = 10;
  private drag: Drag = null;
  private pending = false;
  frameTimes: number[] = []; // ms per drawn frame, the newest last (docs/benchmarks.md)

  constructor(
    private host: HTMLElement,
    public data: TimelineData,
    private on: TimelineHandlers,
  ) {
    this.canvas = document.createElement("canvas");
    this.canvas.className = "timeline";
    this.canvas.tabIndex = 0;
    host.appendChild(this.canvas);
    this.ctx = this.canvas.getContext("2d")!;
    new ResizeObserver(() => this.resize()).observe(host);
    this.canvas.addEventListener("wheel", (e) => this.wheel(e), { passive: false });
    this.canvas.addEventListener("mousedown", (e) => this.down(e));
    window.addEventListener("mousemove", (e) => this.move(e));
    window.addEventListener("mouseup", (e) => this.up(e));
    this.canvas.addEventListener("dblclick", (e) => this.dblclick(e));
    this.canvas.addEventListener("mousemove", (e) => this.hover(e));
    this.resize();
  }

  get width(): number {
    return this.canvas.clientWidth;
  }
  x(t: number): number {
    return (t - this.t0) * this.pxPerSecond;
  }
  t(x: number): number {
    return this.t0 + x / this.pxPerSecond;
  }

  // Shows [a, b] whole, with a little room each side.
  fit(a: number, b: number): void {
    const span = Math.max(1, b - a);
    this.pxPerSecond = Math.max(0.005, Math.min(400, (this.width * 0.94) / span));
    this.t0 = a - span * 0.03;
    this.redraw();
  }

  zoom(factor: number, aroundX = this.width / 2): void {
    const t = this.t(aroundX);
    this.pxPerSecond = Math.max(0.005, Math.min(400, this.pxPerSecond * factor));
    this.t0 = t - aroundX / this.pxPerSecond;
    this.redraw();
  }

  scroll(seconds: number): void {
    this.t0 += seconds;
    this.redraw();
  }

  // Keeps the playhead in view while the film plays.
  follow(t: number): void {
    if (t < this.t0 || t > this.t(this.width * 0.9)) this.t0 = t - (this.width * 0.1) / this.pxPerSecond;
  }

  redraw(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      const start = performance.now();
      this.draw();
      this.frameTimes.push(performance.now() - start);
      if (this.frameTimes.length > 600) this.frameTimes.splice(0, 300);
    });
  }

  private resize(): void {
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.max(1, Math.floor(this.host.clientWidth * dpr));
    this.canvas.height = Math.floor(TIMELINE_HEIGHT * dpr);
    this.canvas.style.height = `${TIMELINE_HEIGHT}px`;
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.redraw();
  }

  private selectedCue(): Cue | null {
    return this.data.cues.find((c) => c.id === this.data.selected) ?? null;
  }

  // ---- drawing ----

  private draw(): void {
    const { ctx } = this;
    const d = this.data;
    const w = this.width;
    const tl = this.t0;
    const tr = this.t(w);
    ctx.clearRect(0, 0, w, TIMELINE_HEIGHT);
    ctx.fillStyle = "#15181d";
    ctx.fillRect(0, 0, w, TIMELINE_HEIGHT);
    ctx.font = "11px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    // Outside the film: greyed.
    ctx.fillStyle = "#0c0e11";
    if (this.x(d.filmStart) > 0) ctx.fillRect(0, 0, this.x(d.filmStart), TIMELINE_HEIGHT);
    if (this.x(d.filmEnd) < w) ctx.fillRect(this.x(d.filmEnd), 0, w - this.x(d.filmEnd), TIMELINE_HEIGHT);

    this.drawRuler(tl, tr);
    // Lane names at the left.
    // Shots.
    const [sy0, sy1] = LANES.shots;
    d.cut.shots.forEach((s, i) => {
      if (s.out_s < tl || s.in_s > tr) return;
      const x0 = this.x(s.in_s);
      const x1 = this.x(s.out_s);
      ctx.fillStyle = i % 2 ? "#38414d" : "#2d353f";
      ctx.fillRect(x0, sy0 + 2, Math.max(1, x1 - x0 - 1), sy1 - sy0 - 4);
      if (x1 - x0 > 40) {
        ctx.fillStyle = "#c9d1d9";
        this.text(`${s.clip || s.reel}`, x0 + 4, (sy0 + sy1) / 2, x1 - x0 - 8);
      }
    });
    // Bar lines: a sync option under the pointer, else the selected cue's map.
    const bars = d.previewBars ?? d.bars;
    if (bars.length) {
      ctx.strokeStyle = d.previewBars ? "rgba(255, 209, 102, 0.8)" : "rgba(255, 255, 255, 0.16)";
      ctx.fillStyle = d.previewBars ? "#ffd166" : "#8b949e";
      const every = Math.max(1, Math.ceil(28 / Math.max(1e-9, this.pxPerSecond * this.meanBar(bars))));
      for (const b of bars) {
        if (b.t < tl || b.t > tr) continue;
        const x = Math.round(this.x(b.t)) + 0.5;
        ctx.beginPath();
        ctx.moveTo(x, LANES.cues[0]);
        ctx.lineTo(x, TIMELINE_HEIGHT);
        ctx.stroke();
        if ((b.bar - 1) % every === 0) ctx.fillText(String(b.bar), x + 2, LANES.music[0] + 5);
      }
    }
    // Cues.
    const [cy0, cy1] = LANES.cues;
    for (const c of d.cues) {
      if (c.t1 < tl || c.t0 > tr) continue;
      const x0 = this.x(c.t0);
      const x1 = this.x(c.t1);
      const sel = c.id === d.selected;
      ctx.fillStyle = sel ? "#1f6feb" : c.state === "composer" ? "#3b5b8a" : "#2b4466";
      ctx.fillRect(x0, cy0 + 2, Math.max(2, x1 - x0), cy1 - cy0 - 4);
      ctx.fillStyle = "#fff";
      const tags = c.themes.length ? `  [${c.themes.join(", ")}]` : "";
      this.text(`${c.id} ${c.title}${tags}`, Math.max(x0, 0) + 4, (cy0 + cy1) / 2, x1 - Math.max(x0, 0) - 8);
    }
    // The music in view: sections and theme uses.
    if (d.music) {
      const [my0, my1] = LANES.music;
      for (const u of d.music.themes) {
        ctx.fillStyle = "rgba(141, 95, 211, 0.45)";
        ctx.fillRect(this.x(u.t), my0 + 12, Math.max(2, this.x(u.end) - this.x(u.t)), my1 - my0 - 13);
      }
      for (const s of d.music.sections) {
        const x = this.x(s.t);
        if (x < -200 || x > w) continue;
        ctx.fillStyle = "#e3b341";
        ctx.fillRect(x, my0 + 1, 2, my1 - my0 - 2);
        this.text(s.label, x + 4, my0 + 15, 160);
      }
    }
    // Hits of every cue; the selected cue's are the ones to drag.
    const [hy0, hy1] = LANES.hits;
    for (const c of d.cues) {
      for (const h of c.hits) {
        if (h.t < tl - 1 || h.t > tr + 1) continue;
        const x = Math.round(this.x(h.t)) + 0.5;
        const sel = c.id === d.selected;
        ctx.strokeStyle = h.kind === "hard" ? (sel ? "#ff7b72" : "#8c4a46") : sel ? "#79c0ff" : "#3d5e80";
        ctx.lineWidth = h.kind === "hard" ? 2 : 1;
        ctx.setLineDash(h.kind === "hard" ? [] : [3, 3]);
        ctx.beginPath();
        ctx.moveTo(x, hy0 + 2);
        ctx.lineTo(x, LANES.emotion[1]);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.lineWidth = 1;
        ctx.fillStyle = ctx.strokeStyle;
        ctx.beginPath();
        ctx.moveTo(x - 5, hy0 + 2);
        ctx.lineTo(x + 5, hy0 + 2);
        ctx.lineTo(x, hy0 + 10);
        ctx.fill();
        if (sel) {
          ctx.fillStyle = "#e6edf3";
          this.text(h.label, x + 6, (hy0 + hy1) / 2 + 4, 140);
        }
      }
    }
    // Dialogue windows.
    const [dy0, dy1] = LANES.dialogue;
    for (const c of d.cues) {
      for (const dw of c.dialogue) {
        if (dw.t1 < tl || dw.t0 > tr) continue;
        ctx.fillStyle = c.id === d.selected ? "rgba(201, 209, 217, 0.55)" : "rgba(201, 209, 217, 0.2)";
        ctx.fillRect(this.x(dw.t0), dy0 + 2, Math.max(1, this.x(dw.t1) - this.x(dw.t0)), dy1 - dy0 - 4);
      }
    }
    // The critics' findings.
    const [fy0, fy1] = LANES.findings;
    // Three rows, so that findings over the same bars stay apart; the shortest drawn last.
    const rowHeight = (fy1 - fy0 - 2) / 3;
    [...d.findings]
      .map((f, i) => ({ f, row: i % 3 }))
      .sort((a, b) => b.f.t1 - b.f.t0 - (a.f.t1 - a.f.t0))
      .forEach(({ f, row }) => {
        ctx.fillStyle = f.critic === "sync" ? "rgba(255, 123, 114, 0.9)" : "rgba(248, 81, 73, 0.6)";
        ctx.fillRect(this.x(f.t0), fy0 + 1 + row * rowHeight, Math.max(3, this.x(f.t1) - this.x(f.t0) - 1), rowHeight - 1);
      });
    this.drawEmotion();
    // Lane names.
    ctx.fillStyle = "rgba(21, 24, 29, 0.8)";
    ctx.fillRect(0, LANES.shots[0], 58, TIMELINE_HEIGHT - LANES.shots[0]);
    ctx.fillStyle = "#8b949e";
    const names: [string, readonly [number, number]][] = [
      ["cut", LANES.shots],
      ["cues", LANES.cues],
      ["music", LANES.music],
      ["hits", LANES.hits],
      ["dialogue", LANES.dialogue],
      ["findings", LANES.findings],
      [d.curve, LANES.emotion],
    ];
    for (const [name, [a, b]] of names) ctx.fillText(name, 4, (a + b) / 2);
    // The playhead.
    const px = Math.round(this.x(d.playhead)) + 0.5;
    ctx.strokeStyle = "#f0f6fc";
    ctx.beginPath();
    ctx.moveTo(px, 0);
    ctx.lineTo(px, TIMELINE_HEIGHT);
    ctx.stroke();
  }

  private meanBar(bars: BarLine[]): number {
    return bars.length > 1 ? (bars[bars.length - 1].t - bars[0].t) / (bars.length - 1) : 2;
  }

  private text(s: string, x: number, y: number, maxWidth: number): void {
    if (maxWidth < 12) return;
    let t = s;
    while (t.length > 1 && this.ctx.measureText(t).width > maxWidth) t = t.slice(0, -2);
    this.ctx.fillText(t === s ? s : `${t}…`, x, y);
  }

  private drawRuler(tl: number, tr: number): void {
    const { ctx } = this;
    const rate = this.data.rate;
    ctx.fillStyle = "#0d1117";
    ctx.fillRect(0, 0, this.width, LANES.ruler[1]);
    // A round step in seconds that leaves about 110 px between labels.
    const steps = [1 / 24, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];
    const step = steps.find((s) => s * this.pxPerSecond >= 110) ?? 3600;
    ctx.strokeStyle = "#30363d";
    ctx.fillStyle = "#8b949e";
    for (let t = Math.floor(tl / step) * step; t <= tr; t += step) {
      const x = Math.round(this.x(t)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, 12);
      ctx.lineTo(x, LANES.ruler[1]);
      ctx.stroke();
      ctx.fillText(labelAt(t + 1e-9, rate), x + 3, 8);
    }
  }

  private emotionY(v: number, d: Dimension): number {
    const [lo, hi] = range(d);
    const [y0, y1] = LANES.emotion;
    return y1 - 4 - ((v - lo) / (hi - lo)) * (y1 - y0 - 8);
  }
  private emotionValue(y: number, d: Dimension): number {
    const [lo, hi] = range(d);
    const [y0, y1] = LANES.emotion;
    const v = lo + ((y1 - 4 - y) / (y1 - y0 - 8)) * (hi - lo);
    return Math.max(lo, Math.min(hi, v));
  }

  private drawEmotion(): void {
    const { ctx } = this;
    const cue = this.selectedCue();
    const [y0, y1] = LANES.emotion;
    ctx.strokeStyle = "#30363d";
    ctx.beginPath();
    ctx.moveTo(0, y0 + 0.5);
    ctx.lineTo(this.width, y0 + 0.5);
    ctx.stroke();
    if (!cue || cue.emotion.length === 0) return;
    const keys = [...cue.emotion].sort((a, b) => a.t - b.t);
    for (const dim of DIMENSIONS) {
      const active = dim === this.data.curve;
      ctx.strokeStyle = DIMENSION_COLOUR[dim];
      ctx.globalAlpha = active ? 1 : 0.35;
      ctx.lineWidth = active ? 2 : 1;
      ctx.beginPath();
      const xs = [cue.t0, ...keys.map((k) => k.t), cue.t1];
      xs.forEach((t, i) => {
        const p = [this.x(t), this.emotionY(emotionAt(keys, t, dim), dim)] as const;
        if (i === 0) ctx.moveTo(...p);
        else ctx.lineTo(...p);
      });
      ctx.stroke();
      if (active) {
        ctx.fillStyle = DIMENSION_COLOUR[dim];
        for (const k of keys) {
          ctx.beginPath();
          ctx.arc(this.x(k.t), this.emotionY(k[dim], dim), 4, 0, Math.PI * 2);
          ctx.fill();
        }
      }
    }
    ctx.globalAlpha = 1;
    ctx.lineWidth = 1;
    if (this.drag?.kind === "draw") {
      ctx.strokeStyle = "#fff";
      ctx.beginPath();
      this.drag.points.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
      ctx.stroke();
    }
    void y1;
  }

  // ---- the mouse ----

  private local(e: MouseEvent): [number, number] {
    const r = this.canvas.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  }

  private hitNear(cue: Cue, x: number): Hit | null {
    let best: Hit | null = null;
    let dist = 7;
    for (const h of cue.hits) {
      const d = Math.abs(this.x(h.t) - x);
      if (d < dist) {
        best = h;
        dist = d;
      }
    }
    return best;
  }

  private keyNear(cue: Cue, x: number, y: number): EmotionKey | null {
    const dim = this.data.curve;
    return cue.emotion.find((k) => Math.abs(this.x(k.t) - x) < 7 && Math.abs(this.emotionY(k[dim], dim) - y) < 7) ?? null;
  }

  private within(y: number, lane: readonly [number, number]): boolean {
    return y >= lane[0] && y < lane[1];
  }

  private wheel(e: WheelEvent): void {
    e.preventDefault();
    const [x] = this.local(e);
    if (e.ctrlKey || e.metaKey) this.zoom(Math.exp(-e.deltaY * 0.002), x);
    else this.scroll((e.deltaX + e.deltaY) / this.pxPerSecond);
  }

  private down(e: MouseEvent): void {
    if (e.button !== 0) return;
    const [x, y] = this.local(e);
    const cue = this.selectedCue();
    if (this.within(y, LANES.ruler) || this.within(y, LANES.shots)) {
      this.on.seek(this.t(x));
      this.drag = { kind: "pan", x0: x, t0: this.t0 };
      return;
    }
    if (this.within(y, LANES.cues)) {
      const t = this.t(x);
      const hit = this.data.cues.find((c) => t >= c.t0 && t <= c.t1);
      if (hit) this.on.select(hit.id);
      return;
    }
    if (this.within(y, LANES.findings)) {
      const f = this.findingsAt(x)[0];
      if (f) this.on.say(`${f.critic}: ${f.reason}`);
      return;
    }
    if (cue && this.within(y, LANES.hits)) {
      const h = this.hitNear(cue, x);
      if (h) this.drag = { kind: "hit", cue, hit: h, x0: x, moved: false };
      return;
    }
    if (cue && this.within(y, LANES.emotion)) {
      const k = this.keyNear(cue, x, y);
      this.drag = k ? { kind: "key", cue, key: k, moved: false } : { kind: "draw", cue, points: [[x, y]] };
      return;
    }
    this.on.seek(this.t(x));
  }

  private move(e: MouseEvent): void {
    const drag = this.drag;
    if (!drag) return;
    const [x, y] = this.local(e);
    const rate = this.data.rate;
    if (drag.kind === "pan") {
      this.t0 = drag.t0 - (x - drag.x0) / this.pxPerSecond;
    } else if (drag.kind === "hit") {
      if (Math.abs(x - drag.x0) > 2) drag.moved = true;
      if (drag.moved) drag.hit.t = secondsOfFrame(nearestFrame(this.t(x), rate), rate);
    } else if (drag.kind === "key") {
      drag.moved = true;
      drag.key.t = secondsOfFrame(nearestFrame(this.t(x), rate), rate);
      drag.key[this.data.curve] = this.emotionValue(y, this.data.curve);
    } else if (drag.kind === "draw") {
      drag.points.push([x, y]);
    }
    this.redraw();
  }

  private up(e: MouseEvent): void {
    const drag = this.drag;
    this.drag = null;
    if (!drag) return;
    const rate = this.data.rate;
    if (drag.kind === "hit") {
      if (drag.moved) {
        this.on.editHits(drag.cue, drag.cue.hits, `hit '${drag.hit.label}' moved to ${labelAt(drag.hit.t, rate)} on the board`);
      } else {
        drag.hit.kind = drag.hit.kind === "hard" ? "soft" : "hard";
        this.on.editHits(drag.cue, drag.cue.hits, `hit '${drag.hit.label}' made ${drag.hit.kind} on the board`);
      }
    } else if (drag.kind === "key" && drag.moved) {
      this.on.editEmotion(drag.cue, drag.cue.emotion, `${this.data.curve} key moved on the board`);
    } else if (drag.kind === "draw") {
      const [x] = this.local(e);
      drag.points.push([x, drag.points[drag.points.length - 1][1]]);
      this.finishDrawing(drag.cue, drag.points);
    }
    this.redraw();
  }

  // A stroke over the emotion lane redraws the active curve under it: keys a second apart
  // (at least two) along the stroke, the other two curves kept as they were there.
  private finishDrawing(cue: Cue, points: [number, number][]): void {
    const rate = this.data.rate;
    const dim = this.data.curve;
    const ts = points.map(([x]) => this.t(x));
    const a = Math.min(...ts);
    const b = Math.max(...ts);
    if (b - a < secondsOfFrame(2, rate)) return; // a click, not a stroke
    const valueAt = (t: number) => {
      // The stroke's y at t: the nearest recorded point.
      let best = points[0];
      for (const p of points) if (Math.abs(this.t(p[0]) - t) < Math.abs(this.t(best[0]) - t)) best = p;
      return this.emotionValue(best[1], dim);
    };
    const n = Math.max(2, Math.round(b - a) + 1);
    const fresh: EmotionKey[] = [];
    for (let i = 0; i < n; ++i) {
      const t = secondsOfFrame(nearestFrame(a + ((b - a) * i) / (n - 1), rate), rate);
      const k: EmotionKey = {
        time: "",
        t,
        valence: emotionAt(cue.emotion, t, "valence"),
        arousal: emotionAt(cue.emotion, t, "arousal"),
        tension: emotionAt(cue.emotion, t, "tension"),
      };
      k[dim] = valueAt(t);
      fresh.push(k);
    }
    const kept = cue.emotion.filter((k) => k.t < a - 1e-9 || k.t > b + 1e-9);
    cue.emotion = [...kept, ...fresh].sort((p, q) => p.t - q.t);
    this.on.editEmotion(cue, cue.emotion, `${dim} redrawn from ${labelAt(a, rate)} to ${labelAt(b, rate)} on the board`);
  }

  // The findings under the pointer (3 px of slack), the shortest (the most precise) first.
  private findingsAt(x: number): Finding[] {
    const t = this.t(x);
    const slack = 3 / this.pxPerSecond;
    const under = this.data.findings.filter((f) => t >= f.t0 - slack && t <= f.t1 + slack);
    return under.sort((a, b) => a.t1 - a.t0 - (b.t1 - b.t0));
  }

  private dblclick(e: MouseEvent): void {
    const [x, y] = this.local(e);
    const cue = this.selectedCue();
    if (!cue || !this.within(y, LANES.hits) || this.hitNear(cue, x)) return;
    const rate = this.data.rate;
    const t = secondsOfFrame(nearestFrame(this.t(x), rate), rate);
    const hit: Hit = { time: "", t, label: `hit ${cue.hits.length + 1}`, kind: "soft", weight: 1, land: "beat", accent: false };
    cue.hits = [...cue.hits, hit];
    this.on.editHits(cue, cue.hits, `hit added at ${labelAt(t, rate)} on the board`);
  }

  private hover(e: MouseEvent): void {
    if (this.drag) return;
    const [x, y] = this.local(e);
    let tip = "";
    if (this.within(y, LANES.findings)) {
      tip = this.findingsAt(x)
        .map((f) => `${f.critic}: ${f.reason}`)
        .join("\n");
    } else if (this.within(y, LANES.music) && this.data.music) {
      const t = this.t(x);
      const s = [...this.data.music.sections].reverse().find((s) => s.t <= t);
      if (s) tip = `section ${s.label}: ${s.reason}`;
    } else if (this.within(y, LANES.hits)) {
      const cue = this.selectedCue();
      const h = cue && this.hitNear(cue, x);
      if (h) tip = `${h.label} (${h.kind}) at ${labelAt(h.t, this.data.rate)}: drag to move, click for hard/soft`;
    }
    this.canvas.title = tip || `${labelAt(this.t(x), this.data.rate)} (frame ${frameAt(this.t(x), this.data.rate)})`;
  }
}
