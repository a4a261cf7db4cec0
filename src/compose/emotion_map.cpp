#include "compose/emotion_map.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include "base/text.h"
#include "midi/gm.h"
#include "music/pitch.h"

namespace duet::compose {
namespace {

double clamp01(double x) {
  return std::clamp(x, 0.0, 1.0);
}

// "0.40", with -0.00 printed as 0.00.
std::string num(double value, int decimals = 2) {
  const double scale = std::pow(10.0, decimals);
  if (std::round(value * scale) == 0.0) value = 0.0;
  return base::fixed(value, decimals);
}

music::Mode mode_for(double brightness) {
  if (brightness >= 0.15) return music::Mode::major;
  if (brightness >= 0.0) return music::Mode::mixolydian;
  if (brightness >= -0.2) return music::Mode::dorian;
  if (brightness >= -0.9) return music::Mode::minor;
  if (brightness >= -1.25) return music::Mode::phrygian;
  return music::Mode::locrian;
}

std::string_view mode_reason(music::Mode mode) {
  switch (mode) {
    case music::Mode::major:
      return "major mode carries positive valence (Hevner 1935; Gabrielsson & Lindstrom 2010)";
    case music::Mode::mixolydian:
      return "mixolydian: major with a lowered 7th, bright but less so than major (Temperley & "
             "Tan 2013)";
    case music::Mode::dorian:
      return "dorian: minor with a raised 6th, mildly negative and wistful (Temperley & Tan 2013)";
    case music::Mode::minor:
      return "minor mode carries negative valence (Hevner 1935; Gabrielsson & Lindstrom 2010)";
    case music::Mode::phrygian:
      return "phrygian: minor with a lowered 2nd, darker than minor, for tense negative feeling "
             "(Temperley & Tan 2013)";
    case music::Mode::locrian:
      return "locrian: diminished tonic, the darkest and least stable mode, for extreme tension";
    case music::Mode::lydian:
      break;
  }
  return "lydian: major with a raised 4th, bright and floating";
}

struct QuadrantPalette {
  Palette palette;
  std::string_view reason;
};

QuadrantPalette palette_for(double valence, double arousal, double tension) {
  QuadrantPalette p;
  if (arousal >= 0 && valence >= 0) {
    p = {{56, 48, 45},
         "bright, sharp timbres (trumpet over strings, pizzicato bass) for positive energy "
         "(Gabrielsson & Lindstrom 2010; Eerola et al. 2013)"};
  } else if (arousal >= 0) {
    p = {{57, 44, 43},
         "low brass and tremolo strings: sharp, rough timbres for anger and fear (Gabrielsson & "
         "Lindstrom 2010)"};
  } else if (valence < 0) {
    p = {{42, 49, 43},
         "dark, soft timbres (cello over slow strings) for sadness (Gabrielsson & Lindstrom 2010; "
         "Huron, Anderson & Shanahan 2014)"};
  } else {
    p = {{73, 46, 42},
         "soft, dull timbres (flute, harp, cello) for tenderness and calm (Gabrielsson & "
         "Lindstrom 2010)"};
  }
  if (tension >= 0.6 && p.palette.accompaniment != 44) {
    p.palette.accompaniment = 44;
    p.reason =
        "tension 0.6 or more: tremolo strings, the film convention for suspense, under "
        "the quadrant's melody instrument";
  }
  return p;
}

// Access to the controls by name, in control_names() order.
template <class Fn>
void visit(const MusicalControls& c, std::string_view name, Fn&& fn) {
  if (name == "tonic")
    fn(c.tonic);
  else if (name == "mode")
    fn(c.mode);
  else if (name == "vocabulary")
    fn(c.vocabulary);
  else if (name == "tempo")
    fn(c.tempo);
  else if (name == "density")
    fn(c.density);
  else if (name == "activity")
    fn(c.activity);
  else if (name == "register")
    fn(c.register_span);
  else if (name == "spacing")
    fn(c.spacing);
  else if (name == "dynamics")
    fn(c.dynamics);
  else if (name == "legato")
    fn(c.legato);
  else if (name == "palette")
    fn(c.palette);
  else if (name == "harmonic_rhythm")
    fn(c.harmonic_rhythm);
}

// ---- override text ----

base::Error bad_setting(std::string_view setting, std::string_view accepts) {
  return base::make_error(base::ErrorKind::invalid_input, "cannot read the setting '", setting,
                          "': ", accepts);
}

std::optional<double> parse_number(std::string_view text) {
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<int> parse_int(std::string_view text) {
  int value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

// "a-b" or "a" (a range of one value). A leading '-' is a sign, not the separator.
std::optional<std::pair<double, double>> parse_range(std::string_view text) {
  const std::size_t dash = text.find('-', 1);
  if (dash == std::string_view::npos) {
    auto v = parse_number(text);
    if (!v) return std::nullopt;
    return std::pair{*v, *v};
  }
  auto a = parse_number(text.substr(0, dash));
  auto b = parse_number(text.substr(dash + 1));
  if (!a || !b) return std::nullopt;
  return std::pair{*a, *b};
}

}  // namespace

EmotionTrend trend_of(const spot::EmotionCurve& curve, time::TimePos from, time::TimePos to) {
  const auto a = curve.value_at(from);
  const auto b = curve.value_at(to);
  if (!a || !b) return {};
  return {b->valence - a->valence, b->arousal - a->arousal, b->tension - a->tension};
}

int mode_brightness(music::Mode mode) {
  switch (mode) {
    case music::Mode::locrian:
      return 0;
    case music::Mode::phrygian:
      return 1;
    case music::Mode::minor:
      return 2;
    case music::Mode::dorian:
      return 3;
    case music::Mode::mixolydian:
      return 4;
    case music::Mode::major:
      return 5;
    case music::Mode::lydian:
      break;
  }
  return 6;
}

const std::vector<std::string_view>& control_names() {
  static const std::vector<std::string_view> names = {
      "tonic",    "mode",    "vocabulary", "tempo",  "density", "activity",
      "register", "spacing", "dynamics",   "legato", "palette", "harmonic_rhythm"};
  return names;
}

bool is_overridden(const MusicalControls& controls, std::string_view name) {
  bool out = false;
  visit(controls, name, [&](const auto& control) { out = control.overridden; });
  return out;
}

std::string_view reason_of(const MusicalControls& controls, std::string_view name) {
  std::string_view out;
  visit(controls, name, [&](const auto& control) { out = control.reason; });
  return out;
}

MusicalControls controls_for(const EmotionPoint& point, const EmotionTrend& trend) {
  const double v = std::clamp(point.valence, -1.0, 1.0);
  const double a = std::clamp(point.arousal, -1.0, 1.0);
  const double t = std::clamp(point.tension, 0.0, 1.0);
  const double a01 = (a + 1) / 2;  // arousal 0..1
  const double v01 = (v + 1) / 2;  // valence 0..1
  // Reasons read "valence 0.70, arousal 0.60: <why>".
  const std::string va = "valence " + num(v);
  const std::string ar = "arousal " + num(a);
  const std::string te = "tension " + num(t);
  const auto because = [](std::initializer_list<std::string_view> inputs, std::string_view why) {
    std::string out;
    for (std::string_view input : inputs)
      out += (out.empty() ? "" : ", ") + std::string(input);
    return out + ": " + std::string(why);
  };
  MusicalControls c;

  c.tonic = {0,
             "C: in equal temperament the key itself carries no reliable emotion; transpose to "
             "suit the cue"};

  // Mode follows valence (the strongest valence cue: Eerola et al. 2013). On the negative side
  // tension darkens it further, toward the lowered 2nd and the diminished tonic, the least stable
  // scale steps (Huron 2006 on tendency); positive valence keeps its mode whatever the tension,
  // which other cues carry.
  const double brightness = v - 0.4 * t * std::max(-v, 0.0);
  c.mode.value = mode_for(brightness);
  c.mode.reason = because({va, te}, mode_reason(c.mode.value));

  HarmonicVocabulary voc;
  // Mixture is most at home between clear major and clear minor: the bittersweet borrowed iv and
  // bVI (Lehman 2018, "Hollywood Harmony").
  voc.modal_mixture = std::clamp(0.3 * (1 - std::abs(v)) + 0.1 * t, 0.0, 0.6);
  // Chromatic mediants: wonder and unease in film music (Murphy 2014; Lehman 2018), more with
  // tension and with energy.
  voc.chromatic_mediants = std::clamp(0.05 + 0.35 * t + 0.1 * std::max(a, 0.0), 0.0, 0.6);
  // Suspensions delay an expected resolution (Huron 2006): tension, and they need slow harmony.
  voc.suspensions = std::clamp(0.05 + 0.45 * t * (1 - 0.5 * a01), 0.0, 0.6);
  // Clusters: sensory dissonance (Plomp & Levelt 1965) raises tension and unpleasantness
  // (Lehne & Koelsch 2015; Gabrielsson & Lindstrom 2010: dissonance -> tension, fear, anger), so
  // they belong mostly to negative valence; positive tension leans on suspensions, whose
  // resolution pleases (Huron 2006's contrastive valence).
  voc.clusters = std::clamp(t * t * (0.2 + 0.5 * std::max(-v, 0.0)), 0.0, 0.7);
  c.vocabulary = {voc,
                  because({te, va},
                          "dissonant and unstable chords (clusters, mediants, suspensions) rise "
                          "with tension; modal mixture is most at home near neutral valence "
                          "(Huron 2006; Lehne & Koelsch 2015; Lehman 2018)")};

  // Tempo: the strongest arousal cue; happiness a little faster than sadness (Gabrielsson &
  // Lindstrom 2010; Eerola, Friberg & Bresin 2013; Juslin & Laukka 2004).
  const double centre_bpm = 96 + 40 * a + 6 * v + 4 * t;
  TempoRange tempo{centre_bpm * 0.93, centre_bpm * 1.07,
                   std::clamp(1.5 * trend.arousal + 0.5 * trend.tension, -1.0, 1.0)};
  tempo.min_bpm = std::round(tempo.min_bpm);
  tempo.max_bpm = std::round(tempo.max_bpm);
  c.tempo = {tempo, because({ar, va},
                            "fast tempo raises arousal, slow lowers it; rising arousal accelerates "
                            "(Gabrielsson & Lindstrom 2010; Eerola et al. 2013)")};

  c.density = {std::clamp(std::pow(2.0, 1.2 * a + 0.3 * t), 0.25, 4.0),
               because({ar, te},
                       "many short notes for high arousal, few long ones for low (Gabrielsson & "
                       "Lindstrom 2010; Juslin & Laukka 2004)")};
  // Flowing rhythm goes with happiness, grace and serenity, firm rhythm with sadness and dignity
  // (Hevner 1936; Gabrielsson & Lindstrom 2010), so positive valence adds a little motion.
  c.activity = {
      clamp01(0.5 + 0.45 * a + 0.15 * std::max(v, 0.0) + 0.1 * t),
      because({ar, va},
              "rhythmic activity of the accompaniment follows arousal; flowing figures for "
              "positive valence (Hevner 1936; Gabrielsson & Lindstrom 2010)")};

  Register reg;
  reg.centre = static_cast<int>(std::lround(67 + 7 * v + 2 * a));
  reg.span = static_cast<int>(std::lround(12 + 8 * a01 + 4 * t));
  c.register_span = {reg,
                     because({va, ar},
                             "high register for positive valence and energy, low for sadness; a "
                             "wide pitch range for arousal (Gabrielsson & Lindstrom 2010; Eerola "
                             "et al. 2013)")};

  c.spacing = {3 + 5 * (1 - t) * (0.7 + 0.3 * v01),
               because({te},
                       "close voicing for tension, open voicing for calm and warmth (roughness of "
                       "close intervals: Plomp & Levelt 1965)")};

  Dynamics dyn;
  const double centre_velocity = 70 + 28 * a + 6 * t;
  const double spread = 10 + 6 * a01 + 4 * t;
  dyn.min_velocity = std::clamp(static_cast<int>(std::lround(centre_velocity - spread)), 1, 127);
  dyn.max_velocity = std::clamp(static_cast<int>(std::lround(centre_velocity + spread)), 1, 127);
  dyn.crescendo = std::clamp(1.5 * trend.arousal + 1.0 * trend.tension, -1.0, 1.0);
  c.dynamics = {dyn,
                because({ar, te},
                        "loud for high arousal, soft for low; wider dynamic range with tension; "
                        "crescendo where arousal or tension rises (Gabrielsson & Lindstrom 2010; "
                        "Juslin & Laukka 2004)")};

  c.legato = {std::clamp(0.97 - 0.35 * a01 - 0.1 * v01 * a01, 0.2, 1.0),
              because({ar, va},
                      "staccato for energy and gaiety, legato for sadness and tenderness "
                      "(Gabrielsson & Lindstrom 2010; Juslin & Laukka 2004)")};

  const QuadrantPalette qp = palette_for(v, a, t);
  c.palette = {qp.palette, because({va, ar}, qp.reason)};

  // Harmonic rhythm quickens with energy and with tension, and more where tension is building
  // (Huron 2006: acceleration heightens anticipation before a goal).
  c.harmonic_rhythm = {
      std::clamp(
          std::pow(2.0, 0.8 * a + 0.6 * t + 0.2 * v - 0.2 + 0.5 * std::max(trend.tension, 0.0)),
          0.25, 4.0),
      because({ar, te, va},
              "chords change faster with arousal and tension, and faster still where "
              "tension builds (Huron 2006); a little faster in warm scenes, slower in grief, "
              "where the harmony lingers (an estimator trained on EMOPIA's clips gives the rate "
              "of chord change the largest valence weight: docs/emotion-mapping.md)")};
  return c;
}

base::Result<void> validate(const MusicalControls& c) {
  const auto out_of_range = [](std::string_view name, std::string_view range) {
    return base::make_error(base::ErrorKind::out_of_range, "the control ", name, " must be ",
                            range);
  };
  if (c.tonic.value < 0 || c.tonic.value > 11) return out_of_range("tonic", "a pitch class 0..11");
  const auto& voc = c.vocabulary.value;
  for (double w : {voc.modal_mixture, voc.chromatic_mediants, voc.suspensions, voc.clusters}) {
    if (!(w >= 0 && w <= 1)) return out_of_range("vocabulary", "weights between 0 and 1");
  }
  const auto& tempo = c.tempo.value;
  if (!(tempo.min_bpm >= 20 && tempo.min_bpm <= tempo.max_bpm && tempo.max_bpm <= 300)) {
    return out_of_range("tempo", "a range within 20..300 BPM with the minimum first");
  }
  if (!(tempo.drift >= -1 && tempo.drift <= 1)) return out_of_range("tempo drift", "-1..1");
  if (!(c.density.value >= 0.25 && c.density.value <= 4)) {
    return out_of_range("density", "0.25..4 onsets per beat");
  }
  if (!(c.activity.value >= 0 && c.activity.value <= 1)) return out_of_range("activity", "0..1");
  const auto& reg = c.register_span.value;
  if (reg.span < 5 || reg.span > 36 || reg.low() < 36 || reg.high() > 108) {
    return out_of_range("register",
                        "a span of 5..36 semitones between MIDI pitches 36 and 108 (the "
                        "accompaniment and bass need room below it)");
  }
  if (!(c.spacing.value >= 2 && c.spacing.value <= 12)) {
    return out_of_range("spacing", "2..12 semitones");
  }
  const auto& dyn = c.dynamics.value;
  if (dyn.min_velocity < 1 || dyn.min_velocity > dyn.max_velocity || dyn.max_velocity > 127) {
    return out_of_range("dynamics", "a velocity range within 1..127 with the minimum first");
  }
  if (!(dyn.crescendo >= -1 && dyn.crescendo <= 1)) return out_of_range("crescendo", "-1..1");
  if (!(c.legato.value >= 0.2 && c.legato.value <= 1)) return out_of_range("legato", "0.2..1");
  const auto& pal = c.palette.value;
  for (int p : {pal.melody, pal.accompaniment, pal.bass}) {
    if (p < 0 || p > 127) return out_of_range("palette", "General MIDI programs 0..127");
  }
  if (!(c.harmonic_rhythm.value >= 0.25 && c.harmonic_rhythm.value <= 4)) {
    return out_of_range("harmonic_rhythm", "0.25..4 chords per bar");
  }
  return {};
}

base::Result<MusicalControls> apply_overrides(MusicalControls c, const ControlOverrides& o) {
  const auto set = [](auto& control, const auto& value) {
    if (!value) return;
    control.value = *value;
    control.overridden = true;
    control.reason = "set by the composer";
  };
  set(c.tonic, o.tonic);
  set(c.mode, o.mode);
  set(c.vocabulary, o.vocabulary);
  set(c.tempo, o.tempo);
  set(c.density, o.density);
  set(c.activity, o.activity);
  set(c.register_span, o.register_span);
  set(c.spacing, o.spacing);
  set(c.dynamics, o.dynamics);
  set(c.legato, o.legato);
  set(c.palette, o.palette);
  set(c.harmonic_rhythm, o.harmonic_rhythm);
  if (auto ok = validate(c); !ok) return ok.error();
  return c;
}

base::Result<void> parse_override(std::string_view setting, const MusicalControls& base,
                                  ControlOverrides& o) {
  const std::size_t eq = setting.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    return bad_setting(setting, "write name=value, such as tempo=90 or mode=dorian");
  }
  const std::string_view name = setting.substr(0, eq);
  const std::string_view text = setting.substr(eq + 1);
  const auto number = [&](std::optional<double>& slot,
                          std::string_view accepts) -> base::Result<void> {
    auto v = parse_number(text);
    if (!v) return bad_setting(setting, accepts);
    slot = *v;
    return {};
  };

  if (name == "tonic") {
    auto note = music::parse_note_name(text);
    if (!note || text.empty() || std::toupper(static_cast<unsigned char>(text[0])) < 'A' ||
        std::toupper(static_cast<unsigned char>(text[0])) > 'G') {
      return bad_setting(setting, "tonic takes a note name such as D, F# or Bb");
    }
    o.tonic = note->pitch_class();
    return {};
  }
  if (name == "mode") {
    for (music::Mode m :
         {music::Mode::major, music::Mode::dorian, music::Mode::phrygian, music::Mode::lydian,
          music::Mode::mixolydian, music::Mode::minor, music::Mode::locrian}) {
      if (text == music::to_string(m) || (text == "ionian" && m == music::Mode::major) ||
          (text == "aeolian" && m == music::Mode::minor)) {
        o.mode = m;
        return {};
      }
    }
    return bad_setting(setting,
                       "mode takes major, minor, dorian, phrygian, lydian, mixolydian or locrian");
  }
  if (name == "tempo") {
    auto r = parse_range(text);
    if (!r) return bad_setting(setting, "tempo takes BPM such as 90 or a range such as 80-100");
    TempoRange tempo = o.tempo.value_or(base.tempo.value);
    tempo.min_bpm = r->first;
    tempo.max_bpm = r->second;
    o.tempo = tempo;
    return {};
  }
  if (name == "drift") {
    auto v = parse_number(text);
    if (!v) return bad_setting(setting, "drift takes -1..1 (1: accelerate across the range)");
    TempoRange tempo = o.tempo.value_or(base.tempo.value);
    tempo.drift = *v;
    o.tempo = tempo;
    return {};
  }
  if (name == "density") return number(o.density, "density takes onsets per beat, 0.25..4");
  if (name == "activity") return number(o.activity, "activity takes 0..1");
  if (name == "spacing") return number(o.spacing, "spacing takes semitones, 2..12");
  if (name == "legato") return number(o.legato, "legato takes 0.2..1");
  if (name == "harmonic_rhythm") {
    return number(o.harmonic_rhythm, "harmonic_rhythm takes chords per bar, 0.25..4");
  }
  if (name == "register") {
    const std::size_t colon = text.find(':');
    Register reg = o.register_span.value_or(base.register_span.value);
    auto centre = parse_int(text.substr(0, colon));
    std::optional<int> span = reg.span;
    if (colon != std::string_view::npos) span = parse_int(text.substr(colon + 1));
    if (!centre || !span) {
      return bad_setting(setting,
                         "register takes a centre MIDI pitch such as 67, or centre:span such as "
                         "67:14");
    }
    reg.centre = *centre;
    reg.span = *span;
    o.register_span = reg;
    return {};
  }
  if (name == "velocity" || name == "crescendo" || name == "dynamics") {
    Dynamics dyn = o.dynamics.value_or(base.dynamics.value);
    std::string_view range_text = text;
    std::optional<std::string_view> crescendo_text;
    if (name == "crescendo") {
      range_text = {};
      crescendo_text = text;
    } else if (name == "dynamics") {
      const std::size_t colon = text.find(':');
      range_text = text.substr(0, colon);
      if (colon != std::string_view::npos) crescendo_text = text.substr(colon + 1);
    }
    if (!range_text.empty()) {
      auto r = parse_range(range_text);
      // MIDI velocities are 0..127; checked before the cast, which is undefined for a double
      // outside int's range (the fuzzer found velocity=0-7e21).
      if (!r || r->first != std::floor(r->first) || r->second != std::floor(r->second) ||
          r->first < 0 || r->first > 127 || r->second < 0 || r->second > 127) {
        return bad_setting(setting,
                           "velocity takes MIDI velocities such as 40-70 (dynamics: 40-70:0.5 "
                           "with a crescendo)");
      }
      dyn.min_velocity = static_cast<int>(r->first);
      dyn.max_velocity = static_cast<int>(r->second);
    }
    if (crescendo_text) {
      auto c = parse_number(*crescendo_text);
      if (!c) return bad_setting(setting, "crescendo takes -1..1 (the share of the range crossed)");
      dyn.crescendo = *c;
    }
    o.dynamics = dyn;
    return {};
  }
  if (name == "palette") {
    Palette pal;
    std::array<int*, 3> slots = {&pal.melody, &pal.accompaniment, &pal.bass};
    std::string_view rest = text;
    for (std::size_t i = 0; i < slots.size(); ++i) {
      const std::size_t comma = rest.find(',');
      auto p = parse_int(rest.substr(0, comma));
      const bool last = i + 1 == slots.size();
      if (!p || (last != (comma == std::string_view::npos))) {
        return bad_setting(setting,
                           "palette takes three General MIDI programs (melody, accompaniment, "
                           "bass) such as 73,48,43");
      }
      *slots[i] = *p;
      if (!last) rest = rest.substr(comma + 1);
    }
    o.palette = pal;
    return {};
  }
  using Weight = double HarmonicVocabulary::*;
  const std::array<std::pair<std::string_view, Weight>, 4> weights = {{
      {"modal_mixture", &HarmonicVocabulary::modal_mixture},
      {"chromatic_mediants", &HarmonicVocabulary::chromatic_mediants},
      {"suspensions", &HarmonicVocabulary::suspensions},
      {"clusters", &HarmonicVocabulary::clusters},
  }};
  for (const auto& [weight_name, member] : weights) {
    if (name != weight_name) continue;
    auto v = parse_number(text);
    if (!v) return bad_setting(setting, "a vocabulary weight takes 0..1");
    HarmonicVocabulary voc = o.vocabulary.value_or(base.vocabulary.value);
    voc.*member = *v;
    o.vocabulary = voc;
    return {};
  }
  return bad_setting(setting,
                     "the settings are tonic, mode, tempo, drift, density, activity, register, "
                     "spacing, velocity, crescendo, dynamics, legato, palette, harmonic_rhythm, "
                     "modal_mixture, chromatic_mediants, suspensions and clusters");
}

std::string describe(const MusicalControls& c, std::string_view name) {
  if (name == "tonic") return music::to_string(music::spell_pitch_class(c.tonic.value, true));
  if (name == "mode") return std::string(music::to_string(c.mode.value));
  if (name == "vocabulary") {
    const auto& v = c.vocabulary.value;
    return "mixture " + num(v.modal_mixture) + ", mediants " + num(v.chromatic_mediants) +
           ", suspensions " + num(v.suspensions) + ", clusters " + num(v.clusters);
  }
  if (name == "tempo") {
    const auto& t = c.tempo.value;
    return num(t.min_bpm, 0) + "-" + num(t.max_bpm, 0) + " BPM, drift " + num(t.drift);
  }
  if (name == "density") return num(c.density.value) + " onsets/beat";
  if (name == "activity") return num(c.activity.value);
  if (name == "register") {
    const auto& r = c.register_span.value;
    return std::to_string(r.low()) + ".." + std::to_string(r.high()) + " (centre " +
           std::to_string(r.centre) + ", " + midi::key_number_name(r.centre) + ")";
  }
  if (name == "spacing") return num(c.spacing.value, 1) + " semitones";
  if (name == "dynamics") {
    const auto& d = c.dynamics.value;
    return "velocity " + std::to_string(d.min_velocity) + "-" + std::to_string(d.max_velocity) +
           ", crescendo " + num(d.crescendo);
  }
  if (name == "legato") return num(c.legato.value);
  if (name == "palette") {
    const auto& p = c.palette.value;
    const auto one = [](int program) {
      return std::to_string(program) + " " + std::string(midi::gm_program_name(program));
    };
    return one(p.melody) + " / " + one(p.accompaniment) + " / " + one(p.bass);
  }
  if (name == "harmonic_rhythm") return num(c.harmonic_rhythm.value) + " chords/bar";
  return {};
}

}  // namespace duet::compose
