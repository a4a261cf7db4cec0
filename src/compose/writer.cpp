#include "compose/writer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <set>

#include "compose/random.h"
#include "compose/tonal.h"
#include "compose/voicing.h"
#include "model/chord_model.h"
#include "model/mvs.h"
#include "music/chord.h"
#include "music/instrument.h"
#include "music/pitch.h"
#include "music/theme.h"
#include "music/theme_transform.h"

namespace duet::compose {
namespace {

using time::BeatDur;
using time::BeatPos;
using time::TimePos;
constexpr std::int64_t kQuarter = time::kTicksPerQuarter;

// Speech sits between about 200 Hz and 4 kHz (the fundamentals of most voices and the formants
// that carry the words): MIDI 55 (G3, 196 Hz) to 107 (B7, 3.95 kHz).
constexpr int kSpeechLow = 55;
constexpr int kSpeechHigh = 107;

// Chord qualities in the chord model's order (model::ChordClass): maj, min, dim, aug, sus4.
constexpr std::array<std::array<int, 3>, 5> kQualityTones = {
    {{0, 4, 7}, {0, 3, 7}, {0, 3, 6}, {0, 4, 8}, {0, 5, 7}}};
constexpr std::array<const char*, 5> kQualitySuffix = {"", "m", "dim", "aug", "sus4"};

bool minor_like(music::Mode mode) {
  return !bright(mode);
}

// The harmony voices' parts, bass to soprano.
constexpr std::array<const char*, 4> kVoiceNames = {"Basses", "Cellos", "Violas", "Violins II"};

// ---------------------------------------------------------------- plan

struct SectionPlan {
  BeatPos at, end;
  MusicalControls controls;
  spot::Emotion emotion;
  int tonic = 0;
  music::Mode mode = music::Mode::major;
  bool at_hard_hit = false;
  std::string label, reason;
  std::optional<std::size_t> theme;  // index into the brief's themes
};

double emotion_distance(const spot::Emotion& a, const spot::Emotion& b) {
  return std::abs(a.valence - b.valence) + std::abs(a.arousal - b.arousal) +
         std::abs(a.tension - b.tension);
}

std::string label_of(std::size_t i) {
  std::string out;
  std::size_t n = i;
  do {
    out.insert(out.begin(), static_cast<char>('A' + n % 26));
    n = n / 26;
  } while (n-- > 0);
  return out;
}

std::string fixed2(double v) {
  const long r = std::lround(v * 100);
  std::string s = r < 0 ? "-" : "";
  const long a = std::labs(r);
  s += std::to_string(a / 100) + "." + (a % 100 < 10 ? "0" : "") + std::to_string(a % 100);
  return s;
}

// ---------------------------------------------------------------- harmony

struct Slot {
  BeatPos at;
  BeatDur length;
  std::size_t section = 0;
  int root = 0;     // pitch class
  int quality = 0;  // index into kQualityTones
  std::string role;
  bool forced = false;  // fixed by the plan (cadence) or by a lock
  Voicing voicing{};
  std::array<std::optional<int>, 4> fixed;  // voices given by locked material
  std::vector<int> pcs() const {
    std::vector<int> out;
    for (int t : kQualityTones[static_cast<std::size_t>(quality)])
      out.push_back(music::wrap_pitch_class(root + t));
    return out;
  }
};

std::string symbol_of(int root, int quality, int tonic, music::Mode mode) {
  const music::Key key{music::spell_pitch_class(tonic, true), mode};
  return music::to_string(music::spell_in_key(key, root)) +
         kQualitySuffix[static_cast<std::size_t>(quality)];
}

// The prior weight of a chord (root relative to the tonic, quality) in a mode, from the
// vocabulary: diatonic triads 1, borrowed triads the mixture weight, chromatic mediants of the
// previous chord (a major or minor triad a third away sharing at most one tone) their weight,
// suspended chords on diatonic roots the suspension weight; 0 for the rest. `kind` says which.
double vocabulary_weight(int degree_pc, int quality, music::Mode mode,
                         const HarmonicVocabulary& vocab, int previous_degree_pc,
                         int previous_quality, std::string& kind) {
  const auto steps = steps_of(0, mode);
  const auto parallel = steps_of(0, bright(mode) ? music::Mode::minor : music::Mode::major);
  auto triad_quality = [](const std::array<int, 7>& s, int d) {
    const int third = music::wrap_pitch_class(s[static_cast<std::size_t>((d + 2) % 7)] -
                                              s[static_cast<std::size_t>(d)]);
    const int fifth = music::wrap_pitch_class(s[static_cast<std::size_t>((d + 4) % 7)] -
                                              s[static_cast<std::size_t>(d)]);
    if (third == 4) return fifth == 8 ? 3 : 0;
    return fifth == 6 ? 2 : 1;
  };
  for (int d = 0; d < 7; ++d) {
    if (steps[static_cast<std::size_t>(d)] != degree_pc) continue;
    if (triad_quality(steps, d) == quality) {
      kind = d == 0               ? "tonic"
             : d == 4             ? "dominant"
             : (d == 1 || d == 3) ? "predominant"
                                  : "diatonic";
      return quality == 2 ? 0.3 : 1.0;  // diminished triads are used sparingly
    }
    if (quality == 4) {
      kind = "suspension";
      return vocab.suspensions * 0.5;
    }
  }
  for (int d = 0; d < 7; ++d) {
    if (parallel[static_cast<std::size_t>(d)] != degree_pc) continue;
    if (triad_quality(parallel, d) == quality && mixture_degree(bright(mode), d) && quality < 2) {
      kind = "modal mixture";
      return vocab.modal_mixture;
    }
  }
  const int motion = music::wrap_pitch_class(degree_pc - previous_degree_pc);
  int common = 0;  // tones shared with the previous chord
  for (int a : kQualityTones[static_cast<std::size_t>(quality)])
    for (int b : kQualityTones[static_cast<std::size_t>(previous_quality)])
      if (music::wrap_pitch_class(degree_pc + a) == music::wrap_pitch_class(previous_degree_pc + b))
        ++common;
  if ((motion == 3 || motion == 4 || motion == 8 || motion == 9) && quality < 2 && common <= 1) {
    kind = "chromatic mediant";
    return vocab.chromatic_mediants;
  }
  kind = "chromatic";
  return 0.0;
}

// The diatonic degree (0..6) of a root in a mode, -1 when not diatonic.
int degree_of(int degree_pc, music::Mode mode) {
  const auto steps = steps_of(0, mode);
  for (int d = 0; d < 7; ++d)
    if (steps[static_cast<std::size_t>(d)] == degree_pc) return d;
  return -1;
}

// Notes as a music::Melody from the first note's start (overlaps cut, as a monophonic line).
music::Melody as_melody(const std::vector<ScoreNote>& notes) {
  music::Melody m;
  if (notes.empty()) return m;
  const BeatPos origin = notes.front().start;
  for (const auto& n : notes) {
    if (!m.notes.empty()) {
      auto& last = m.notes.back();
      const BeatPos start = n.start - BeatDur(origin.ticks());
      if (start <= last.start) continue;
      if (last.start + last.length > start) last.length = start - last.start;
    }
    m.notes.push_back({n.start - BeatDur(origin.ticks()), n.length, n.pitch});
    m.length = std::max(m.length, (m.notes.back().start + m.notes.back().length) - BeatPos(0));
  }
  return m;
}

// ---------------------------------------------------------------- orchestra

const music::Instrument& instrument(std::string_view id) {
  const auto* found = music::find_instrument(id);
  // The ids used here are all in music::orchestra(); a missing one is a programming error caught
  // by the tests, so fall back to the first instrument rather than crash.
  return found ? *found : music::orchestra().front();
}

// The orchestra's instrument for a palette program, or the fallback id's.
const music::Instrument& instrument_for(int program, std::string_view fallback) {
  const auto* found = music::instrument_for_program(program);
  if (found && !found->drums) return *found;
  return instrument(fallback);
}

// Moves a pitch by octaves into [low, high] (nearest octave); unchanged when the span is under
// an octave and nothing fits.
int fold_into(int pitch, int low, int high) {
  while (pitch < low && pitch + 12 <= 127)
    pitch += 12;
  while (pitch > high && pitch - 12 >= 0)
    pitch -= 12;
  return pitch;
}

int fit_to(const music::Instrument& inst, int pitch) {
  int p = fold_into(pitch, inst.comfortable_low, inst.comfortable_high);
  if (!inst.in_range(p)) p = fold_into(pitch, inst.low, inst.high);
  return std::clamp(p, inst.low, inst.high);
}

struct PartBuilder {
  Part part;
  const music::Instrument* inst = nullptr;
  void add(BeatPos at, BeatDur length, int pitch, int velocity) {
    if (length.ticks() <= 0) return;
    part.notes.push_back({at, length, pitch, std::clamp(velocity, 1, 127)});
  }
};

// ---------------------------------------------------------------- the writer

class Writer {
 public:
  Writer(const CueBrief& brief, std::uint64_t seed, const WriterModels& models)
      : brief_(brief), cue_(brief.cue), rng_(seed), models_(models) {}

  base::Result<WrittenCue> run();

 private:
  base::Result<void> check();
  base::Result<void> plan();
  void choose_keys(const std::vector<std::size_t>& tagged);
  void harmony();
  void voice();
  void melody();
  void texture();
  void dialogue();
  void apply_locks();
  Score finish();

  TimePos time_at(BeatPos b) const { return score_.tempo_map.time_at(b); }
  spot::Emotion emotion_at(TimePos t) const {
    return cue_.emotion.value_at(t).value_or(spot::Emotion{});
  }
  BeatDur bar_at(BeatPos b) const { return score_.tempo_map.meter_at(b).bar_length(); }
  // Position inside its bar, ticks.
  std::int64_t in_bar(BeatPos b) const {
    const auto bbt = score_.tempo_map.bbt_at(b);
    auto start = score_.tempo_map.beats_at(time::BBT{bbt.bar, 1, 0});
    return start ? (b - *start).ticks() : 0;
  }
  const Slot& slot_at(BeatPos b) const {
    auto it = std::upper_bound(slots_.begin(), slots_.end(), b,
                               [](BeatPos x, const Slot& s) { return x < s.at; });
    return it == slots_.begin() ? slots_.front() : *(it - 1);
  }
  const SectionPlan& section_at(BeatPos b) const {
    for (std::size_t i = sections_.size(); i-- > 0;)
      if (sections_[i].at <= b) return sections_[i];
    return sections_.front();
  }
  bool in_dialogue(BeatPos from, BeatPos to) const {
    for (const auto& [a, b] : dialogue_)
      if (from < b && a < to) return true;
    return false;
  }
  bool locked(const std::string& part, BeatPos at) const {
    for (const auto& l : brief_.locks)
      if ((!l.part || *l.part == part) && l.from <= at && at < l.to) return true;
    return false;
  }

  const CueBrief& brief_;
  const spot::Cue& cue_;
  Rng rng_;
  WriterModels models_;
  WrittenCue out_;
  Score& score_ = out_.score;
  WriterNotes& notes_ = out_.notes;
  BeatPos begin_, end_;
  std::vector<SectionPlan> sections_;
  std::vector<Slot> slots_;
  std::vector<std::pair<BeatPos, BeatPos>> dialogue_;
  std::vector<std::pair<TimePos, TimePos>> dialogue_times_;
  std::vector<BeatPos> hard_hits_;
  // Parts by function.
  PartBuilder melody_, winds_, horns_, stab_, timpani_, drums_, figure_;
  std::array<PartBuilder, 4> voices_;  // bass, tenor, alto, soprano
  std::deque<PartBuilder> extra_;      // parts only the locked score has
};

base::Result<void> Writer::check() {
  if (cue_.out <= cue_.in)
    return base::make_error(base::ErrorKind::out_of_range, "cue ", cue_.id.to_string(),
                            " ends before it starts: its out must be after its in");
  if (!brief_.locks.empty() && !brief_.locked_from)
    return base::make_error(base::ErrorKind::invalid_input,
                            "locks were given without the score they lock (locked_from)");
  for (const auto& l : brief_.locks) {
    if (!(l.from < l.to))
      return base::make_error(base::ErrorKind::invalid_input, "a lock from tick ", l.from.ticks(),
                              " to tick ", l.to.ticks(),
                              " is empty or reversed: its end must be after its start");
    if (l.part) {
      const auto& parts = brief_.locked_from->parts;
      if (std::none_of(parts.begin(), parts.end(),
                       [&](const Part& p) { return p.name == *l.part; }))
        return base::make_error(base::ErrorKind::invalid_input, "a lock names part '", *l.part,
                                "', which the locked score does not have");
    }
  }
  return {};
}

base::Result<void> Writer::plan() {
  const spot::Emotion first = emotion_at(cue_.in);
  for (const auto& w : cue_.dialogue)
    if (w.end > w.start) dialogue_times_.emplace_back(w.start, w.end);

  // Boundaries on the film timeline: the cue's start, every hard hit, and the keyframes where the
  // story turns (a keyframe 0.6 or more (L1) from the feeling the current section started with).
  struct Boundary {
    TimePos at;
    bool hard;
    std::string reason;
  };
  std::vector<Boundary> bounds{{cue_.in, false, "the cue begins"}};
  for (const auto& h : cue_.hits) {
    if (h.kind != spot::HitKind::hard || h.at < cue_.in || h.at >= cue_.out) continue;
    const std::string why = "hard hit '" + h.label + "'";
    if (h.at == cue_.in)
      bounds.front() = {h.at, true, why};
    else
      bounds.push_back({h.at, true, why});
  }
  spot::Emotion reference = first;
  for (const auto& k : cue_.emotion.keys) {
    if (k.at <= cue_.in || k.at >= cue_.out) continue;
    if (emotion_distance(k.value, reference) < 0.6) continue;
    reference = k.value;
    bounds.push_back({k.at, false,
                      "the story turns (valence " + fixed2(k.value.valence) + ", arousal " +
                          fixed2(k.value.arousal) + ", tension " + fixed2(k.value.tension) + ")"});
  }
  std::stable_sort(bounds.begin(), bounds.end(),
                   [](const Boundary& a, const Boundary& b) { return a.at < b.at; });
  // Hard hits always start a section; a turn within 3 s of another boundary or of the end joins
  // what is there.
  const time::TimeDur kNear(3 * time::kSuperclockPerSecond);
  std::vector<Boundary> kept;
  for (const auto& b : bounds) {
    if (!kept.empty() && b.at == kept.back().at) {
      if (b.hard) kept.back() = b;
      continue;
    }
    if (!b.hard && ((!kept.empty() && b.at - kept.back().at < kNear) || cue_.out - b.at < kNear))
      continue;
    if (!b.hard && std::any_of(bounds.begin(), bounds.end(), [&](const Boundary& o) {
          return o.hard && o.at > b.at && o.at - b.at < kNear;
        }))
      continue;
    kept.push_back(b);
  }
  // The controls of each section: the feeling at its middle, its trend over the section.
  std::vector<MusicalControls> controls;
  std::vector<spot::Emotion> feelings;
  for (std::size_t i = 0; i < kept.size(); ++i) {
    const TimePos t0 = kept[i].at, t1 = i + 1 < kept.size() ? kept[i + 1].at : cue_.out;
    const spot::Emotion e = emotion_at(t0 + time::TimeDur((t1 - t0).ticks() / 2));
    auto c = apply_overrides(controls_for(e, trend_of(cue_.emotion, t0, t1)), brief_.overrides);
    if (!c) return c.error();
    controls.push_back(std::move(*c));
    feelings.push_back(e);
  }

  // The tempo map: the locked score's (positions in locks refer to it), the cue's, or one built
  // here: each section at the middle of its controls' tempo range, nudged (at most 15%) so that
  // the next hard hit falls on a downbeat (else on a beat), and a turn of the story on the bar
  // line nearest it.
  std::vector<BeatPos> starts;
  if (brief_.locked_from || cue_.tempo_map) {
    score_.tempo_map = brief_.locked_from ? brief_.locked_from->tempo_map : *cue_.tempo_map;
    for (const auto& b : kept) {
      BeatPos at = score_.tempo_map.beats_at(b.at);
      if (!b.hard) {
        const auto bbt = score_.tempo_map.bbt_at(at);
        if (auto bar = score_.tempo_map.beats_at(time::BBT{bbt.bar, 1, 0})) {
          const BeatPos next = *bar + bar_at(*bar);
          at = (at - *bar) < (next - at) ? *bar : next;
        }
      }
      starts.push_back(at);
    }
  } else {
    std::vector<time::TempoChange> changes;
    BeatPos beat(0);
    TimePos t = cue_.in;
    const std::int64_t sc = time::kSuperclockPerSecond;
    for (std::size_t i = 0; i < kept.size(); ++i) {
      const auto& range = controls[i].tempo.value;
      const std::int64_t bpm =
          std::max<std::int64_t>(1, std::lround((range.min_bpm + range.max_bpm) / 2));
      time::Rational tempo(bpm);
      starts.push_back(beat);
      const bool last = i + 1 == kept.size();
      if (!last) {
        const std::int64_t span = (kept[i + 1].at - t).ticks();  // superclock ticks
        const double quarters =
            static_cast<double>(span) * static_cast<double>(bpm) / (60.0 * static_cast<double>(sc));
        std::int64_t landed = 0;  // quarters to the next boundary
        if (kept[i + 1].hard) {
          for (std::int64_t unit : {4, 1}) {
            const std::int64_t n = std::lround(quarters / static_cast<double>(unit)) * unit;
            const double ratio = static_cast<double>(n) / std::max(quarters, 1e-9);
            if (n >= unit && ratio > 0.85 && ratio < 1.18) {
              landed = n;
              break;
            }
          }
          if (landed > 0) {
            // n quarters in exactly `span` ticks: n * 60 * sc / span quarters per minute.
            tempo = time::Rational(landed * 60 * sc, span);
            beat += BeatDur(landed * kQuarter);
          } else {
            beat += BeatDur(std::llround(quarters * static_cast<double>(kQuarter)));
          }
          t = kept[i + 1].at;
        } else {
          const std::int64_t bars = std::max<std::int64_t>(1, std::lround(quarters / 4.0));
          beat += BeatDur(bars * 4 * kQuarter);
          t += time::TimeDur(bars * 4 * 60 * sc / bpm);
          kept[i + 1].at = t;
        }
      }
      if (!changes.empty() && changes.back().at == starts.back())
        changes.back().tempo = time::Tempo::quarters_per_minute(tempo);  // an empty section
      else if (changes.empty() || !(changes.back().tempo.quarters_per_minute() == tempo))
        changes.push_back({starts.back(), time::Tempo::quarters_per_minute(tempo)});
    }
    auto map = time::TempoMap::create(changes, time::MeterMap{}, cue_.in);
    if (!map) return map.error();
    score_.tempo_map = std::move(*map);
    // A hit is where the map puts its time (to the tick), whatever the arithmetic above rounded.
    for (std::size_t i = 0; i < kept.size(); ++i)
      if (kept[i].hard) starts[i] = score_.tempo_map.beats_at(kept[i].at);
    notes_.log.push_back("tempo map from the emotion mapping (the cue has none): " +
                         std::to_string(changes.size()) + " tempo(s)");
  }
  begin_ = std::max(BeatPos(0), score_.tempo_map.beats_at(cue_.in));
  end_ = score_.tempo_map.beats_at(cue_.out);
  if (end_ - begin_ < BeatDur(kQuarter))
    return base::make_error(base::ErrorKind::out_of_range, "cue ", cue_.id.to_string(),
                            " is shorter than one beat at its tempo: nothing to write");
  score_.end = end_;
  // Windows widened to whole beat ticks around them (beats_at rounds to the nearest tick).
  for (const auto& [a, b] : dialogue_times_) {
    BeatPos from = score_.tempo_map.beats_at(a), to = score_.tempo_map.beats_at(b);
    while (score_.tempo_map.time_at(from) > a)
      from -= BeatDur(1);
    while (score_.tempo_map.time_at(to) < b)
      to += BeatDur(1);
    dialogue_.emplace_back(from, to);
  }
  for (const auto& h : cue_.hits) {
    const BeatPos b = score_.tempo_map.beats_at(h.at);
    if (b < begin_ || b >= end_) continue;
    score_.hits.push_back({b, h.label, h.kind == spot::HitKind::hard});
    if (h.kind == spot::HitKind::hard) hard_hits_.push_back(b);
  }
  std::sort(hard_hits_.begin(), hard_hits_.end());
  hard_hits_.erase(std::unique(hard_hits_.begin(), hard_hits_.end()), hard_hits_.end());

  for (std::size_t i = 0; i < kept.size(); ++i) {
    SectionPlan s;
    s.at = std::max(starts[i], begin_);
    s.end = i + 1 < kept.size() ? starts[i + 1] : end_;
    if (s.end <= s.at) continue;  // a turn snapped onto the next boundary
    s.at_hard_hit = kept[i].hard;
    s.reason = kept[i].reason;
    s.label = label_of(sections_.size());
    s.emotion = feelings[i];
    s.controls = controls[i];
    s.tonic = s.controls.tonic.value;
    s.mode = s.controls.mode.value;
    sections_.push_back(std::move(s));
  }
  for (std::size_t i = 0; i + 1 < sections_.size(); ++i)
    sections_[i].end = sections_[i + 1].at;
  if (!sections_.empty()) sections_.back().end = end_;
  // Themes: the cue's tags that the brief has, in the cue's order, given to every other section
  // (A, C, E...), the first tag first.
  std::vector<std::size_t> tagged;
  for (const auto& name : cue_.themes)
    for (std::size_t i = 0; i < brief_.themes.size(); ++i)
      if (brief_.themes[i].name == name && !brief_.themes[i].notes.empty()) tagged.push_back(i);
  if (!tagged.empty())
    for (std::size_t i = 0; i < sections_.size(); i += 2)
      sections_[i].theme = tagged[(i / 2) % tagged.size()];
  choose_keys(tagged);
  for (const auto& s : sections_) {
    score_.sections.push_back({s.at, s.label, s.reason,
                               music::Key{music::spell_pitch_class(s.tonic, true), s.mode},
                               score_.tempo_map.quarters_per_minute_at(s.at), s.emotion.valence,
                               s.emotion.arousal, s.emotion.tension});
    notes_.log.push_back("section " + s.label + " at tick " + std::to_string(s.at.ticks()) + ": " +
                         s.reason + "; " + describe(s.controls, "mode") + ", " +
                         describe(s.controls, "tempo"));
  }
  return {};
}

// Tonics that lie well on strings (open strings G D A E and C of the violas and cellos as tonic or
// dominant, and the flat keys of the orchestral repertoire): D, G, C, F, Bb, E, A. The mode of
// each section still comes from the mapping (D major, E minor, A minor ...).
constexpr std::array<int, 7> kStringTonics = {2, 7, 0, 5, 10, 4, 9};

// FNV-1a, 64 bits: a hash that is the same on every platform and in every run (std::hash is not).
std::uint64_t stable_hash(std::string_view text) {
  std::uint64_t h = 14695981039346656037ull;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

// The cue's home tonic and the modulations: the composer's tonic override wins (every section in
// it, no modulation); else the first featured theme's registered tonic; else a string-friendly
// tonic chosen by the cue id. Where the story turns up (a section whose target tension is 0.2 or
// more above the section before), the key moves up a whole step, or to the chromatic mediant a
// major third up when the tension rises by 0.5 or more; harmony() approaches every new key
// through its dominant.
void Writer::choose_keys(const std::vector<std::size_t>& tagged) {
  if (sections_.empty()) return;
  if (brief_.overrides.tonic) {
    notes_.log.push_back("key: the composer's tonic " +
                         music::to_string(music::spell_pitch_class(*brief_.overrides.tonic, true)) +
                         " in every section");
    return;
  }
  int tonic = 0;
  std::string why;
  if (!tagged.empty()) {
    const auto& theme = brief_.themes[tagged.front()];
    tonic = theme.key.tonic.pitch_class();
    why = "the tonic of theme '" + theme.name + "' (" + music::to_string(theme.key) + ")";
  } else {
    const std::string id = cue_.id.to_string();
    tonic = kStringTonics[stable_hash(id) % kStringTonics.size()];
    why = "a string-friendly tonic chosen by the cue id " + id;
  }
  notes_.log.push_back("key: " + music::to_string(music::spell_pitch_class(tonic, true)) + ", " +
                       why);
  for (std::size_t i = 0; i < sections_.size(); ++i) {
    auto& s = sections_[i];
    if (i > 0) {
      const double rise = s.emotion.tension - sections_[i - 1].emotion.tension;
      if (rise >= 0.2) {
        const int up = rise >= 0.5 ? 4 : 2;
        tonic = music::wrap_pitch_class(tonic + up);
        notes_.log.push_back("section " + s.label + ": modulates " +
                             (up == 4 ? "to the chromatic mediant" : "up a whole step") + " to " +
                             music::to_string(music::spell_pitch_class(tonic, true)) +
                             " (tension rises by " + fixed2(rise) + ")");
      }
    }
    s.tonic = tonic;
  }
}

void Writer::harmony() {
  for (std::size_t si = 0; si < sections_.size(); ++si) {
    const auto& s = sections_[si];
    const BeatDur step(static_cast<std::int64_t>(beats_per_chord(s.controls.harmonic_rhythm.value) *
                                                 static_cast<double>(kQuarter)));
    std::vector<Slot> here;
    for (BeatPos at = s.at; at < s.end; at += step) {
      BeatPos next = std::min(at + step, s.end);
      // A remainder shorter than a beat joins the chord before it.
      if (s.end - next < BeatDur(kQuarter)) next = s.end;
      Slot slot;
      slot.at = at;
      slot.length = next - at;
      slot.section = si;
      here.push_back(slot);
      if (next == s.end) break;
    }
    const bool last = si + 1 == sections_.size();
    // A hard hit, or a new key, is approached through the next section's dominant.
    const bool next_hard =
        !last && (sections_[si + 1].at_hard_hit || sections_[si + 1].tonic != s.tonic);
    // The cadences: a dominant at the end of a section that leads into a hard hit (of the next
    // section's key) or ends the cue; the tonic on the hit and at the very end.
    if (last && here.size() >= 2) {
      here.back().root = s.tonic;
      here.back().quality = minor_like(s.mode) ? 1 : 0;
      here.back().role = "cadence";
      here.back().forced = true;
      ++notes_.cadences;
    }
    if ((next_hard || last) && here.size() >= 2) {
      const int key_tonic = last ? s.tonic : sections_[si + 1].tonic;
      Slot& d = last ? here[here.size() - 2] : here.back();
      d.root = music::wrap_pitch_class(key_tonic + 7);
      d.quality = 0;  // the major dominant (the raised leading tone in minor)
      d.role = "dominant";
      d.forced = true;
    }
    Slot& head = here.front();
    head.root = s.tonic;
    head.quality = minor_like(s.mode) ? 1 : 0;
    head.role = s.at_hard_hit ? "cadence" : "tonic";
    head.forced = true;
    if (s.at_hard_hit) ++notes_.cadences;
    for (auto& slot : here)
      slots_.push_back(std::move(slot));
  }
  // Locked chords: whole-score locks keep the locked score's chord symbols.
  if (brief_.locked_from)
    for (auto& slot : slots_) {
      for (const auto& l : brief_.locks) {
        if (l.part || slot.at < l.from || slot.at >= l.to) continue;
        for (const auto& c : brief_.locked_from->chords) {
          if (c.at > slot.at || slot.at >= c.at + c.length) continue;
          auto parsed = music::parse_chord_symbol(c.symbol, music::ChordNotation::lead_sheet);
          if (!parsed) continue;
          // music::TriadClass is in the chord model's order (maj, min, dim, aug, sus).
          slot.root = parsed->root.pitch_class();
          slot.quality = static_cast<int>(parsed->triad());
          slot.role = c.role;
          slot.forced = true;
        }
      }
    }

  // Locked voices: a voice whose part is locked at a chord's start keeps the locked pitch.
  if (brief_.locked_from)
    for (auto& slot : slots_)
      for (std::size_t v = 0; v < 4; ++v) {
        if (!locked(kVoiceNames[v], slot.at)) continue;
        for (const auto& p : brief_.locked_from->parts) {
          if (p.name != kVoiceNames[v]) continue;
          for (const auto& n : p.notes)
            if (n.start <= slot.at && slot.at < n.start + n.length)
              slot.fixed[v] = std::max(slot.fixed[v].value_or(0), n.pitch);
        }
      }

  // The free chords, in order: the chord model's distribution (given the cue's progression so
  // far, relative to the section's tonic) times the vocabulary's weights; without a model the
  // functional moves table.
  std::vector<model::ChordItem> items;
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    Slot& slot = slots_[i];
    const auto& s = sections_[slot.section];
    const int prev_degree = i == 0 ? 0 : music::wrap_pitch_class(slots_[i - 1].root - s.tonic);
    const int prev_symbol = i == 0 ? -1 : 5 * prev_degree + slots_[i - 1].quality;
    if (!slot.forced) {
      std::vector<double> dist;
      if (models_.chords) {
        auto with_next = items;
        with_next.push_back(model::ChordItem{0, 0, -1});
        const auto predicted = models_.chords->predict(with_next, minor_like(s.mode));
        if (!predicted.empty()) dist = predicted.back();
      }
      std::array<double, model::kChordSymbols> weights{};
      std::array<std::string, model::kChordSymbols> kinds;
      const int prev_deg_index = degree_of(prev_degree, s.mode);
      double total = 0;
      // Chords that hold the locked voices' pitches first; any chord when none does.
      const auto holds_locked = [&](int sym) {
        for (const auto& f : slot.fixed) {
          if (!f) continue;
          const auto& tones = kQualityTones[static_cast<std::size_t>(sym % 5)];
          if (std::none_of(tones.begin(), tones.end(), [&](int t) {
                return music::wrap_pitch_class(s.tonic + sym / 5 + t) ==
                       music::wrap_pitch_class(*f);
              }))
            return false;
        }
        return true;
      };
      const bool any_holds = [&] {
        for (int sym = 0; sym < model::kChordSymbols; ++sym) {
          std::string unused;
          if (sym != prev_symbol && holds_locked(sym) &&
              vocabulary_weight(sym / 5, sym % 5, s.mode, s.controls.vocabulary.value, prev_degree,
                                i == 0 ? 0 : slots_[i - 1].quality, unused) > 0)
            return true;
        }
        return false;
      }();
      for (int sym = 0; sym < model::kChordSymbols; ++sym) {
        const int degree_pc = sym / 5, quality = sym % 5;
        if (sym == prev_symbol) continue;  // a repeated chord is a held chord, not a new one
        if (any_holds && !holds_locked(sym)) continue;
        const double prior = vocabulary_weight(
            degree_pc, quality, s.mode, s.controls.vocabulary.value, prev_degree,
            i == 0 ? 0 : slots_[i - 1].quality, kinds[static_cast<std::size_t>(sym)]);
        if (prior <= 0) continue;
        double w = prior;
        if (dist.size() == model::kChordSymbols) {
          w *= dist[static_cast<std::size_t>(sym)] + 1e-4;
        } else {
          const int d = degree_of(degree_pc, s.mode);
          const double move =
              d >= 0 ? kMoves[static_cast<std::size_t>(prev_deg_index < 0 ? 0 : prev_deg_index)]
                             [static_cast<std::size_t>(d)]
                     : 0.1;
          w *= move + 0.02;
        }
        weights[static_cast<std::size_t>(sym)] = w;
        total += w;
      }
      int chosen = minor_like(s.mode) ? 1 : 0;
      kinds[static_cast<std::size_t>(chosen)] = "tonic";
      if (total > 0) chosen = static_cast<int>(rng_.pick(weights));
      slot.root = music::wrap_pitch_class(s.tonic + chosen / 5);
      slot.quality = chosen % 5;
      slot.role = kinds[static_cast<std::size_t>(chosen)];
      if (dist.size() == model::kChordSymbols)
        ++notes_.chords_from_model;
      else
        ++notes_.chords_from_table;
    }
    const int degree = music::wrap_pitch_class(slot.root - s.tonic);
    items.push_back(model::ChordItem{5 * degree + slot.quality,
                                     static_cast<int>(slot.length.ticks() / kQuarter), -1});
  }
}

void Writer::voice() {
  // Harmony voices: the string section (double basses, cellos, violas, second violins), their
  // ranges the comfortable ranges narrowed to a four-part texture's registers.
  static constexpr std::array<const char*, 4> kIds = {"double_bass", "cello", "viola", "violin"};
  static constexpr std::array<VoiceRange, 4> kRegisters = {
      {{36, 55}, {48, 67}, {55, 72}, {60, 79}}};
  std::array<VoiceRange, 4> ranges;
  const int acc = sections_.front().controls.palette.value.accompaniment;
  const bool ensemble = acc == 44 || acc == 45 || acc == 48 || acc == 49;
  for (std::size_t v = 0; v < 4; ++v) {
    const auto& inst = instrument(kIds[v]);
    voices_[v].inst = &inst;
    voices_[v].part.name = kVoiceNames[v];
    voices_[v].part.instrument = inst.id;
    voices_[v].part.program = ensemble && v > 0 ? acc : inst.program;
    voices_[v].part.role = v == 0 ? Role::bass : Role::harmony;
    ranges[v] = {std::max(kRegisters[v].low, inst.comfortable_low),
                 std::min(kRegisters[v].high, inst.comfortable_high)};
  }
  std::optional<Voicing> previous;
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    Slot& slot = slots_[i];
    VoicingRequest req;
    req.pitch_classes = slot.pcs();
    req.bass_classes = {slot.root};
    // First inversions colour the free major and minor chords; cadences stay in root position.
    if (!slot.forced && slot.quality <= 1 && rng_.chance(0.3))
      req.bass_classes.push_back(req.pitch_classes[1]);
    req.ranges = ranges;
    req.previous = previous;
    req.fixed = slot.fixed;
    if (i + 1 < slots_.size() && std::all_of(slots_[i + 1].fixed.begin(), slots_[i + 1].fixed.end(),
                                             [](const auto& f) { return f.has_value(); }))
      req.next = Voicing{*slots_[i + 1].fixed[0], *slots_[i + 1].fixed[1], *slots_[i + 1].fixed[2],
                         *slots_[i + 1].fixed[3]};
    auto choice = choose_voicing(req);
    if (choice && !choice->keeps_rules && req.bass_classes.size() == 1 && slot.quality <= 1) {
      // Try the inversion before giving up on the rules.
      req.bass_classes.push_back(req.pitch_classes[1]);
      if (auto again = choose_voicing(req); again && again->keeps_rules) choice = again;
    }
    if (!choice || !choice->keeps_rules) ++notes_.voicing_fallbacks;
    slot.voicing = choice ? choice->voicing
                          : Voicing{ranges[0].low, ranges[1].low, ranges[2].low, ranges[3].low};
    previous = slot.voicing;
    const auto& s = sections_[slot.section];
    score_.chords.push_back(
        {slot.at, slot.length, symbol_of(slot.root, slot.quality, s.tonic, s.mode), slot.role});
  }
}

// The velocity at a position of a section: inside its dynamics, following its crescendo.
int velocity_at(const SectionPlan& s, BeatPos at) {
  const auto& d = s.controls.dynamics.value;
  const double span = static_cast<double>((s.end - s.at).ticks());
  const double x = span > 0 ? static_cast<double>((at - s.at).ticks()) / span : 0.0;
  const double mid = (d.min_velocity + d.max_velocity) / 2.0;
  const double half = (d.max_velocity - d.min_velocity) / 2.0;
  const double v = mid + half * d.crescendo * (2 * x - 1);
  return std::clamp(static_cast<int>(std::lround(v)), 1, 127);
}

// One statement of a theme variant: the steps that make it from the registered theme (replayable
// with music::apply_steps in the theme's key), the variant they make and where it starts.
struct Statement {
  std::vector<music::TransformStep> steps;
  music::Variant variant;
  BeatPos at;
};

music::TransformStep step_of(music::StepKind kind) {
  music::TransformStep step;
  step.kind = kind;
  return step;
}

BeatDur end_of(const music::Melody& m) {
  return m.notes.empty() ? BeatDur(0) : (m.notes.back().start + m.notes.back().length) - BeatPos(0);
}

// The statements of a theme in a section, chosen from the section's feeling (docs/composing.md):
// always moved to the section's key and mode (`key`); then, in order of precedence,
//   tension >= 0.5 and arousal > 0.3: the head motif (half the notes, 2..4) stated three times
//                                     in a sequence rising a scale step each time;
//   tension >= 0.5:                   inverted (the theme turned upside down, diatonically);
//   arousal < -0.25 and room for it:  augmented x2;
//   density > 2 and it does not fit:  diminished x1/2 (when half of it fits);
//   otherwise as written;
// cut to the notes that fit the section (at least two, else no theme).
std::vector<Statement> theme_statements(const music::Melody& theme, const music::Key& theme_key,
                                        const SectionPlan& s) {
  using music::StepKind;
  std::vector<music::TransformStep> base;
  auto key = step_of(StepKind::key);
  key.key = music::Key{music::spell_pitch_class(s.tonic, true), s.mode};
  base.push_back(key);
  const std::int64_t room = (s.end - s.at).ticks();
  const std::int64_t length = end_of(theme).ticks();
  const auto& e = s.emotion;
  const int count = static_cast<int>(theme.notes.size());
  int repeats = 1;
  if (e.tension >= 0.5 && e.arousal > 0.3 && count >= 4) {
    auto head = step_of(StepKind::fragment_notes);
    head.amount = std::clamp((count + 1) / 2, 2, 4);
    base.push_back(head);
    repeats = 3;
  } else if (e.tension >= 0.5) {
    base.push_back(step_of(StepKind::invert));
  } else if (e.arousal < -0.25 && room >= 2 * length) {
    auto slow = step_of(StepKind::augment);
    slow.ratio = time::Rational(2);
    base.push_back(slow);
  } else if (s.controls.density.value > 2.0 && length > room && 2 * room >= length) {
    auto fast = step_of(StepKind::augment);
    fast.ratio = time::Rational(1, 2);
    base.push_back(fast);
  }
  auto first = music::apply_steps(theme, theme_key, base);
  if (!first) return {};
  int fits = 0;
  for (const auto& n : first->melody.notes) {
    if ((n.start + n.length).ticks() > room) break;
    ++fits;
  }
  if (fits < 2) return {};
  if (fits < static_cast<int>(first->melody.notes.size())) {
    auto head = step_of(StepKind::fragment_notes);
    head.amount = fits;
    base.push_back(head);
    first = music::apply_steps(theme, theme_key, base);
    if (!first) return {};
  }
  std::vector<Statement> out;
  out.push_back({base, *first, s.at});
  // The sequence: each statement a whole number of beats after the one before.
  const std::int64_t span = (end_of(first->melody).ticks() + kQuarter - 1) / kQuarter * kQuarter;
  for (int j = 1; j < repeats; ++j) {
    const std::int64_t offset = span * j;
    if (offset + end_of(first->melody).ticks() > room) break;
    auto steps = base;
    auto up = step_of(StepKind::transpose_diatonic);
    up.amount = j;
    steps.push_back(up);
    auto v = music::apply_steps(theme, theme_key, steps);
    if (!v) break;
    out.push_back({std::move(steps), std::move(*v), s.at + BeatDur(offset)});
  }
  return out;
}

void Writer::melody() {
  const auto& first = sections_.front().controls;
  const auto& inst = instrument_for(first.palette.value.melody, "violin");
  melody_.inst = &inst;
  // The string section's names belong to the harmony voices; a string melody is a solo line.
  melody_.part.name = inst.id == "violin"        ? std::string("Violins I")
                      : inst.id == "viola"       ? std::string("Viola solo")
                      : inst.id == "cello"       ? std::string("Cello solo")
                      : inst.id == "double_bass" ? std::string("Bass solo")
                                                 : inst.name;
  melody_.part.instrument = inst.id;
  melody_.part.program = first.palette.value.melody;
  melody_.part.role = Role::melody;
  std::vector<ScoreNote>& notes = melody_.part.notes;

  for (const auto& s : sections_) {
    const auto& c = s.controls;
    // The register, moved by octaves into the instrument's comfortable range.
    Register reg = c.register_span.value;
    while (reg.high() > inst.comfortable_high && reg.low() - 12 >= inst.comfortable_low)
      reg.centre -= 12;
    while (reg.low() < inst.comfortable_low && reg.high() + 12 <= inst.comfortable_high)
      reg.centre += 12;
    const int low = std::max(reg.low(), inst.comfortable_low);
    const int high = std::min(reg.high(), inst.comfortable_high);
    const auto steps = steps_of(s.tonic, s.mode);
    BeatPos at = s.at;

    // A theme variant first, when the section has one: one statement, or a head motif stated in
    // a rising sequence, each made by music::apply_steps and recorded as its replayable steps.
    if (s.theme) {
      const auto& theme = brief_.themes[*s.theme];
      const music::Melody registered = as_melody(theme.notes);
      auto statements = theme_statements(registered, theme.key, s);
      if (!statements.empty()) {
        // Octaves, one move for every statement (a sequence stays in one register): the middle
        // nearest the register's centre, then inside the comfortable, then the playable range.
        int lo = 127, hi = 0;
        for (const auto& st : statements)
          for (const auto& n : st.variant.melody.notes) {
            lo = std::min(lo, n.pitch);
            hi = std::max(hi, n.pitch);
          }
        int octave = static_cast<int>(std::lround((reg.centre - (lo + hi) / 2.0) / 12.0)) * 12;
        while (lo + octave < inst.comfortable_low && hi + octave + 12 <= inst.comfortable_high)
          octave += 12;
        while (hi + octave > inst.comfortable_high && lo + octave - 12 >= inst.comfortable_low)
          octave -= 12;
        while (hi + octave > inst.high && lo + octave - 12 >= 0)
          octave -= 12;
        while (lo + octave < inst.low && hi + octave + 12 <= 127)
          octave += 12;
        for (auto& st : statements) {
          if (octave != 0) {
            // Whole octaves keep the theme's intervals; the move is a step of the record.
            music::TransformStep move;
            move.kind = music::StepKind::transpose;
            move.amount = octave;
            st.steps.push_back(move);
            auto moved = music::apply_steps(registered, theme.key, st.steps);
            if (!moved) continue;  // unreachable: the octave keeps every pitch in 0..127
            st.variant = std::move(*moved);
          }
          std::vector<ScoreNote> placed;
          for (const auto& n : st.variant.melody.notes) {
            const BeatPos start = st.at + BeatDur(n.start.ticks());
            // Only a note the instrument cannot play is folded (a theme wider than its range).
            const int pitch = inst.in_range(n.pitch) ? n.pitch : fit_to(inst, n.pitch);
            placed.push_back(
                {start, std::min(n.length, s.end - start), pitch, velocity_at(s, start)});
          }
          // Recognisability as the themes registry measures it (music::recognisability: an
          // alignment of intervals, contour and rhythm; a fragment scaled by what it covers).
          const double recognised = music::recognisability(registered, st.variant.melody);
          const BeatPos v_end = placed.back().start + placed.back().length;
          score_.themes.push_back({theme.name, music::to_string(st.steps), melody_.part.name, st.at,
                                   v_end - st.at, recognised});
          notes_.melody_from_themes += static_cast<int>(placed.size());
          notes_.log.push_back("section " + s.label + ": theme '" + theme.name + "' (" +
                               st.variant.derivation() + "; recognisability " + fixed2(recognised) +
                               ")");
          for (auto& n : placed)
            notes.push_back(n);
          // The model continues after the last statement (a note sounding past it is cut).
          at = std::max(at, v_end);
        }
      }
    }

    // The rest: onsets at the section's density, pitches from the melody model or weighted
    // steps, chord tones on strong beats.
    const double ioi_mean = 1.0 / std::clamp(c.density.value, 0.25, 4.0);  // quarters
    static constexpr std::array<double, 7> kIois = {0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0};
    std::array<double, 7> ioi_weights{};
    for (std::size_t i = 0; i < kIois.size(); ++i)
      ioi_weights[i] = std::exp(-2.0 * std::abs(std::log2(kIois[i] / ioi_mean)));
    int previous = notes.empty() ? reg.centre : notes.back().pitch;
    while (at < s.end) {
      BeatDur ioi(static_cast<std::int64_t>(kIois[rng_.pick(ioi_weights)] * kQuarter));
      if (at + ioi > s.end) ioi = s.end - at;
      const Slot& slot = slot_at(at);
      const std::int64_t pos = in_bar(at);
      const std::int64_t half_bar = bar_at(at).ticks() / 2;
      const bool strong = at == slot.at || (half_bar > 0 && pos % half_bar == 0);
      const auto chord = slot.pcs();
      std::vector<int> candidates;
      for (int p = low; p <= high; ++p) {
        const int pc = music::wrap_pitch_class(p);
        const bool chord_tone = std::find(chord.begin(), chord.end(), pc) != chord.end();
        const bool scale_tone = std::find(steps.begin(), steps.end(),
                                          music::wrap_pitch_class(pc - s.tonic)) != steps.end();
        if (strong ? chord_tone : (chord_tone || scale_tone)) candidates.push_back(p);
      }
      if (candidates.empty()) candidates.push_back(fit_to(inst, previous));
      std::vector<double> w(candidates.size(), 0.0);
      bool from_model = false;
      if (models_.melody) {
        model::Melody context;
        const std::size_t take = std::min<std::size_t>(notes.size(), 12);
        for (std::size_t i = notes.size() - take; i < notes.size(); ++i) {
          const auto& n = notes[i];
          context.notes.push_back({n.pitch, n.start, n.length, BeatDur(in_bar(n.start)),
                                   model::MeterContext{},
                                   model::KeyContext{s.tonic, minor_like(s.mode)}});
        }
        model::MelodyNote next{previous,
                               at,
                               ioi,
                               BeatDur(pos),
                               model::MeterContext{},
                               model::KeyContext{s.tonic, minor_like(s.mode)}};
        const auto pred = models_.melody->predict_next(context, next);
        const auto& domain = models_.melody->pitch_domain();
        if (pred.distribution.size() == domain.size() && !domain.empty()) {
          from_model = true;
          for (std::size_t i = 0; i < candidates.size(); ++i) {
            auto it = std::lower_bound(domain.begin(), domain.end(), candidates[i]);
            const double p = it != domain.end() && *it == candidates[i]
                                 ? pred.distribution[static_cast<std::size_t>(it - domain.begin())]
                                 : 0.0;
            // The corpus knows chorales, not this register: a mild pull to stepwise motion keeps
            // its leaps idiomatic when it has little to say.
            const int leap = std::abs(candidates[i] - previous);
            w[i] = (p + 1e-3) * (leap > 12 ? 0.05 : 1.0);
          }
        }
      }
      if (!from_model) {
        for (std::size_t i = 0; i < candidates.size(); ++i) {
          const int leap = std::abs(candidates[i] - previous);
          const double step = leap == 0    ? 0.3
                              : leap <= 2  ? 1.0
                              : leap <= 4  ? 0.6
                              : leap <= 7  ? 0.3
                              : leap <= 12 ? 0.1
                                           : 0.0;
          const double pull =
              std::exp(-std::abs(candidates[i] - reg.centre) / std::max(2.0, reg.span / 2.0));
          w[i] = step * pull + 1e-6;
        }
      }
      const int pitch = candidates[rng_.pick(w)];
      if (from_model)
        ++notes_.melody_from_model;
      else
        ++notes_.melody_from_rules;
      const auto len = BeatDur(std::max<std::int64_t>(
          static_cast<std::int64_t>(static_cast<double>(ioi.ticks()) * c.legato.value),
          kQuarter / 8));
      notes.push_back({at, std::min(len, ioi), pitch, velocity_at(s, at) + (pos == 0 ? 8 : 0)});
      previous = pitch;
      at += ioi;
    }
  }
  for (auto& n : notes)
    if (!inst.in_range(n.pitch)) n.pitch = fit_to(inst, n.pitch);
}

void Writer::texture() {
  const auto& first = sections_.front().controls;
  // Figuration (arpeggios) on the harp, or the palette's accompaniment when it is a keyboard.
  const auto& fig = instrument_for(first.palette.value.accompaniment, "harp");
  const auto& fig_inst =
      fig.family == music::Family::strings && fig.id != "harp" ? instrument("harp") : fig;
  figure_.inst = &fig_inst;
  figure_.part = {fig_inst.name, fig_inst.id, fig_inst.program, 0, Role::ostinato, {}};
  const auto& stab = instrument("trombone");
  stab_.inst = &stab;
  stab_.part = {"Trombones", stab.id, stab.program, 0, Role::pad, {}};
  const auto& timp = instrument("timpani");
  timpani_.inst = &timp;
  timpani_.part = {timp.name, timp.id, timp.program, 0, Role::percussion, {}};
  const auto& drums = instrument("drums");
  drums_.inst = &drums;
  drums_.part = {"Percussion", drums.id, 0, 9, Role::percussion, {}};
  const auto& horn = instrument("horn");
  horns_.inst = &horn;
  horns_.part = {"Horns", horn.id, horn.program, 0, Role::pad, {}};
  const auto& clarinet = instrument("clarinet");
  winds_.inst = &clarinet;
  winds_.part = {"Clarinets", clarinet.id, clarinet.program, 0, Role::pad, {}};

  for (const auto& slot : slots_) {
    const auto& s = sections_[slot.section];
    const double arousal = s.emotion.arousal;
    const double activity = s.controls.activity.value;
    const double legato = s.controls.legato.value;
    const BeatPos slot_end = slot.at + slot.length;
    const int vel = velocity_at(s, slot.at);
    if (arousal > 0.3) {
      // Pulses: the harmony voices repeat the chord in eighths (or quarters when less active),
      // short, the downbeats accented; a low drum on the beats.
      const BeatDur pulse(activity > 0.6 ? kQuarter / 2 : kQuarter);
      for (BeatPos at = slot.at; at < slot_end; at += pulse) {
        const BeatDur len = std::min(
            BeatDur(std::max<std::int64_t>(
                static_cast<std::int64_t>(static_cast<double>(pulse.ticks()) * legato), 60)),
            slot_end - at);
        const int accent = in_bar(at) == 0 ? 10 : 0;
        for (std::size_t v = 0; v < 4; ++v)
          voices_[v].add(at, len, slot.voicing[v], vel - 6 + accent);
        if ((at - slot.at).ticks() % kQuarter == 0)
          drums_.add(at, std::min(BeatDur(kQuarter / 4), slot_end - at), 41,
                     vel - 10 + accent);  // low floor tom
      }
      // Horns hold the inner voices under the pulse for weight.
      std::set<int> held = {fit_to(horn, slot.voicing[1]), fit_to(horn, slot.voicing[2])};
      for (int p : held)
        horns_.add(slot.at, slot.length, p, vel - 10);
    } else {
      // Sustained chords (pads); between calm and active, a harp arpeggio over them.
      for (std::size_t v = 0; v < 4; ++v)
        voices_[v].add(slot.at, slot.length, slot.voicing[v], vel - (arousal < -0.25 ? 0 : 12));
      if (arousal >= -0.25) {
        const BeatDur step(activity > 0.45 ? kQuarter / 2 : kQuarter);
        const std::array<int, 4> figure = {slot.voicing[1], slot.voicing[2], slot.voicing[3],
                                           slot.voicing[1] + 12};
        std::size_t k = 0;
        for (BeatPos at = slot.at; at < slot_end; at += step, ++k) {
          const int p = fit_to(fig_inst, figure[k % figure.size()]);
          figure_.add(at, std::min(step, slot_end - at), p, vel - 8);
        }
        // A clarinet doubles the top voice, a woodwind colour over the strings.
        winds_.add(slot.at, slot.length, fit_to(clarinet, slot.voicing[3]), vel - 14);
      }
    }
  }
  // Accents on hard hits (and hits marked for an accent): a trombone stab of the chord, a
  // cymbal crash and a timpani stroke on the chord's root.
  std::vector<BeatPos> accents = hard_hits_;
  for (const auto& h : cue_.hits)
    if (h.accent) {
      const BeatPos b = score_.tempo_map.beats_at(h.at);
      if (b >= begin_ && b < end_) accents.push_back(b);
    }
  std::sort(accents.begin(), accents.end());
  accents.erase(std::unique(accents.begin(), accents.end()), accents.end());
  for (BeatPos at : accents) {
    const Slot& slot = slot_at(at);
    const BeatDur len = std::min(BeatDur(kQuarter / 2), end_ - at);
    const auto& s = section_at(at);
    const int vel = std::min(127, s.controls.dynamics.value.max_velocity + 15);
    std::set<int> stab_pitches;
    for (std::size_t v = 1; v < 4; ++v)
      stab_pitches.insert(fit_to(stab, slot.voicing[v]));
    for (int p : stab_pitches)
      stab_.add(at, len, p, vel);
    timpani_.add(at, std::min(BeatDur(kQuarter), end_ - at), fit_to(timp, slot.root + 36), vel);
    drums_.add(at, std::min(BeatDur(2 * kQuarter), end_ - at), 49, vel);  // crash cymbal 1
  }
}

void Writer::dialogue() {
  // Thin the texture under speech: the melody, the upper harmony voices and the figuration rest
  // (they sit in the 200 Hz - 4 kHz speech register); the bass, the tenor and the pulse play
  // softer; a stab on a hard hit stays, softer.
  auto clear = [&](PartBuilder& b, bool speech_register_only) {
    std::vector<ScoreNote> kept;
    for (auto n : b.part.notes) {
      const BeatPos n_end = n.start + n.length;
      const bool in_speech = n.pitch >= kSpeechLow && n.pitch <= kSpeechHigh;
      if (!in_dialogue(n.start, n_end) || (speech_register_only && !in_speech)) {
        kept.push_back(n);
        continue;
      }
      // Keep the part before the window when the note starts before it.
      for (const auto& [a, e] : dialogue_)
        if (n.start < a && a < n_end) n.length = std::min(n.length, a - n.start);
      if (!in_dialogue(n.start, n.start + n.length)) kept.push_back(n);
    }
    b.part.notes = std::move(kept);
  };
  auto soften = [&](PartBuilder& b) {
    for (auto& n : b.part.notes)
      if (in_dialogue(n.start, n.start + n.length)) n.velocity = std::max(1, n.velocity * 7 / 10);
  };
  clear(melody_, false);
  clear(figure_, false);
  clear(winds_, false);
  clear(horns_, false);
  clear(voices_[3], false);
  clear(voices_[2], false);
  // Pulse drums rest; accents (hits) stay.
  {
    std::vector<ScoreNote> kept;
    for (const auto& n : drums_.part.notes)
      if (n.pitch == 49 || !in_dialogue(n.start, n.start + n.length)) kept.push_back(n);
    drums_.part.notes = std::move(kept);
  }
  soften(voices_[1]);
  soften(voices_[0]);
  soften(stab_);
  soften(timpani_);
  soften(drums_);
}

void Writer::apply_locks() {
  if (!brief_.locked_from) return;
  const auto& from = *brief_.locked_from;
  std::vector<PartBuilder*> builders = {&melody_,    &winds_,     &horns_,    &stab_,
                                        &timpani_,   &drums_,     &figure_,   &voices_[3],
                                        &voices_[2], &voices_[1], &voices_[0]};
  for (const auto& src : from.parts) {
    PartBuilder* target = nullptr;
    for (auto* b : builders)
      if (b->part.name == src.name) target = b;
    std::vector<ScoreNote> locked_notes;
    for (const auto& n : src.notes)
      if (locked(src.name, n.start)) locked_notes.push_back(n);
    if (locked_notes.empty() && !target) continue;
    if (!target) {
      extra_.push_back(PartBuilder{src, music::find_instrument(src.instrument)});
      extra_.back().part.notes.clear();
      target = &extra_.back();
    }
    // Generated notes give way: those starting in a locked span or under a locked note go, those
    // sounding into one are cut at its start.
    std::vector<ScoreNote> kept;
    for (auto n : target->part.notes) {
      if (locked(src.name, n.start)) continue;
      bool under = false;
      for (const auto& l : locked_notes) {
        if (l.start <= n.start && n.start < l.start + l.length) under = true;
        if (n.start < l.start && l.start < n.start + n.length) n.length = l.start - n.start;
      }
      for (const auto& l : brief_.locks)
        if ((!l.part || *l.part == src.name) && n.start < l.from && l.from < n.start + n.length)
          n.length = l.from - n.start;
      if (!under && n.length.ticks() > 0) kept.push_back(n);
    }
    for (const auto& n : locked_notes)
      kept.push_back(n);
    target->part.notes = std::move(kept);
  }
  // Chords and theme uses of whole-score locks come from the locked score.
  auto whole_locked = [&](BeatPos at) {
    return std::any_of(brief_.locks.begin(), brief_.locks.end(),
                       [&](const Lock& l) { return !l.part && l.from <= at && at < l.to; });
  };
  std::erase_if(score_.chords, [&](const ScoreChord& c) { return whole_locked(c.at); });
  for (const auto& c : from.chords)
    if (whole_locked(c.at)) score_.chords.push_back(c);
  std::sort(score_.chords.begin(), score_.chords.end(),
            [](const ScoreChord& a, const ScoreChord& b) { return a.at < b.at; });
  std::erase_if(score_.themes, [&](const ThemeUse& t) { return locked(t.part, t.at); });
  for (const auto& t : from.themes)
    if (locked(t.part, t.at)) score_.themes.push_back(t);
}

Score Writer::finish() {
  std::vector<PartBuilder*> order = {&melody_,    &winds_,     &horns_,    &stab_,
                                     &timpani_,   &drums_,     &figure_,   &voices_[3],
                                     &voices_[2], &voices_[1], &voices_[0]};
  for (auto& e : extra_)
    order.push_back(&e);
  int channel = 0;
  for (auto* b : order) {
    if (b->part.notes.empty()) continue;
    auto& notes = b->part.notes;
    // Nothing sounds past the cue's end.
    std::erase_if(notes, [&](const ScoreNote& n) { return n.start >= end_; });
    for (auto& n : notes)
      n.length = std::min(n.length, end_ - n.start);
    std::sort(notes.begin(), notes.end(), [](const ScoreNote& a, const ScoreNote& c) {
      return a.start != c.start ? a.start < c.start : a.pitch < c.pitch;
    });
    if (b->part.channel != 9) {
      if (channel == 9) ++channel;
      b->part.channel = std::min(channel++, 15);
    }
    score_.parts.push_back(std::move(b->part));
  }
  std::sort(score_.themes.begin(), score_.themes.end(),
            [](const ThemeUse& a, const ThemeUse& b) { return a.at < b.at; });
  return std::move(score_);
}

base::Result<WrittenCue> Writer::run() {
  if (auto ok = check(); !ok) return ok.error();
  if (auto ok = plan(); !ok) return ok.error();
  harmony();
  voice();
  melody();
  texture();
  dialogue();
  apply_locks();
  WrittenCue result;
  result.score = finish();
  result.notes = std::move(notes_);
  return result;
}

}  // namespace

base::Result<WrittenCue> write_cue(const CueBrief& brief, std::uint64_t seed,
                                   const WriterModels& models) {
  Writer writer(brief, seed, models);
  return writer.run();
}

// ---------------------------------------------------------------- checks

int count_parallels(const Score& score) {
  std::vector<const Part*> voices;
  for (const auto& p : score.parts)
    if (p.role == Role::bass || p.role == Role::harmony) voices.push_back(&p);
  std::set<BeatPos> onsets;
  for (const auto* p : voices)
    for (const auto& n : p->notes)
      onsets.insert(n.start);
  auto pitch_at = [](const Part& p, BeatPos at) {
    std::optional<int> out;
    for (const auto& n : p.notes) {
      if (n.start > at) break;
      if (at < n.start + n.length) out = std::max(out.value_or(0), n.pitch);
    }
    return out;
  };
  std::vector<std::optional<int>> before(voices.size());
  int count = 0;
  for (BeatPos at : onsets) {
    std::vector<std::optional<int>> now(voices.size());
    for (std::size_t i = 0; i < voices.size(); ++i)
      now[i] = pitch_at(*voices[i], at);
    for (std::size_t i = 0; i < voices.size(); ++i)
      for (std::size_t j = i + 1; j < voices.size(); ++j) {
        if (!before[i] || !before[j] || !now[i] || !now[j]) continue;
        if (parallel_perfect(*before[i], *before[j], *now[i], *now[j])) ++count;
      }
    before = std::move(now);
  }
  return count;
}

namespace {
template <class Test>
int count_notes(const Score& score, Test outside) {
  int count = 0;
  for (const auto& p : score.parts) {
    if (p.channel == 9) continue;
    const auto* inst = music::find_instrument(p.instrument);
    if (!inst || inst->drums) continue;
    for (const auto& n : p.notes)
      if (outside(*inst, n.pitch)) ++count;
  }
  return count;
}
}  // namespace

int count_range_violations(const Score& score) {
  return count_notes(score,
                     [](const music::Instrument& i, int pitch) { return !i.in_range(pitch); });
}

int count_uncomfortable(const Score& score) {
  return count_notes(score,
                     [](const music::Instrument& i, int pitch) { return !i.comfortable(pitch); });
}

}  // namespace duet::compose
