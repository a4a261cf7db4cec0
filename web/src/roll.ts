// A candidate's piano roll on the film's time axis: every part's notes (the melody strongest),
// the bar lines and numbers, the sections, the cue's hits and dialogue windows, and the bars the
// composer chose to lock. Drawn on a canvas; a note's title is its part and pitch under the pointer.
import type { Cue, MusicView } from "./model";

const ROLE_COLOUR: Record<string, string> = {
  melody: "#ff7b72",
  countermelody: "#ffa657",
  harmony: "#79c0ff",
  bass: "#56d364",
  pad: "#6e7681",
  ostinato: "#d2a8ff",
  percussion: "#8b949e",
};
const NAMES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"];

// The canvas sized to its box at the screen's pixel density (or the given size while it has no
// box yet), cleared to the background; drawing is in CSS pixels.
function blank(canvas: HTMLCanvasElement, width: number, height: number): [CanvasRenderingContext2D, number, number] {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth || width;
  const h = canvas.clientHeight || height;
  canvas.width = Math.floor(w * dpr);
  canvas.height = Math.floor(h * dpr);
  const ctx = canvas.getContext("2d")!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = "#0d1117";
  ctx.fillRect(0, 0, w, h);
  return [ctx, w, h];
}

export function drawRoll(canvas: HTMLCanvasElement, music: MusicView, cue: Cue, locked: [number, number] | null): void {
  const [ctx, w, h] = blank(canvas, 600, 260);
  const notes = music.parts.flatMap((p) => p.notes.map((n) => ({ n, p })));
  if (notes.length === 0) return;
  const pitched = notes.filter(({ p }) => p.channel !== 9);
  const lo = Math.min(...pitched.map(({ n }) => n[2])) - 2;
  const hi = Math.max(...pitched.map(({ n }) => n[2])) + 2;
  const a = Math.min(cue.t0, music.bars[0]?.t ?? cue.t0);
  const b = Math.max(cue.t1, music.end);
  const top = 18;
  const x = (t: number) => 30 + ((t - a) / (b - a)) * (w - 40);
  const y = (p: number) => top + ((hi - p) / (hi - lo)) * (h - top - 6);
  ctx.font = "10px system-ui, sans-serif";
  // Outside the cue, grey.
  ctx.fillStyle = "#161b22";
  ctx.fillRect(30, top, x(cue.t0) - 30, h - top);
  ctx.fillRect(x(cue.t1), top, w - x(cue.t1), h - top);
  // Locked bars.
  if (locked) {
    const bar = (n: number) => music.bars.find((l) => l.bar === n)?.t;
    const l0 = bar(locked[0]);
    const l1 = bar(locked[1] + 1) ?? music.end;
    if (l0 !== undefined) {
      ctx.fillStyle = "rgba(227, 179, 65, 0.15)";
      ctx.fillRect(x(l0), top, x(l1) - x(l0), h - top);
    }
  }
  // Octave lines.
  ctx.strokeStyle = "#21262d";
  ctx.fillStyle = "#6e7681";
  for (let p = Math.ceil(lo / 12) * 12; p <= hi; p += 12) {
    ctx.beginPath();
    ctx.moveTo(30, y(p));
    ctx.lineTo(w, y(p));
    ctx.stroke();
    ctx.fillText(`${NAMES[p % 12]}${p / 12 - 1}`, 2, y(p));
  }
  // Dialogue windows.
  ctx.fillStyle = "rgba(201, 209, 217, 0.12)";
  for (const d of cue.dialogue) ctx.fillRect(x(d.t0), top, x(d.t1) - x(d.t0), h - top);
  // Bars.
  ctx.strokeStyle = "#30363d";
  ctx.fillStyle = "#8b949e";
  const every = Math.max(1, Math.ceil(24 / ((w - 40) / Math.max(1, music.bars.length))));
  for (const l of music.bars) {
    ctx.beginPath();
    ctx.moveTo(x(l.t) + 0.5, top);
    ctx.lineTo(x(l.t) + 0.5, h);
    ctx.stroke();
    if ((l.bar - 1) % every === 0) ctx.fillText(String(l.bar), x(l.t) + 2, top - 4);
  }
  // Notes, the melody last (on top).
  const order = ["percussion", "pad", "harmony", "ostinato", "bass", "countermelody", "melody"];
  const parts = [...music.parts].sort((p, q) => order.indexOf(p.role) - order.indexOf(q.role));
  const height = Math.max(2, (h - top - 6) / (hi - lo));
  for (const p of parts) {
    if (p.channel === 9) continue;
    ctx.fillStyle = ROLE_COLOUR[p.role] ?? "#c9d1d9";
    for (const [t0, t1, pitch, vel] of p.notes) {
      ctx.globalAlpha = 0.35 + (0.65 * vel) / 127;
      ctx.fillRect(x(t0), y(pitch) - height / 2, Math.max(1.5, x(t1) - x(t0) - 0.5), height);
    }
  }
  ctx.globalAlpha = 1;
  // Sections and hits.
  ctx.fillStyle = "#e3b341";
  for (const s of music.sections) ctx.fillText(s.label, x(s.t) + 2, top + 10);
  for (const hit of cue.hits) {
    ctx.strokeStyle = hit.kind === "hard" ? "#ff7b72" : "#79c0ff";
    ctx.setLineDash(hit.kind === "hard" ? [] : [3, 3]);
    ctx.beginPath();
    ctx.moveTo(x(hit.t) + 0.5, top);
    ctx.lineTo(x(hit.t) + 0.5, h);
    ctx.stroke();
  }
  ctx.setLineDash([]);
  canvas.title = music.parts.map((p) => `${p.name} (${p.role}): ${p.notes.length} notes`).join("\n");
}

// A theme's melody as a small roll: quarters across, pitch up.
export function drawMelody(canvas: HTMLCanvasElement, notes: { start: number; length: number; pitch: number; name: string }[]): void {
  const [ctx, w, h] = blank(canvas, 300, 80);
  if (notes.length === 0) return;
  const end = Math.max(...notes.map((n) => n.start + n.length));
  const lo = Math.min(...notes.map((n) => n.pitch)) - 1;
  const hi = Math.max(...notes.map((n) => n.pitch)) + 1;
  const x = (q: number) => 4 + (q / end) * (w - 8);
  const y = (p: number) => 4 + ((hi - p) / (hi - lo)) * (h - 18);
  ctx.strokeStyle = "#30363d";
  for (let q = 0; q <= end; q += 4) {
    ctx.beginPath();
    ctx.moveTo(x(q) + 0.5, 0);
    ctx.lineTo(x(q) + 0.5, h);
    ctx.stroke();
  }
  ctx.font = "9px system-ui, sans-serif";
  for (const n of notes) {
    ctx.fillStyle = "#ff7b72";
    ctx.fillRect(x(n.start), y(n.pitch) - 3, Math.max(2, x(n.start + n.length) - x(n.start) - 1), 6);
    ctx.fillStyle = "#8b949e";
    ctx.fillText(n.name, x(n.start), h - 4);
  }
}
