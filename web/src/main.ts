// The board: the composer's view of picture, music and engine in one page (docs/board.md).
// Everything it shows comes from duet serve (docs/api.md) and every edit goes back through it as
// a new version of the project; the page keeps only what is on screen (the view, the folder of
// candidates in view) in the browser's storage.
import "./style.css";
import { ApiError, type JobStatus, fileUrl, followJob, get, pictureUrl, request } from "./api";
import { type Rate, formatLabel, frameAt, labelAt, parseLabel, secondsOfFrame, secondsOfLabel } from "./tc";
import {
  type BarLine,
  type Cue,
  type Cut,
  type Dimension,
  type EmotionKey,
  type Finding,
  type Hit,
  type MusicView,
  type Project,
  type Streamer,
  DIMENSIONS,
  emotionField,
  hitsField,
  readProject,
} from "./model";
import { TIMELINE_HEIGHT, Timeline } from "./timeline";
import { drawMelody, drawRoll } from "./roll";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

// ---- what the page holds ----

let project: Project;
let revision = "";
let cut: Cut;
let rate: Rate;
let filmStart = 0;
let streamers: Streamer[] = [];
let barsOf = new Map<string, BarLine[]>(); // each cue's bar lines (the cues with a tempo map)
const undoStack: { cue: string; version: number; what: string }[] = [];
let timeline: Timeline;
const auditions = new Map<string, { url: string; from: number }>(); // by folder/cue/rank
let audio: HTMLAudioElement | null = null;
let auditionFrom = 0; // film seconds at the audio's 0

// The view, kept per project in the browser (not in the project: it is the page's, not the film's).
interface View {
  cue: string | null;
  curve: Dimension;
  folders: Record<string, string>; // the candidates' folder in view, per cue
  critique: Record<string, string>; // the file last critiqued, per cue
  tab: string;
}
let view: View = { cue: null, curve: "tension", folders: {}, critique: {}, tab: "cue" };
const viewKey = () => `duet-board:${cut.film}:${cut.edl}`;
const saveView = () => localStorage.setItem(viewKey(), JSON.stringify(view));

// ---- saying things ----

function say(sentence: string, kind: "info" | "error" = "info"): void {
  const s = $("status");
  s.textContent = sentence;
  s.className = kind;
}

function failed(e: unknown): void {
  say(e instanceof Error ? e.message : String(e), "error");
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...kids: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") node.textContent = v;
    else node.setAttribute(k, v);
  }
  node.append(...kids);
  return node;
}

function button(text: string, onclick: () => void, attrs: Record<string, string> = {}): HTMLButtonElement {
  const b = el("button", { type: "button", ...attrs }, text);
  b.addEventListener("click", onclick);
  return b;
}

// ---- reading ----

async function loadProject(): Promise<void> {
  const answer = await request<{ revision: string; project: Project }>("GET", "/api/project");
  revision = answer.body.revision;
  project = readProject(answer.body.project, rate);
  $("title").textContent = project.title;
  document.title = `${project.title} · duet board`;
  // Every cue's streamers and bar lines in one request (the cues with a tempo map).
  const marks = await get<Record<string, { streamers: Streamer[]; bars: BarLine[] }>>("/api/streamers");
  streamers = Object.values(marks).flatMap((l) => l.streamers);
  barsOf = new Map(Object.entries(marks).map(([id, l]) => [id, l.bars]));
  if (view.cue && !project.cues.some((c) => c.id === view.cue)) view.cue = null;
  if (!view.cue && project.cues.length) view.cue = project.cues[0].id;
  timeline.data.cues = project.cues;
  timeline.data.selected = view.cue;
  timeline.data.bars = (view.cue && barsOf.get(view.cue)) || [];
  fillCueSelect();
  timeline.redraw();
}

function selected(): Cue | null {
  return project.cues.find((c) => c.id === view.cue) ?? null;
}

// ---- writing: every edit a new version, against the revision read ----

// One write at a time, each after the one before has been answered and the project read again,
// so that every write carries the revision it was made against.
let writing: Promise<unknown> = Promise.resolve();
function serial<T>(write: () => Promise<T>): Promise<T> {
  const next = writing.then(write, write);
  writing = next.catch(() => undefined);
  return next;
}

function editCue(cue: Cue, fields: Record<string, unknown>, reason: string): Promise<boolean> {
  return serial(() => saveCue(cue, fields, reason));
}

async function saveCue(cue: Cue, fields: Record<string, unknown>, reason: string): Promise<boolean> {
  try {
    const answer = await request<{ changed: boolean; kept_version: number }>("PATCH", `/api/cues/${cue.id}`, { ...fields, reason }, `"${revision}"`);
    if (answer.body.changed) undoStack.push({ cue: cue.id, version: answer.body.kept_version, what: reason });
    say(answer.body.changed ? `saved: ${reason}` : "nothing changed");
    await loadProject();
    return true;
  } catch (e) {
    failed(e);
    // Nothing was saved: show the project as it is on disk again.
    await loadProject().catch(failed);
    return false;
  }
}

function undo(): Promise<void> {
  return serial(undoLast);
}

async function undoLast(): Promise<void> {
  const last = undoStack.pop();
  if (!last) {
    say("nothing to undo in this session; a cue's older versions are in the Cue panel");
    return;
  }
  try {
    await request("POST", `/api/cues/${last.cue}/restore`, { version: last.version }, `"${revision}"`);
    say(`undone: ${last.what} (cue ${last.cue} is back at version ${last.version})`);
    await loadProject();
    refreshPanel();
  } catch (e) {
    failed(e);
  }
}

// ---- the picture ----

const video = () => $<HTMLVideoElement>("video");
let currentFrame = 0; // the frame on screen, or last asked for
const filmTime = () => filmStart + video().currentTime;

function seek(t: number): void {
  const v = video();
  const end = filmStart + (v.duration || 0);
  const clamped = Math.max(filmStart, Math.min(t, end > filmStart ? end - secondsOfFrame(1, rate) : t));
  // The middle of the frame, so that the frame shown is the one asked for.
  const frame = frameAt(clamped, rate);
  currentFrame = frame;
  v.currentTime = secondsOfFrame(frame, rate) - filmStart + secondsOfFrame(0.5, rate);
  timeline.data.playhead = secondsOfFrame(frame, rate);
  timeline.redraw();
  drawOverlay();
}

// From the frame last asked for (not the element's clock, which a seek under way may not have
// reached), so that quick steps add up exactly.
function step(frames: number): void {
  const v = video();
  if (!v.paused) {
    v.pause();
    currentFrame = frameAt(filmTime(), rate);
  }
  seek(secondsOfFrame(currentFrame + frames, rate));
}

// Where "jump to" goes: a timecode, a cue's id, or a hit's label.
function jump(text: string): void {
  const q = text.trim();
  if (!q) return;
  const cue = project.cues.find((c) => c.id.toLowerCase() === q.toLowerCase());
  if (cue) {
    select(cue.id);
    seek(cue.t0);
    timeline.fit(cue.t0, cue.t1);
    return;
  }
  if (/^[\d:;.]+$/.test(q)) {
    const f = parseLabel(q, rate);
    if (typeof f === "string") return say(f, "error");
    const t = secondsOfFrame(f, rate);
    const end = filmStart + (video().duration || 0);
    if (t < filmStart || (video().duration && t >= end)) {
      return say(`${formatLabel(f, rate)} is outside the film (${labelAt(filmStart, rate)} to ${labelAt(end, rate)})`, "error");
    }
    seek(t);
    timeline.follow(t);
    return say(`at ${formatLabel(f, rate)}`);
  }
  for (const c of project.cues) {
    const h = c.hits.find((h) => h.label.toLowerCase().includes(q.toLowerCase()));
    if (h) {
      select(c.id);
      seek(h.t);
      timeline.follow(h.t);
      return say(`hit '${h.label}' of ${c.id} at ${labelAt(h.t, rate)}`);
    }
  }
  say(`'${q}' is neither a timecode (${rate.drop ? "HH:MM:SS;FF" : "HH:MM:SS:FF"}), a cue's id nor a hit's label`, "error");
}

// The timecode burned in by the page, the cue under the playhead, and its streamers and punches.
function drawOverlay(mediaTime?: number): void {
  const canvas = $<HTMLCanvasElement>("overlay");
  const v = video();
  const w = v.clientWidth;
  const h = v.clientHeight;
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== Math.floor(w * dpr) || canvas.height !== Math.floor(h * dpr)) {
    canvas.width = Math.floor(w * dpr);
    canvas.height = Math.floor(h * dpr);
  }
  const ctx = canvas.getContext("2d")!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  const t = filmStart + (mediaTime ?? v.currentTime);
  const frame = frameAt(t, rate);
  const at = secondsOfFrame(frame, rate);
  for (const s of streamers) {
    if (at >= s.sweep && at < s.at) {
      const x = ((at - s.sweep) / (s.at - s.sweep)) * w;
      ctx.fillStyle = { green: "#3fb950", yellow: "#e3b341", white: "#ffffff", red: "#f85149" }[s.colour] ?? "#fff";
      ctx.fillRect(x - 3, 0, 6, h);
    } else if (at >= s.at && at < s.punch_end) {
      ctx.fillStyle = "rgba(255, 255, 255, 0.75)";
      ctx.beginPath();
      ctx.arc(w / 2, h / 2, Math.min(w, h) / 7, 0, Math.PI * 2);
      ctx.fill();
    }
    if (s.flutters.some((f) => Math.abs(f - at) < 1e-6)) {
      ctx.fillStyle = "rgba(255, 255, 255, 0.35)";
      ctx.fillRect(0, 0, w, h);
    }
  }
  const label = formatLabel(frame, rate);
  const cue = project?.cues.find((c) => at >= c.t0 && at < c.t1);
  const text = cue ? `${label}  ${cue.id}` : label;
  ctx.font = `bold ${Math.max(12, Math.round(h / 16))}px ui-monospace, monospace`;
  const tw = ctx.measureText(text).width;
  ctx.fillStyle = "rgba(0, 0, 0, 0.7)";
  ctx.fillRect(w / 2 - tw / 2 - 8, h - h / 9 - 6, tw + 16, h / 16 + 12);
  ctx.fillStyle = "#fff";
  ctx.textBaseline = "top";
  ctx.fillText(text, w / 2 - tw / 2, h - h / 9);
  $("tc").textContent = label;
  canvas.dataset.frame = String(frame);
}

function onVideoFrame(): void {
  const v = video() as HTMLVideoElement & { requestVideoFrameCallback?: (cb: (now: number, m: { mediaTime: number }) => void) => void };
  const tick = (_now: number, meta: { mediaTime: number }) => {
    if (!v.paused) currentFrame = frameAt(filmStart + meta.mediaTime, rate);
    drawOverlay(v.paused ? undefined : meta.mediaTime);
    timeline.data.playhead = filmStart + meta.mediaTime;
    if (!v.paused) timeline.follow(timeline.data.playhead);
    timeline.redraw();
    keepAudioInSync();
    v.requestVideoFrameCallback?.(tick);
  };
  v.requestVideoFrameCallback?.(tick);
}

// ---- audition: a candidate's rendered audio against the picture ----

function keepAudioInSync(): void {
  if (!audio || audio.paused) return;
  const want = filmTime() - auditionFrom;
  if (want < 0 || want > audio.duration) return;
  if (Math.abs(audio.currentTime - want) > 0.04) audio.currentTime = want;
}

// The first seconds of an audition are rendered from where it plays (the engine chases the
// notes sounding there, as a DAW does when it plays from the middle), so the music starts in a
// fraction of a second whatever the candidate's length; the whole take renders behind it and the
// audio changes over to it when it is ready. The whole take is kept: auditions after that start
// at once from any point.
const HEAD_SECONDS = 20;
let behind: { key: string; job: string | null } | null = null; // the whole take rendering behind

function auditionName(folder: string, cue: Cue, rank: number): string {
  return `board/audition/${folder.replace(/[^A-Za-z0-9_-]+/g, "_")}-${cue.id}-${rank}`;
}

async function audition(cue: Cue, folder: string, rank: number, preRoll: number): Promise<void> {
  const key = `${folder}/${cue.id}/${rank}`;
  const started = performance.now();
  // From the playhead when it is inside the cue, else from the cue's start; with pre-roll.
  const point = timeline.data.playhead >= cue.t0 && timeline.data.playhead < cue.t1 ? timeline.data.playhead : cue.t0;
  const from = Math.max(filmStart, point - preRoll);
  await stopBehind(key);
  let take = auditions.get(key);
  let head = false;
  if (!take) {
    const wav = `${auditionName(folder, cue, rank)}-head.wav`;
    const job = await startJob("score-film", {
      cues: [cue.id],
      from: folder,
      take: { [cue.id]: rank },
      wav,
      excerpt: { from: labelAt(from, rate), seconds: HEAD_SECONDS, post_roll: 2, alone: true, chase: true },
    });
    if (job.state !== "done") return;
    // The head is written anew for each point: a query of its own, so no cached copy is played.
    take = { url: `${fileUrl(wav)}&at=${job.job}`, from: secondsOfLabel(job.result.excerpt.from, rate) };
    head = true;
  }
  stopAudition();
  const a = new Audio(take.url);
  a.preload = "auto";
  audio = a;
  auditionFrom = take.from;
  const v = video();
  v.pause();
  seek(from);
  await new Promise((r) => a.addEventListener("canplay", r, { once: true }));
  await v.play();
  const offset = filmTime() - auditionFrom;
  if (offset >= 0) {
    a.currentTime = offset;
    await a.play();
  } else {
    window.setTimeout(() => {
      if (audio === a && !v.paused) {
        a.currentTime = Math.max(0, filmTime() - auditionFrom);
        void a.play();
      }
    }, -offset * 1000);
  }
  const ms = Math.round(performance.now() - started);
  const state = $("audition-state");
  state.textContent =
    `auditioning ${cue.id} candidate ${rank} from ${labelAt(from, rate)} (${preRoll} s pre-roll); started in ${ms} ms` +
    (head ? `; its first ${HEAD_SECONDS} s, the whole take rendering behind` : "");
  state.dataset.startMs = String(ms);
  state.dataset.playing = key;
  state.dataset.source = head ? "head" : "whole";
  if (head) void renderBehind(cue, folder, rank, key, a);
}

// Renders the whole take while its head plays, then changes over to it (a 60 ms crossfade, at
// the picture's time) if the head is still what is heard.
async function renderBehind(cue: Cue, folder: string, rank: number, key: string, headAudio: HTMLAudioElement): Promise<void> {
  const wav = `${auditionName(folder, cue, rank)}.wav`;
  behind = { key, job: null };
  const mine = behind;
  let status: JobStatus;
  try {
    status = (
      await request<JobStatus>("POST", "/api/jobs/score-film", {
        cues: [cue.id],
        from: folder,
        take: { [cue.id]: rank },
        wav,
        excerpt: { pre_roll: 0, post_roll: 2, alone: true },
      })
    ).body;
  } catch {
    if (behind === mine) behind = null;
    return;
  }
  mine.job = status.job;
  const end = await followJob(status.job, () => {});
  if (behind === mine) behind = null;
  if (end.state !== "done") return;
  const whole = { url: fileUrl(wav), from: secondsOfLabel(end.result.excerpt.from, rate) };
  auditions.set(key, whole);
  if (audio !== headAudio || headAudio.paused) return;
  const next = new Audio(whole.url);
  next.preload = "auto";
  await new Promise((r) => next.addEventListener("canplay", r, { once: true }));
  if (audio !== headAudio || headAudio.paused) return;
  next.volume = 0;
  next.currentTime = Math.max(0, filmTime() - whole.from);
  await next.play();
  audio = next;
  auditionFrom = whole.from;
  const t0 = performance.now();
  const fade = () => {
    const x = Math.min(1, (performance.now() - t0) / 60);
    next.volume = x;
    headAudio.volume = 1 - x;
    if (x < 1) requestAnimationFrame(fade);
    else headAudio.pause();
  };
  requestAnimationFrame(fade);
  const state = $("audition-state");
  state.dataset.source = "whole";
  state.textContent = state.textContent.replace(/; its first .*$/, "; now the whole take");
}

// A whole take still rendering behind is cancelled when another candidate is auditioned, so its
// render does not hold up the new one (the server runs one job at a time).
async function stopBehind(key: string): Promise<void> {
  if (!behind || behind.key === key) return;
  const job = behind.job;
  behind = null;
  if (job) await request("DELETE", `/api/jobs/${job}`).catch(() => undefined);
}

function stopAudition(): void {
  audio?.pause();
  audio = null;
}

// ---- jobs ----

let runningJob: string | null = null;

async function startJob(kind: string, body: unknown): Promise<JobStatus> {
  const bar = $<HTMLProgressElement>("job-progress");
  const label = $("job-label");
  const cancel = $<HTMLButtonElement>("job-cancel");
  let status: JobStatus;
  try {
    status = (await request<JobStatus>("POST", `/api/jobs/${kind}`, body)).body;
  } catch (e) {
    failed(e);
    return { job: "", kind, state: "failed", stage: "", fraction: 0, error: String(e) };
  }
  runningJob = status.job;
  $("job").hidden = false;
  cancel.disabled = false;
  label.textContent = `${kind}: starting`;
  bar.value = 0;
  const end = await followJob(status.job, (s) => {
    bar.value = s.fraction;
    label.textContent = `${kind}: ${s.stage}`;
  });
  runningJob = null;
  cancel.disabled = true;
  bar.value = end.state === "done" ? 1 : bar.value;
  label.textContent = `${kind}: ${end.state}`;
  if (end.state === "failed") say(`${kind} failed: ${end.error}`, "error");
  else if (end.state === "cancelled") say(`${kind} cancelled; nothing was written`);
  else say(`${kind} done`);
  return end;
}

async function cancelJob(): Promise<void> {
  if (!runningJob) return;
  await request("DELETE", `/api/jobs/${runningJob}`).catch(failed);
}

// ---- the panels ----

const panels: Record<string, () => Promise<void> | void> = {
  cue: cuePanel,
  sync: syncPanel,
  compose: composePanel,
  critique: critiquePanel,
  themes: themesPanel,
  deliver: deliverPanel,
};

function showTab(tab: string): void {
  view.tab = tab;
  saveView();
  for (const b of document.querySelectorAll<HTMLButtonElement>("#tabs button")) b.classList.toggle("on", b.dataset.tab === tab);
  refreshPanel();
}

function refreshPanel(): void {
  const body = $("panel");
  body.replaceChildren();
  body.dataset.panel = view.tab;
  Promise.resolve(panels[view.tab]()).catch(failed);
}

function select(id: string): void {
  if (view.cue === id) return;
  view.cue = id;
  saveView();
  timeline.data.selected = id;
  timeline.data.music = null;
  timeline.data.previewBars = null;
  timeline.data.findings = [];
  timeline.data.bars = barsOf.get(id) ?? [];
  ($("cue-select") as HTMLSelectElement).value = id;
  timeline.redraw();
  // What the page read is still the project: only the new cue's music is asked for.
  showKeptMusic().then(refreshPanel, failed);
}

// The sections and theme statements of the selected cue's kept take, on the timeline.
async function showKeptMusic(): Promise<void> {
  const cue = selected();
  if (!cue?.music) return;
  timeline.data.music = await get<MusicView>(`/api/cues/${cue.id}/music?file=${encodeURIComponent(cue.music)}`).catch(() => null);
  timeline.redraw();
}

function fillCueSelect(): void {
  const s = $<HTMLSelectElement>("cue-select");
  s.replaceChildren(...project.cues.map((c) => el("option", { value: c.id }, `${c.id} ${c.title}`)));
  if (view.cue) s.value = view.cue;
}

function cuePanel(): void {
  const body = $("panel");
  const cue = selected();
  if (!cue) return void body.append(el("p", { text: "The project has no cues yet: spot the film (duet spot) first." }));
  body.append(
    el("h2", { text: `${cue.id} ${cue.title}` }),
    el("p", { class: "facts", text: `${cue.in} – ${cue.out} · ${cue.usage} · ${cue.state ?? ""}${cue.music ? ` · music kept: ${cue.music}` : ""}` }),
    el("p", { class: "hint", text: "Drag a hit along the hits lane to move it (to the frame), click it to make it hard or soft, double-click the lane to add one. Drag a point of the curve, or draw over the curve lane to redraw it. Every edit is a new version." }),
  );
  const list = el("ul", { class: "hits" });
  for (const h of [...cue.hits].sort((a, b) => a.t - b.t)) {
    list.append(el("li", {}, button(labelAt(h.t, rate), () => seek(h.t)), ` ${h.label} (${h.kind})`));
  }
  body.append(el("h3", { text: "Hits" }), list, el("h3", { text: "Versions" }));
  const versions = el("ol", { class: "versions" });
  for (const v of [...(cue.versions ?? [])].reverse().slice(0, 12)) {
    versions.append(
      el("li", {}, `${v.version}: ${v.reason} `, button("restore", () => serial(async () => {
        try {
          await request("POST", `/api/cues/${cue.id}/restore`, { version: v.version }, `"${revision}"`);
          say(`cue ${cue.id} restored to version ${v.version}`);
          await loadProject();
          refreshPanel();
        } catch (e) {
          failed(e);
        }
      }))),
    );
  }
  body.append(versions);
}

interface SyncOption {
  option: number;
  title: string;
  reason: string;
  summary: Record<string, unknown>;
  bar_lines: BarLine[];
}

async function syncPanel(): Promise<void> {
  const body = $("panel");
  const cue = selected();
  if (!cue) return;
  body.append(el("h2", { text: `Tempo for ${cue.id}` }), el("p", { class: "hint", text: "Point at an option to see its bar lines on the timeline; apply the one you want." }));
  const list = el("ol", { class: "options" });
  body.append(list);
  let answer: { options: SyncOption[]; impossible?: string };
  try {
    answer = await get(`/api/cues/${cue.id}/sync?options=5`);
  } catch (e) {
    return failed(e);
  }
  if (answer.impossible) body.append(el("p", { class: "error", text: answer.impossible }));
  for (const o of answer.options) {
    const summary = Object.entries(o.summary)
      .filter(([, v]) => typeof v !== "object")
      .map(([k, v]) => `${k.replace(/_/g, " ")} ${v}`)
      .join(", ");
    const li = el("li", { "data-option": String(o.option) }, el("b", { text: o.title }), el("div", { text: o.reason }), el("div", { class: "facts", text: summary }));
    li.append(
      button("apply", () => serial(async () => {
        try {
          const a = await request<{ missed_hard_hits?: string[]; warnings?: string[] }>("POST", `/api/cues/${cue.id}/sync/apply`, { option: o.option, options: 5, allow_misses: true }, `"${revision}"`);
          const misses = a.body.missed_hard_hits?.length ? `; misses ${a.body.missed_hard_hits.join(", ")}` : "";
          say(`tempo map of ${cue.id}: ${o.title}${misses}`);
          undoStack.push({ cue: cue.id, version: (selected()?.versions?.length ?? 0) + 1, what: `tempo ${o.title}` });
          timeline.data.previewBars = null;
          await loadProject();
        } catch (e) {
          failed(e);
        }
      })),
    );
    li.addEventListener("mouseenter", () => {
      timeline.data.previewBars = o.bar_lines;
      timeline.redraw();
    });
    li.addEventListener("mouseleave", () => {
      timeline.data.previewBars = null;
      timeline.redraw();
    });
    list.append(li);
  }
}

interface Kept {
  rank: number;
  candidate: number;
  approach: string;
  approach_reason: string;
  total: number;
  file: string;
  critics: { critic: string; score: number; judged: boolean; reasons: string[] }[];
  writer: string[];
}

function folderOf(cue: Cue): string {
  return view.folders[cue.id] ?? (cue.music ? cue.music.split("/").slice(0, -1).join("/") || "." : "compose");
}

async function showRoll(cue: Cue, file: string): Promise<void> {
  const music = await get<MusicView>(`/api/cues/${cue.id}/music?file=${encodeURIComponent(file)}`);
  timeline.data.music = music;
  timeline.redraw();
  const canvas = $<HTMLCanvasElement>("roll");
  canvas.hidden = false;
  canvas.dataset.file = file;
  const first = Number(($("lock-first") as HTMLInputElement | null)?.value || 0);
  const last = Number(($("lock-last") as HTMLInputElement | null)?.value || 0);
  drawRoll(canvas, music, cue, first && last ? [first, last] : null);
}

async function composePanel(): Promise<void> {
  const body = $("panel");
  const cue = selected();
  if (!cue) return;
  const folder = folderOf(cue);
  const count = el("input", { id: "candidates", type: "number", min: "1", max: "64", value: "3" });
  const preRoll = el("input", { id: "pre-roll", type: "number", min: "0", max: "30", value: "2", step: "0.5" });
  body.append(
    el("h2", { text: `Compose ${cue.id}` }),
    el("div", { class: "row" }, el("label", {}, "candidates ", count), " ", button("Compose", () => compose(cue, Number(count.value), folder, null), { id: "compose" })),
    el("div", { class: "row" }, el("label", {}, "pre-roll (s) ", preRoll), el("span", { id: "audition-state", class: "facts" }), " ", button("stop", () => { stopAudition(); video().pause(); })),
  );
  const lockFirst = el("input", { id: "lock-first", type: "number", min: "1", value: "1" });
  const lockLast = el("input", { id: "lock-last", type: "number", min: "1", value: "4" });
  body.append(
    el("div", { class: "row" }, "lock bars ", lockFirst, " to ", lockLast, " of the kept take ", button("and recompose", () => recompose(cue, Number(lockFirst.value), Number(lockLast.value)), { id: "recompose" })),
  );
  body.append(el("p", { class: "facts", text: `candidates in ${folder}/${cue.music ? ` · kept: ${cue.music}` : ""}` }));
  let report: { kept: Kept[] } | null = null;
  try {
    report = (await request<{ kept: Kept[] }>("GET", fileUrl(`${folder}/${cue.id}-report.json`))).body;
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 404)) return failed(e);
  }
  if (!report) return void body.append(el("p", { text: "No candidates yet: compose some." }));
  const list = el("ol", { class: "candidates" });
  for (const k of report.kept) {
    const file = `${folder}/${cue.id}-${k.rank}.mid`;
    const isKept = cue.music === file;
    const critics = el("div", { class: "critics" });
    for (const c of k.critics.filter((c) => c.judged)) {
      critics.append(el("span", { class: "critic", title: c.reasons.join("\n") }, `${c.critic} `, el("meter", { min: "0", max: "1", value: String(c.score) }), ` ${c.score.toFixed(2)}`));
    }
    const reasons = el("details", {}, el("summary", { text: "why" }), el("ul", {}, ...k.writer.map((w) => el("li", { text: w }))));
    list.append(
      el(
        "li",
        { "data-rank": String(k.rank), class: isKept ? "kept" : "" },
        el("b", { text: `${k.rank}. ${k.approach}` }),
        ` total ${k.total.toFixed(3)}${isKept ? " · kept" : ""}`,
        el("div", { class: "facts", text: k.approach_reason }),
        critics,
        reasons,
        el(
          "div",
          { class: "row" },
          button("roll", () => showRoll(cue, file).catch(failed)),
          button("audition", () => audition(cue, folder, k.rank, Number(preRoll.value)).catch(failed), { class: "audition" }),
          button(isKept ? "kept" : "keep", () => keep(cue, file, k), { class: "keep" }),
        ),
      ),
    );
  }
  body.append(list, el("canvas", { id: "roll", hidden: "" }));
  const shown = cue.music && cue.music.startsWith(folder) ? cue.music : `${folder}/${cue.id}-1.mid`;
  await showRoll(cue, shown).catch(() => undefined);
}

async function compose(cue: Cue, candidates: number, folder: string, locks: unknown[] | null): Promise<void> {
  const body: Record<string, unknown> = { cues: [cue.id], candidates, keep: Math.min(3, candidates), seed: Date.now() % 100000, out: folder };
  if (locks) body.locks = locks;
  const end = await startJob("compose", body);
  if (end.state === "done") {
    view.folders[cue.id] = folder;
    saveView();
    for (const key of [...auditions.keys()]) if (key.startsWith(`${folder}/${cue.id}/`)) auditions.delete(key);
    refreshPanel();
  }
}

async function keep(cue: Cue, file: string, k: Kept): Promise<void> {
  if (await editCue(cue, { music: file }, `kept candidate ${k.rank} (${k.approach}) of ${file.split("/").slice(0, -1).join("/")} on the board`)) refreshPanel();
}

async function recompose(cue: Cue, first: number, last: number): Promise<void> {
  if (!cue.music) return say("keep a candidate first: the bars locked are the kept take's", "error");
  if (!(first >= 1 && last >= first)) return say(`bars ${first} to ${last} are not a range of bars (from 1, the first not after the last)`, "error");
  // A fresh folder for each round, so that the kept take is never written over.
  let n = 2;
  while (await fetch(fileUrl(`compose/${cue.id}-round${n}/${cue.id}-report.json`), { method: "HEAD" }).then((r) => r.ok)) ++n;
  await compose(cue, Number(($("candidates") as HTMLInputElement).value || 3), `compose/${cue.id}-round${n}`, [{ file: cue.music, bars: [first, last] }]);
}

interface CritiqueAnswer {
  total: number;
  file: string;
  critics: { critic: string; score: number; judged: boolean; reasons: string[] }[];
  warnings: string[];
}

// Places a critic's reason on the timeline where it names bars ("bar 7", "bars 5–7").
function findingsOf(answer: CritiqueAnswer, music: MusicView): Finding[] {
  const out: Finding[] = [];
  const barAt = (n: number) => music.bars.find((b) => b.bar === n)?.t;
  for (const c of answer.critics) {
    for (const r of c.reasons) {
      const m = /\bbars? (\d+)(?:\s*[–-]\s*(\d+))?/.exec(r);
      if (!m) continue;
      const a = Number(m[1]);
      const b = m[2] ? Number(m[2]) : a;
      const t0 = barAt(a);
      if (t0 === undefined) continue;
      out.push({ critic: c.critic, reason: r, t0, t1: barAt(b + 1) ?? music.end });
    }
  }
  return out;
}

async function critiquePanel(): Promise<void> {
  const body = $("panel");
  const cue = selected();
  if (!cue) return;
  const file = el("input", { id: "critique-file", size: "30", value: view.critique[cue.id] ?? cue.music ?? `compose/${cue.id}-1.mid` });
  const out = el("div", { id: "critique-out" });
  const run = async () => {
    out.replaceChildren(el("p", { text: "the critics are listening…" }));
    try {
      const answer = (await request<CritiqueAnswer>("POST", `/api/cues/${cue.id}/critique`, { file: file.value.trim() })).body;
      const music = await get<MusicView>(`/api/cues/${cue.id}/music?file=${encodeURIComponent(file.value.trim())}`);
      view.critique[cue.id] = file.value.trim();
      saveView();
      timeline.data.music = music;
      timeline.data.findings = findingsOf(answer, music);
      timeline.redraw();
      out.replaceChildren(
        el("p", { text: `${answer.file}: total ${answer.total.toFixed(3)}; ${timeline.data.findings.length} findings placed on the timeline` }),
        ...answer.warnings.map((w) => el("p", { class: "error", text: w })),
        el("ul", {}, ...answer.critics.filter((c) => c.judged).map((c) => el("li", {}, el("b", { text: `${c.critic} ${c.score.toFixed(2)}` }), el("ul", {}, ...c.reasons.map((r) => el("li", { text: r })))))),
      );
      say(`critique of ${answer.file} done`);
    } catch (e) {
      out.replaceChildren();
      failed(e);
    }
  };
  body.append(
    el("h2", { text: `Critique for ${cue.id}` }),
    el("p", { class: "hint", text: "A MIDI file inside the project (your own, or a candidate): the critics that rank duet's candidates judge it, and what they find in bars is placed on the timeline." }),
    el("div", { class: "row" }, file, button("Critique", run, { id: "critique" })),
    out,
  );
  if (view.critique[cue.id]) await run();
}

function quarters(text: string): number {
  const [n, d] = text.split("/").map(Number);
  return d ? n / d : Number(text);
}

async function themesPanel(): Promise<void> {
  const body = $("panel");
  body.append(el("h2", { text: "Themes" }));
  const themes = await get<{ name: string }[] | { themes: { name: string }[] }>("/api/themes");
  const list = Array.isArray(themes) ? themes : themes.themes;
  if (!list.length) body.append(el("p", { text: "No themes yet: duet themes PROJECT add NAME --melody ..." }));
  // Where each theme is heard: the kept takes' theme uses.
  const uses = new Map<string, string[]>();
  await Promise.all(
    project.cues.filter((c) => c.music).map(async (c) => {
      const m = await get<MusicView>(`/api/cues/${c.id}/music?file=${encodeURIComponent(c.music!)}`).catch(() => null);
      for (const u of m?.themes ?? []) {
        const where = `${c.id} ${labelAt(u.t, rate)} in ${u.part}${u.derivation ? ` (${u.derivation})` : ""}, recognisability ${u.recognisability.toFixed(2)}`;
        uses.set(u.theme, [...(uses.get(u.theme) ?? []), where]);
      }
    }),
  );
  for (const t of list) {
    const shown = await get<{ name: string; stands_for: string; key?: string; melody?: string; notes?: { start_quarters: string; length_quarters: string; pitch: number; name: string }[] }>(`/api/themes/${encodeURIComponent(t.name)}`);
    const canvas = el("canvas", { class: "melody" });
    const tagged = project.cues.filter((c) => c.themes.includes(t.name)).map((c) => c.id);
    body.append(
      el("h3", { text: `${shown.name}${shown.key ? ` (${shown.key})` : ""}` }),
      el("p", { text: shown.stands_for }),
      canvas,
      el("p", { class: "facts", text: `tagged in ${tagged.join(", ") || "no cue"}` }),
      el("ul", {}, ...(uses.get(t.name) ?? ["not heard in a kept take yet"]).map((u) => el("li", { text: u }))),
    );
    requestAnimationFrame(() => drawMelody(canvas, (shown.notes ?? []).map((n) => ({ start: quarters(n.start_quarters), length: quarters(n.length_quarters), pitch: n.pitch, name: n.name }))));
  }
}

function deliverPanel(): void {
  const body = $("panel");
  const links = el("ul", { id: "deliver-links" });
  const link = (path: string, text = path) => el("li", {}, el("a", { href: fileUrl(path), target: "_blank" }, text));
  body.append(
    el("h2", { text: "Deliver" }),
    el("p", { class: "hint", text: "Each cue is delivered from the take kept for it on the board, else from compose's best." }),
    el(
      "div",
      { class: "row" },
      button("Cue sheet and exports", async () => {
        const end = await startJob("deliver", { from: "compose", out: "deliver" });
        if (end.state !== "done") return;
        links.append(link("deliver/cue-sheet.html", "cue sheet (page)"), link("deliver/cue-sheet.csv", "cue sheet (CSV)"));
        for (const c of end.result.export?.cues ?? []) for (const f of c.written ?? c.files ?? []) links.append(link(String(f).replace(/^.*?deliver\//, "deliver/")));
      }, { id: "deliver" }),
      button("Scored film", async () => {
        const end = await startJob("score-film", { from: "compose", out: "board/scored.mp4" });
        if (end.state === "done") links.append(link("board/scored.mp4", "the scored film"));
      }, { id: "score-film" }),
    ),
    links,
  );
}

// ---- the page ----

async function main(): Promise<void> {
  // The picture starts loading at once, beside the project's reads.
  const v = video();
  v.src = pictureUrl();
  cut = await get<Cut>("/api/cut");
  rate = cut.rate;
  filmStart = cut.start_s;
  const host = $("timeline");
  timeline = new Timeline(
    host,
    { rate, cut, cues: [], filmStart, filmEnd: filmStart + 1, selected: null, music: null, bars: [], previewBars: null, findings: [], playhead: filmStart, curve: "tension" },
    {
      seek,
      select,
      say: (s) => say(s),
      editHits: (cue: Cue, hits: Hit[], reason: string) => void editCue(cue, { hits: hitsField(hits, rate) }, reason),
      editEmotion: (cue: Cue, keys: EmotionKey[], reason: string) => void editCue(cue, { emotion: emotionField(keys, rate) }, reason),
    },
  );
  host.style.height = `${TIMELINE_HEIGHT}px`;
  view = { ...view, ...JSON.parse(localStorage.getItem(viewKey()) ?? "{}") };
  timeline.data.curve = view.curve;
  await loadProject();
  await showKeptMusic();
  for (const w of [...(project.warnings ?? []), ...cut.warnings]) say(w);

  const pictureRead = () => {
    timeline.data.filmEnd = filmStart + v.duration;
    const cue = selected();
    if (cue) timeline.fit(cue.t0, cue.t1);
    else timeline.fit(filmStart, filmStart + v.duration);
    seek(cue ? cue.t0 : filmStart);
    // When the page can be used: the project, the cut, the streamers and the picture read.
    document.body.dataset.readyMs = performance.now().toFixed(0);
    document.body.dataset.ready = "1";
  };
  if (v.readyState >= HTMLMediaElement.HAVE_METADATA) pictureRead();
  else v.addEventListener("loadedmetadata", pictureRead, { once: true });
  v.addEventListener("error", () => {
    say(`the film ${cut.film || "(none)"} cannot be played here (${v.error?.message || "the project names no film, or the browser cannot read it"}); the timeline still works`, "error");
    const cue = selected();
    const last = project.cues.reduce((end, c) => Math.max(end, c.t1), filmStart + 60);
    timeline.data.filmEnd = last;
    if (cue) timeline.fit(cue.t0, cue.t1);
    else timeline.fit(filmStart, last);
    document.body.dataset.ready = "1";
  });
  v.addEventListener("seeked", () => drawOverlay());
  v.addEventListener("pause", () => audio?.pause());
  onVideoFrame();
  new ResizeObserver(() => drawOverlay()).observe(v);

  $("play").addEventListener("click", () => (v.paused ? void v.play() : v.pause()));
  v.addEventListener("play", () => ($("play").textContent = "❚❚"));
  v.addEventListener("pause", () => ($("play").textContent = "▶"));
  $("back").addEventListener("click", () => step(-1));
  $("fwd").addEventListener("click", () => step(1));
  $("jump-form").addEventListener("submit", (e) => {
    e.preventDefault();
    jump(($("jump") as HTMLInputElement).value);
  });
  $("cue-select").addEventListener("change", (e) => {
    const id = (e.target as HTMLSelectElement).value;
    select(id);
    const cue = project.cues.find((c) => c.id === id);
    if (cue) {
      seek(cue.t0);
      timeline.fit(cue.t0, cue.t1);
    }
  });
  $("zoom-in").addEventListener("click", () => timeline.zoom(1.5));
  $("zoom-out").addEventListener("click", () => timeline.zoom(1 / 1.5));
  $("fit-film").addEventListener("click", () => timeline.fit(filmStart, timeline.data.filmEnd));
  $("undo").addEventListener("click", () => void undo());
  $("job-cancel").addEventListener("click", () => void cancelJob());
  const curve = $<HTMLSelectElement>("curve");
  curve.replaceChildren(...DIMENSIONS.map((d) => el("option", { value: d }, d)));
  curve.value = view.curve;
  curve.addEventListener("change", () => {
    view.curve = curve.value as Dimension;
    timeline.data.curve = view.curve;
    saveView();
    timeline.redraw();
  });
  for (const b of document.querySelectorAll<HTMLButtonElement>("#tabs button")) b.addEventListener("click", () => showTab(b.dataset.tab!));
  document.addEventListener("keydown", (e) => {
    if ((e.target as HTMLElement).tagName === "INPUT") return;
    if (e.key === "ArrowLeft") step(e.shiftKey ? -10 : -1);
    else if (e.key === "ArrowRight") step(e.shiftKey ? 10 : 1);
    else if (e.key === " ") {
      e.preventDefault();
      v.paused ? void v.play() : v.pause();
    } else if ((e.ctrlKey || e.metaKey) && e.key === "z") void undo();
    else return;
  });
  showTab(view.tab);
  // For the end-to-end tests and for measuring (docs/benchmarks.md).
  (window as unknown as { duetBoard: unknown }).duetBoard = {
    timeline,
    tc: { parseLabel, formatLabel },
    seek,
    filmTime,
    audio: () => (audio ? { paused: audio.paused, time: audio.currentTime, from: auditionFrom } : null),
  };
}

main().catch(failed);
