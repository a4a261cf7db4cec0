// SMPTE timecode labels at the project's rate, as the engine writes them (src/time/timecode.h):
// "01:00:00:00" at non-drop rates, "01:00:00;00" at drop-frame rates. Frame 0 is 00:00:00:00 and
// starts at 0 s; a frame lasts den/num seconds. The page converts labels to film seconds once,
// when it reads the project, and back only to show and to save (a saved time is always a label,
// so that a dragged hit lands on a frame).

export interface Rate {
  name: string;
  num: number; // fps = num / den
  den: number;
  nominal: number; // labels per timecode second (30 at 29.97)
  drop: number; // labels dropped at each minute not divisible by ten (2 at 29.97 DF)
}

export function framesPerDay(rate: Rate): number {
  return (24 * 3600 * rate.nominal) - (rate.drop * (24 * 60 - 24 * 6));
}

// The frame number of a label, or an error sentence.
export function parseLabel(text: string, rate: Rate): number | string {
  const m = /^\s*(\d{1,2}):(\d{2}):(\d{2})[:;.](\d{2,3})\s*$/.exec(text);
  const form = rate.drop ? "HH:MM:SS;FF" : "HH:MM:SS:FF";
  if (!m) return `'${text}' is not a timecode (${form} at ${rate.name} fps)`;
  const [h, mi, s, f] = [m[1], m[2], m[3], m[4]].map(Number);
  if (h > 23 || mi > 59 || s > 59 || f >= rate.nominal) {
    return `'${text}' is not a timecode at ${rate.name} fps (hours to 23, minutes and seconds to 59, frames to ${rate.nominal - 1})`;
  }
  if (rate.drop && s === 0 && f < rate.drop && mi % 10 !== 0) {
    return `'${text}' does not exist at ${rate.name}: drop-frame skips frames 0-${rate.drop - 1} at the start of each minute not divisible by ten`;
  }
  const minutes = 60 * h + mi;
  return (h * 3600 + mi * 60 + s) * rate.nominal + f - rate.drop * (minutes - Math.floor(minutes / 10));
}

function two(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

// The label of a frame number (wrapping around a day, as tape and every DAW do).
export function formatLabel(frame: number, rate: Rate): string {
  const day = framesPerDay(rate);
  let f = ((Math.round(frame) % day) + day) % day;
  if (rate.drop) {
    const perTen = rate.nominal * 600 - rate.drop * 9;
    const perMinute = rate.nominal * 60 - rate.drop;
    const tens = Math.floor(f / perTen);
    const rest = f % perTen;
    f += rate.drop * 9 * tens + (rest > rate.drop ? rate.drop * Math.floor((rest - rate.drop) / perMinute) : 0);
  }
  const ff = f % rate.nominal;
  const secs = Math.floor(f / rate.nominal);
  return `${two(Math.floor(secs / 3600))}:${two(Math.floor(secs / 60) % 60)}:${two(secs % 60)}${rate.drop ? ";" : ":"}${two(ff)}`;
}

export function secondsOfFrame(frame: number, rate: Rate): number {
  return (frame * rate.den) / rate.num;
}

// The frame showing at an instant (a hair of tolerance, so that a frame's own start is in it).
export function frameAt(seconds: number, rate: Rate): number {
  return Math.floor((seconds * rate.num) / rate.den + 1e-6);
}

// The frame whose start is nearest: where a dragged point snaps.
export function nearestFrame(seconds: number, rate: Rate): number {
  return Math.round((seconds * rate.num) / rate.den);
}

export function secondsOfLabel(text: string, rate: Rate): number {
  const f = parseLabel(text, rate);
  if (typeof f === "string") throw new Error(f);
  return secondsOfFrame(f, rate);
}

export function labelAt(seconds: number, rate: Rate): string {
  return formatLabel(frameAt(seconds, rate), rate);
}

export function snappedLabel(seconds: number, rate: Rate): string {
  return formatLabel(nearestFrame(seconds, rate), rate);
}
