#include "engine/demo.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>

#include "base/file.h"
#include "base/text.h"
#include "midi/gm.h"
#include "midi/smf.h"
#include "midi/timing.h"
#include "sync/click.h"
#include "time/tempo_map_text.h"
#include "time/timecode.h"

namespace duet::engine {
namespace {

using base::ErrorKind;
using base::make_error;
using nlohmann::json;
using time::BBT;
using time::BeatDur;
using time::BeatPos;
using time::TimePos;

constexpr int kPpq = 960;

struct HitSpec {
  std::string timecode;
  std::string label;
};

struct MelodyNote {
  std::int64_t bar;
  int beat;
  int key;
  int beats;
};

struct Spec {
  std::string title;
  std::string rate;
  std::string cue_id;
  std::string cue_title;
  std::string start;
  std::vector<std::string> tempos;
  std::vector<std::string> meters;
  std::int64_t bars = 0;
  std::vector<HitSpec> hits;
  std::vector<std::vector<int>> chords;
  std::vector<MelodyNote> melody;
};

// Reads fields of the spec, keeping the first failure ("demo spec: cue.start must be a string")
// so that parse_spec reads as a list of fields and checks once.
class FieldReader {
 public:
  const json* member(const json& object, const char* key, const std::string& path) {
    if (!object.is_object() || !object.contains(key)) {
      fail(path, "is missing");
      return nullptr;
    }
    return &object.at(key);
  }
  std::string text(const json& object, const char* key, const std::string& path) {
    const json* value = member(object, key, path);
    if (value == nullptr) return {};
    if (!value->is_string()) fail(path, "must be a string");
    return value->is_string() ? value->get<std::string>() : std::string();
  }
  std::vector<std::string> texts(const json& object, const char* key, const std::string& path) {
    std::vector<std::string> out;
    const json* value = member(object, key, path);
    if (value == nullptr) return out;
    if (!value->is_array()) fail(path, "must be a list of strings");
    for (const json& item : value->is_array() ? *value : json::array()) {
      if (!item.is_string()) {
        fail(path, "must be a list of strings");
        break;
      }
      out.push_back(item.get<std::string>());
    }
    return out;
  }
  // Whole numbers in [low, high].
  std::vector<int> numbers(const json& value, const std::string& path, int low, int high) {
    std::vector<int> out;
    if (!value.is_array()) {
      fail(path, "must be a list of whole numbers");
      return out;
    }
    for (const json& item : value) {
      if (!item.is_number_integer() || item.get<std::int64_t>() < low ||
          item.get<std::int64_t>() > high) {
        fail(path, base::cat("must hold whole numbers from ", low, " to ", high));
        return out;
      }
      out.push_back(static_cast<int>(item.get<std::int64_t>()));
    }
    return out;
  }
  void fail(const std::string& path, std::string_view what) {
    if (!error) error = make_error(ErrorKind::invalid_input, "demo spec: ", path, " ", what);
  }
  std::optional<base::Error> error;
};

base::Result<Spec> parse_spec(std::string_view text) {
  json root;
  try {
    root = json::parse(text);
  } catch (const json::parse_error& e) {
    // e.byte counts from 1 and may point one past the end.
    const std::size_t at = std::min<std::size_t>(e.byte > 0 ? e.byte - 1 : 0, text.size());
    const std::size_t line = 1 + static_cast<std::size_t>(std::count(
                                     text.begin(), text.begin() + static_cast<long>(at), '\n'));
    const std::size_t line_start = text.rfind('\n', at == 0 ? 0 : at - 1);
    const std::size_t column =
        line_start == std::string_view::npos || at == 0 ? at + 1 : at - line_start;
    return make_error(ErrorKind::invalid_input, "demo spec is not valid JSON at line ", line,
                      ", column ", column, "; check the brackets, quotes and commas there");
  }
  FieldReader r;
  Spec spec;
  const json* picture = r.member(root, "picture", "picture");
  const json* cue = r.member(root, "cue", "cue");
  if (r.error) return *r.error;
  const json& c = *cue;
  spec.title = r.text(*picture, "title", "picture.title");
  spec.rate = r.text(*picture, "rate", "picture.rate");
  spec.cue_id = r.text(c, "id", "cue.id");
  spec.cue_title = r.text(c, "title", "cue.title");
  spec.start = r.text(c, "start", "cue.start");
  spec.tempos = r.texts(c, "tempos", "cue.tempos");
  spec.meters = r.texts(c, "meters", "cue.meters");
  if (const json* bars = r.member(c, "bars", "cue.bars")) {
    if (!bars->is_number_integer() || bars->get<std::int64_t>() < 1 ||
        bars->get<std::int64_t>() > 10000) {
      r.fail("cue.bars", "must be a whole number from 1 to 10000");
    } else {
      spec.bars = bars->get<std::int64_t>();
    }
  }
  const json empty = json::array();
  const json& hits = c.contains("hits") ? c.at("hits") : empty;
  const json& chords = c.contains("chords") ? c.at("chords") : empty;
  const json& melody = c.contains("melody") ? c.at("melody") : empty;
  if (!hits.is_array()) r.fail("cue.hits", "must be a list");
  if (!chords.is_array()) r.fail("cue.chords", "must be a list of chords");
  if (!melody.is_array()) r.fail("cue.melody", "must be a list of notes");
  if (r.error) return *r.error;
  for (std::size_t i = 0; i < hits.size(); ++i) {
    const std::string path = "cue.hits[" + std::to_string(i) + "]";
    spec.hits.push_back({r.text(hits[i], "timecode", path + ".timecode"),
                         r.text(hits[i], "label", path + ".label")});
  }
  for (std::size_t i = 0; i < chords.size(); ++i) {
    spec.chords.push_back(r.numbers(chords[i], "cue.chords[" + std::to_string(i) + "]", 0, 127));
  }
  for (std::size_t i = 0; i < melody.size(); ++i) {
    const std::string path = "cue.melody[" + std::to_string(i) + "]";
    const std::vector<int> n = r.numbers(melody[i], path, -10000, 10000);
    if (n.size() != 4 || n[2] < 0 || n[2] > 127 || n[3] < 1) {
      r.fail(path, "must be [bar, beat, key 0..127, length in beats >= 1]");
      break;
    }
    spec.melody.push_back({n[0], n[1], n[2], n[3]});
  }
  if (r.error) return *r.error;
  return spec;
}

}  // namespace

base::Result<DemoReport> run_demo(const DemoOptions& options) {
  std::string spec_text;
  std::string spec_name = "the bundled demo";
  if (options.spec.empty()) {
    spec_text = bundled_demo_spec();
  } else {
    auto bytes = base::read_file(options.spec, 16 << 20);
    if (!bytes) return bytes.error();
    spec_text.assign(bytes->begin(), bytes->end());
    spec_name = options.spec.string();
  }
  auto parsed = parse_spec(spec_text);
  if (!parsed) return parsed.error().with_context(spec_name);
  const Spec& spec = *parsed;

  auto rate = time::FrameRate::parse(spec.rate);
  if (!rate) return rate.error().with_context(spec_name + ": picture.rate");
  auto start = time::parse_timecode(spec.start, *rate);
  if (!start) return start.error().with_context(spec_name + ": cue.start");
  const TimePos cue_in = time::to_time(*start, *rate);
  auto map = time::parse_tempo_map(spec.tempos, spec.meters, cue_in, &*rate);
  if (!map) return map.error().with_context(spec_name + ": cue tempo map");

  DemoReport report;
  report.film_title = spec.title;
  report.cue_id = spec.cue_id;
  report.cue_title = spec.cue_title;
  report.rate = *rate;
  report.tempo_entries = time::format_tempo_entries(*map);
  report.meter_entries = time::format_meter_entries(map->meters());
  const BeatPos end = map->meters().bar_start(spec.bars + 1);
  const TimePos cue_out = map->time_at(end);
  report.cue_in = time::format_timecode(*start, *rate);
  report.cue_out = time::label_at(cue_out, *rate);
  report.cue_seconds = time::seconds(cue_out - cue_in);

  for (std::int64_t bar = 1; bar <= spec.bars; ++bar) {
    const BeatPos b = map->meters().bar_start(bar);
    const TimePos t = map->time_at(b);
    report.bars.push_back({bar, map->meter_at(b), map->quarters_per_minute_at(b),
                           time::seconds(t - cue_in), time::label_at(t, *rate),
                           time::frame_at(t, *rate)});
  }

  const auto conversion = [&](std::string what, std::int64_t frame) {
    report.conversions.push_back({std::move(what),
                                  time::format_timecode(time::from_frames(frame, *rate), *rate),
                                  frame, time::seconds_of_frame(frame, *rate).to_decimal(6)});
  };
  conversion("hour 1 starts", time::to_frames(time::Timecode{1, 0, 0, 0}, *rate));
  conversion("cue in", time::to_frames(*start, *rate));
  conversion("cue out", time::frame_at(cue_out, *rate));

  // Where the picture's hits fall in the tempo map, and how far the nearest beat misses them.
  midi::Track conductor_markers;
  for (std::size_t i = 0; i < spec.hits.size(); ++i) {
    const HitSpec& h = spec.hits[i];
    auto tc = time::parse_timecode(h.timecode, *rate);
    if (!tc) {
      return tc.error().with_context(spec_name + ": cue.hits[" + std::to_string(i) + "]");
    }
    const std::int64_t frame = time::to_frames(*tc, *rate);
    const TimePos t = time::time_of_frame(frame, *rate);
    if (t < cue_in || t > cue_out) {
      return make_error(ErrorKind::out_of_range, spec_name, ": hit '", h.label, "' at ", h.timecode,
                        " is outside the cue (", report.cue_in, " to ", report.cue_out, ")");
    }
    const BeatPos at = map->beats_at(t);
    const BBT bbt = map->bbt_at(at);
    const time::Meter meter = map->meter_at(at);
    const BeatPos beat_start = at - BeatDur(bbt.tick);
    const BeatPos next_beat = beat_start + meter.beat_length();
    const bool later = (map->time_at(next_beat) - t) < (t - map->time_at(beat_start));
    const BeatPos nearest = later ? next_beat : beat_start;
    const TimePos nearest_time = map->time_at(nearest);
    DemoHit hit{h.label,
                time::format_timecode(*tc, *rate),
                frame,
                time::seconds(t - cue_in),
                bbt,
                map->bbt_at(nearest),
                time::nearest_frame(nearest_time, *rate) - frame,
                time::seconds(nearest_time - t) * 1000.0};
    report.hits.push_back(hit);
    conversion("hit: " + h.label, frame);
    midi::insert_event(conductor_markers, {midi::tick_of_beat(at, kPpq),
                                           midi::Text{midi::TextKind::marker, "HIT " + h.label}});
  }

  // The MIDI file: conductor (tempo map, meters, SMPTE offset, markers), strings, horn, click.
  midi::ConductorOptions conductor_options;
  conductor_options.ticks_per_quarter = kPpq;
  conductor_options.track_name = spec.cue_id + " " + spec.cue_title;
  conductor_options.rate = *rate;
  auto conductor = midi::conductor_track(*map, end, conductor_options);
  if (!conductor) return conductor.error();
  midi::insert_event(*conductor, {0, midi::Text{midi::TextKind::marker,
                                                spec.cue_id + " " + spec.cue_title + " in"}});
  for (midi::Event& e : conductor_markers.events)
    midi::insert_event(*conductor, std::move(e));

  const auto ticks = [](BeatPos b) { return midi::tick_of_beat(b, kPpq); };
  std::vector<midi::Note> strings;
  for (std::int64_t bar = 1;
       bar <= spec.bars && bar <= static_cast<std::int64_t>(spec.chords.size()); ++bar) {
    const std::int64_t from = ticks(map->meters().bar_start(bar));
    const std::int64_t to = ticks(map->meters().bar_start(bar + 1));
    for (int key : spec.chords[static_cast<std::size_t>(bar - 1)]) {
      strings.push_back({0, static_cast<std::uint8_t>(key), 64, 0, from, to - from});
    }
  }
  std::vector<midi::Note> horn;
  for (std::size_t i = 0; i < spec.melody.size(); ++i) {
    const MelodyNote& n = spec.melody[i];
    auto at = map->beats_at(BBT{n.bar, n.beat, 0});
    if (!at) {
      return at.error().with_context(spec_name + ": cue.melody[" + std::to_string(i) + "]");
    }
    const BeatDur length = map->meter_at(*at).beat_length() * n.beats;
    horn.push_back(
        {1, static_cast<std::uint8_t>(n.key), 88, 0, ticks(*at), ticks(*at + length) - ticks(*at)});
  }
  // The click: every beat of the cue, downbeats accented (sync::click_events, as 'duet click').
  auto clicks = sync::click_events(*map, end - BeatDur(1));
  if (!clicks) return clicks.error();
  const std::vector<midi::Note> click = sync::click_notes(*clicks, kPpq);
  midi::MidiFile file;
  file.format = 1;
  file.division.ticks_per_quarter = kPpq;
  file.tracks.push_back(std::move(*conductor));
  file.tracks.push_back(midi::track_from_notes("Strings", 0, 48, strings));  // String Ensemble 1
  file.tracks.push_back(midi::track_from_notes("Horn", 1, 60, horn));        // French Horn
  file.tracks.push_back(midi::track_from_notes("Click", midi::kGmDrumChannel, 0, click));
  report.midi_tracks = file.tracks.size();
  report.midi_notes = strings.size() + horn.size() + click.size();
  auto bytes = midi::write_smf(file);
  if (!bytes) return bytes.error();

  // Read the file back as a DAW would, and measure where its beats land.
  auto reread = midi::read_smf(*bytes);
  if (!reread) return reread.error().with_context("reading back the demo's MIDI file");
  const midi::Timeline timeline = midi::Timeline::of(reread->file);
  const auto smpte = midi::smpte_start(reread->file);
  const TimePos file_origin = smpte ? smpte->position : TimePos(0);
  for (BeatPos b(0); b <= end; b += BeatDur(480)) {
    const TimePos in_file = file_origin + (timeline.time_of_tick(ticks(b)) - TimePos(0));
    const double error_us = std::abs(time::microseconds(in_file - map->time_at(b)));
    report.readback_error_us = std::max(report.readback_error_us, error_us);
  }

  std::error_code ec;
  std::filesystem::create_directories(options.out_dir, ec);
  if (ec) {
    return make_error(ErrorKind::io, "cannot create the output folder ", options.out_dir.string(),
                      ": ", ec.message());
  }
  const auto write = [&](const std::string& name, std::span<const std::uint8_t> data,
                         std::string description) -> base::Result<void> {
    const std::filesystem::path path = options.out_dir / name;
    if (auto ok = base::write_file_atomic(path, data); !ok) return ok.error();
    report.files.push_back({path, std::move(description)});
    return {};
  };
  const auto text_bytes = [](const std::string& s) {
    return std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
  };
  if (auto ok = write(spec.cue_id + ".mid", *bytes,
                      "multi-track MIDI for a DAW: conductor (tempo map, meters, SMPTE offset, hit "
                      "markers), strings, horn, click");
      !ok) {
    return ok.error();
  }
  std::string bars_csv = "bar,meter,tempo_qpm,cue_seconds,timecode,frame\n";
  for (const DemoBar& b : report.bars) {
    bars_csv += std::to_string(b.bar) + "," + b.meter.to_string() + "," +
                base::fixed(b.quarters_per_minute, 3) + "," + base::fixed(b.cue_seconds, 6) + "," +
                b.timecode + "," + std::to_string(b.frame) + "\n";
  }
  if (auto ok = write(spec.cue_id + "-bars.csv", text_bytes(bars_csv),
                      "where each bar line falls: cue time, timecode and frame");
      !ok) {
    return ok.error();
  }
  std::string hits_csv =
      "timecode,label,frame,cue_seconds,position,nearest_beat,frames_off,ms_off\n";
  for (const DemoHit& h : report.hits) {
    hits_csv += h.timecode + "," + base::csv_field(h.label) + "," + std::to_string(h.frame) + "," +
                base::fixed(h.cue_seconds, 6) + "," + h.position.to_string() + "," +
                h.nearest_beat.to_string() + "," + std::to_string(h.frames_off) + "," +
                base::fixed(h.ms_off, 3) + "\n";
  }
  if (auto ok = write(spec.cue_id + "-hits.csv", text_bytes(hits_csv),
                      "where each hit point falls and how far the nearest beat misses it");
      !ok) {
    return ok.error();
  }
  return report;
}

}  // namespace duet::engine
