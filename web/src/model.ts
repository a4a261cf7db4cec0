// The project as the board holds it: duet.json's cues with their labels read once into film
// seconds (t), beside the labels themselves (saved back as they were, unless moved).
import { type Rate, secondsOfLabel, snappedLabel } from "./tc";

export interface Hit {
  time: string;
  label: string;
  kind: "hard" | "soft";
  weight: number;
  land: string;
  accent: boolean;
  t: number;
}
export interface EmotionKey {
  time: string;
  valence: number;
  arousal: number;
  tension: number;
  t: number;
}
export interface Cue {
  id: string;
  title: string;
  in: string;
  out: string;
  usage: string;
  notes: string;
  hits: Hit[];
  dialogue: { start: string; end: string; speaker?: string; t0: number; t1: number }[];
  emotion: EmotionKey[];
  themes: string[];
  characters: string[];
  tempo_map?: unknown;
  music?: string;
  state?: string;
  versions?: { version: number; saved: string; reason: string }[];
  t0: number;
  t1: number;
}
export interface Shot {
  event: number;
  reel: string;
  clip: string;
  in: string;
  out: string;
  in_s: number;
  out_s: number;
  transition: string;
}
export interface Cut {
  rate: Rate;
  start: string;
  start_s: number;
  film: string;
  edl: string;
  shots: Shot[];
  warnings: string[];
}
export interface Project {
  title: string;
  picture: { film: string; rate: string; start: string; edl: string };
  themes: { name: string; stands_for: string; melody?: string; key?: string }[];
  cues: Cue[];
  warnings?: string[];
}
export interface BarLine {
  bar: number;
  t: number;
}
export interface MusicView {
  cue: string;
  file: string;
  placed: { at: string; at_s: number; from: string };
  parts: { name: string; role: string; program: number; channel: number; notes: [number, number, number, number][] }[];
  bars: BarLine[];
  sections: { label: string; reason: string; t: number }[];
  themes: { theme: string; part: string; derivation: string; recognisability: number; t: number; end: number }[];
  end: number;
}
export interface Streamer {
  kind: string;
  colour: string;
  label: string;
  at: number;
  sweep: number;
  punch_end: number;
  flutters: number[];
}
export interface Finding {
  critic: string;
  reason: string;
  t0: number;
  t1: number;
}

// Reads every label of the project's cues into seconds (the page's one axis).
export function readProject(p: Project, rate: Rate): Project {
  for (const c of p.cues) {
    c.t0 = secondsOfLabel(c.in, rate);
    c.t1 = secondsOfLabel(c.out, rate);
    for (const h of c.hits) h.t = secondsOfLabel(h.time, rate);
    for (const d of c.dialogue) {
      d.t0 = secondsOfLabel(d.start, rate);
      d.t1 = secondsOfLabel(d.end, rate);
    }
    for (const k of c.emotion) k.t = secondsOfLabel(k.time, rate);
  }
  return p;
}

// A cue's hits as the API takes them (docs/api.md): labels at the rate, snapped to frames.
export function hitsField(hits: Hit[], rate: Rate) {
  return [...hits]
    .sort((a, b) => a.t - b.t)
    .map((h) => ({ time: snappedLabel(h.t, rate), label: h.label, kind: h.kind, weight: h.weight, land: h.land, accent: h.accent }));
}

export function emotionField(keys: EmotionKey[], rate: Rate) {
  const round = (v: number) => Math.round(v * 100) / 100;
  return [...keys]
    .sort((a, b) => a.t - b.t)
    .map((k) => ({ time: snappedLabel(k.t, rate), valence: round(k.valence), arousal: round(k.arousal), tension: round(k.tension) }));
}

export type Dimension = "valence" | "arousal" | "tension";
export const DIMENSIONS: Dimension[] = ["valence", "arousal", "tension"];
// The spotting sheet's colours (src/export/sheet.cpp).
export const DIMENSION_COLOUR: Record<Dimension, string> = { valence: "#2a9d8f", arousal: "#e76f51", tension: "#8d5fd3" };
export function range(d: Dimension): [number, number] {
  return d === "tension" ? [0, 1] : [-1, 1];
}

// The curve's value at t, linear between keys, held before the first and after the last.
export function emotionAt(keys: EmotionKey[], t: number, d: Dimension): number {
  if (keys.length === 0) return 0;
  const sorted = [...keys].sort((a, b) => a.t - b.t);
  if (t <= sorted[0].t) return sorted[0][d];
  for (let i = 1; i < sorted.length; ++i) {
    if (t <= sorted[i].t) {
      const a = sorted[i - 1];
      const b = sorted[i];
      const x = b.t === a.t ? 1 : (t - a.t) / (b.t - a.t);
      return a[d] + (b[d] - a[d]) * x;
    }
  }
  return sorted[sorted.length - 1][d];
}
