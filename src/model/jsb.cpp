#include "model/jsb.h"

#include <algorithm>
#include <tuple>

#include <nlohmann/json.hpp>

#include "base/file.h"

namespace duet::model {

Melody jsb_voice_melody(const std::vector<std::vector<int>>& steps, int voice, std::string id) {
  Melody melody;
  melody.id = std::move(id);
  const MeterContext meter{4, 4};
  const std::int64_t bar = meter.bar().ticks();
  int current = -1;  // the sounding pitch, -1 in a rest
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const auto& step = steps[i];
    const int pitch =
        static_cast<std::size_t>(voice) < step.size() ? step[static_cast<std::size_t>(voice)] : -1;
    if (pitch >= 0 && pitch == current) {
      melody.notes.back().duration += time::BeatDur(kJsbStepTicks);
    } else if (pitch >= 0) {
      const std::int64_t onset = static_cast<std::int64_t>(i) * kJsbStepTicks;
      MelodyNote note;
      note.pitch = pitch;
      note.onset = time::BeatPos(onset);
      note.duration = time::BeatDur(kJsbStepTicks);
      note.bar_position = time::BeatDur(onset % bar);
      note.meter = meter;
      melody.notes.push_back(note);
    }
    current = pitch;
  }
  return melody;
}

std::optional<KeyContext> jsb_key(const std::vector<std::vector<int>>& steps) {
  int tonic = -1;
  for (auto it = steps.rbegin(); it != steps.rend() && tonic < 0; ++it) {
    // The lowest sounding voice of the last step that sounds.
    int lowest = 1000;
    for (int p : *it) {
      if (p >= 0) lowest = std::min(lowest, p);
    }
    if (lowest < 1000) tonic = lowest % 12;
  }
  if (tonic < 0) return std::nullopt;
  int minor_third = 0;
  int major_third = 0;
  for (const auto& step : steps) {
    for (int p : step) {
      if (p < 0) continue;
      const int degree = (p - tonic + 120) % 12;
      if (degree == 3) ++minor_third;
      if (degree == 4) ++major_third;
    }
  }
  return KeyContext{tonic, minor_third > major_third};
}

base::Result<JsbChoraleSteps> parse_jsb_steps(std::string_view json_text, std::string_view where) {
  const auto doc = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return base::make_error(base::ErrorKind::invalid_input, where,
                            ": not valid JSON; expected Jsb16thSeparated.json from the JSB "
                            "chorale dataset");
  }
  if (!doc.is_object()) {
    return base::make_error(base::ErrorKind::invalid_input, where,
                            ": expected an object with \"train\", \"valid\" and \"test\" lists");
  }
  JsbChoraleSteps corpus;
  const std::pair<const char*, std::vector<JsbSteps>*> splits[] = {
      {"train", &corpus.train}, {"valid", &corpus.valid}, {"test", &corpus.test}};
  for (const auto& [name, out] : splits) {
    const auto it = doc.find(name);
    if (it == doc.end() || !it->is_array()) {
      return base::make_error(base::ErrorKind::invalid_input, where, ": /", name,
                              " is missing or not a list of chorales");
    }
    for (std::size_t p = 0; p < it->size(); ++p) {
      const auto& piece = (*it)[p];
      if (!piece.is_array()) {
        return base::make_error(base::ErrorKind::invalid_input, where, ": /", name, "/", p,
                                " is not a list of time steps");
      }
      std::vector<std::vector<int>> steps;
      steps.reserve(piece.size());
      for (std::size_t s = 0; s < piece.size(); ++s) {
        const auto& step = piece[s];
        if (!step.is_array() || step.empty()) {
          return base::make_error(base::ErrorKind::invalid_input, where, ": /", name, "/", p, "/",
                                  s, " is not a list of voice pitches");
        }
        std::vector<int> voices;
        for (std::size_t v = 0; v < step.size(); ++v) {
          const auto& x = step[v];
          // Pitches are integers, sometimes written as floats (72.0); -1 is silence.
          if (!x.is_number()) {
            return base::make_error(base::ErrorKind::invalid_input, where, ": /", name, "/", p, "/",
                                    s, "/", v, " is not a number");
          }
          const double value = x.get<double>();
          if (value != -1.0 && !(value >= 0.0 && value <= 127.0)) {
            return base::make_error(base::ErrorKind::out_of_range, where, ": /", name, "/", p, "/",
                                    s, "/", v, " is ", value,
                                    ", not a MIDI pitch 0..127 or -1 for silence");
          }
          voices.push_back(static_cast<int>(value));
        }
        steps.push_back(std::move(voices));
      }
      out->push_back(std::move(steps));
    }
  }
  return corpus;
}

base::Result<JsbCorpus> parse_jsb_chorales(std::string_view json_text, std::string_view where) {
  auto steps = parse_jsb_steps(json_text, where);
  if (!steps) return steps.error();
  JsbCorpus corpus;
  const std::tuple<const char*, const std::vector<JsbSteps>*, std::vector<Melody>*> splits[] = {
      {"train", &steps->train, &corpus.train},
      {"valid", &steps->valid, &corpus.valid},
      {"test", &steps->test, &corpus.test}};
  for (const auto& [name, in, out] : splits) {
    for (std::size_t p = 0; p < in->size(); ++p) {
      const JsbSteps& chorale = (*in)[p];
      Melody melody = jsb_voice_melody(chorale, 0, base::cat("jsb/", name, "/", p));
      const auto key = jsb_key(chorale);
      for (auto& note : melody.notes)
        note.key = key;
      out->push_back(std::move(melody));
    }
  }
  return corpus;
}

base::Result<JsbCorpus> read_jsb_chorales(const std::filesystem::path& path) {
  auto bytes = base::read_file(path);
  if (!bytes) return bytes.error();
  const std::string_view text(reinterpret_cast<const char*>(bytes->data()), bytes->size());
  return parse_jsb_chorales(text, path.string());
}

base::Result<JsbChoraleSteps> read_jsb_steps(const std::filesystem::path& path) {
  auto bytes = base::read_file(path);
  if (!bytes) return bytes.error();
  const std::string_view text(reinterpret_cast<const char*>(bytes->data()), bytes->size());
  return parse_jsb_steps(text, path.string());
}

}  // namespace duet::model
