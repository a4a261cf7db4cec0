#include "engine/feature_bench.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "base/error.h"
#include "base/file.h"
#include "base/hash.h"
#include "base/text.h"
#include "engine/session.h"
#include "midi/smf.h"
#include "project/project.h"
#include "render/render.h"

namespace duet::engine {

namespace fs = std::filesystem;
using base::ErrorKind;
using base::make_error;
using time::TimePos;

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// splitmix64: the generated project is the same for the same seed on every machine.
struct Rng {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double unit() { return static_cast<double>(next() >> 11) / 9007199254740992.0; }  // [0, 1)
};

// A position `seconds` after `origin`, on a frame at 24 fps.
TimePos at_frame(TimePos origin, double seconds, const time::FrameRate& rate) {
  const std::int64_t base = time::frame_at(origin, rate);
  return time::time_of_frame(base + static_cast<std::int64_t>(std::llround(seconds * 24.0)), rate);
}

// The generated film's project: cue k sits in the k-th of `cues` equal slots, 20 s to 4 min long,
// with hits every 8-30 s (a quarter soft), dialogue in a third of the cues, an emotion curve
// that walks the quadrants, and the harbour theme on every third cue.
project::Manifest generate(const FeatureBenchOptions& o, int cues) {
  const time::FrameRate rate = time::FrameRate::fps24();
  project::Manifest m;
  m.title = base::cat("duet bench: a generated ", o.minutes, "-minute film");
  m.picture.rate = rate;
  m.picture.start = time::Timecode{1, 0, 0, 0};
  const TimePos start = time::to_time(m.picture.start, rate);
  project::Theme theme;
  theme.name = "harbour";
  theme.stands_for = "the harbour";
  theme.melody = "4/4 D4q. F4e A4q D5q | C5q A4e F4e G4h";
  theme.key = "D minor";
  m.themes.push_back(theme);
  Rng rng{o.seed};
  const double slot = o.minutes * 60.0 / cues;
  for (int k = 0; k < cues; ++k) {
    spot::Cue c;
    c.id = spot::CueId{1 + k / 10, 1 + k % 10, ""};
    c.title = base::cat("scene ", k + 1);
    const double length = std::clamp(20.0 + rng.unit() * (std::min(slot - 8.0, 240.0) - 20.0),
                                     std::min(20.0, slot - 4.0), 240.0);
    const double begin = k * slot + 2.0 + rng.unit() * std::max(0.0, slot - length - 4.0);
    c.in = at_frame(start, begin, rate);
    c.out = at_frame(start, begin + length, rate);
    for (double t = 4.0 + rng.unit() * 6.0; t < length - 2.0; t += 8.0 + rng.unit() * 22.0) {
      spot::HitPoint h;
      h.at = at_frame(start, begin + t, rate);
      h.label = base::cat("cut ", c.hits.size() + 1);
      h.kind = rng.unit() < 0.25 ? spot::HitKind::soft : spot::HitKind::hard;
      h.accent = h.kind == spot::HitKind::hard && rng.unit() < 0.3;
      c.hits.push_back(h);
    }
    if (k % 3 == 1 && length > 30) {
      c.dialogue.push_back({at_frame(start, begin + length * 0.3, rate),
                            at_frame(start, begin + length * 0.55, rate), "Anna"});
    }
    const int q = k % 4;  // Q1 bright-excited, Q2 tense, Q3 sad, Q4 calm
    const double v = (q == 0 || q == 3) ? 0.5 : -0.5, a = q < 2 ? 0.5 : -0.4;
    c.emotion.keys.push_back({c.in, {v * 0.6, a * 0.6, 0.2}});
    c.emotion.keys.push_back({at_frame(start, begin + length * 0.6, rate), {v, a, 0.8}});
    c.emotion.keys.push_back({c.out, {v * 0.8, a * 0.5, 0.3}});
    if (k % 3 == 0) c.themes.push_back(theme.name);
    m.cues.push_back(std::move(c));
  }
  return m;
}

}  // namespace

base::Result<FeatureBenchReport> run_feature_bench(const FeatureBenchOptions& o,
                                                   const Progress& progress) {
  if (o.minutes < 1 || o.minutes > 240) {
    return make_error(ErrorKind::out_of_range, "--minutes ", o.minutes,
                      " is out of range; give 1 to 240");
  }
  const int cues = o.cues > 0 ? o.cues : std::max(1, o.minutes * 40 / 100);
  if (cues > 999 || o.minutes * 60.0 / cues < 12.0) {
    return make_error(ErrorKind::out_of_range, cues, " cues do not fit in ", o.minutes,
                      " minutes (a cue needs 12 s); give fewer cues");
  }
  std::error_code ec;
  if (fs::exists(o.dir, ec)) {
    return make_error(ErrorKind::io, o.dir.generic_string(),
                      " exists already; give a new folder for the bench's project");
  }
  FeatureBenchReport report;
  report.minutes = o.minutes;
  report.cues = cues;
  const auto all = Clock::now();

  // generate
  auto t = Clock::now();
  project::Manifest manifest = generate(o, cues);
  for (const auto& c : manifest.cues)
    report.music_seconds += time::seconds(c.out - c.in);
  auto created = project::Project::create(o.dir, manifest);
  if (!created) return created.error();
  int hard = 0;
  for (const auto& c : manifest.cues)
    for (const auto& h : c.hits)
      hard += h.kind == spot::HitKind::hard ? 1 : 0;
  report.stages.push_back({"generate", since(t),
                           base::cat(cues, " cues, ", base::fixed(report.music_seconds / 60, 1),
                                     " min of music, ", hard, " hard hits")});

  // sync
  t = Clock::now();
  auto session = Session::open(o.dir, {.models_dir = o.models_dir});
  if (!session) return session.error();
  int landed = 0, fitted = 0;
  for (int k = 0; k < cues; ++k) {
    const spot::CueId id = session->project().manifest().cues[static_cast<std::size_t>(k)].id;
    if (progress && !progress("sync", static_cast<double>(k) / cues)) {
      return make_error(ErrorKind::impossible, "cancelled");
    }
    auto proposal = session->propose_sync(id, {});
    if (!proposal) return proposal.error();
    if (proposal->options.empty()) continue;
    auto applied = session->apply_sync(*proposal, 1);
    if (!applied) return applied.error();
    ++fitted;
    landed += applied->chosen.check.hard_landed;
  }
  report.stages.push_back(
      {"sync", since(t),
       base::cat(fitted, " maps applied; ", landed, " of ", hard, " hard hits land")});

  // compose
  t = Clock::now();
  ComposeRequest request;
  request.candidates = o.candidates;
  request.keep = 1;
  request.seed = o.seed;
  request.out = o.dir / "compose";
  auto composed = session->compose(request, progress);
  if (!composed) return composed.error();
  report.stages.push_back({"compose", since(t),
                           base::cat(cues, " cues x ", o.candidates,
                                     " candidates; best: ", composed->summary.hard_hits_landed,
                                     " of ", composed->summary.hard_hits, " hard hits, ",
                                     composed->summary.sections_in_quadrant, " of ",
                                     composed->summary.sections, " sections in their quadrant")});

  // the signature: the project after sync and every kept MIDI file, in cue order
  std::string signed_bytes;
  auto manifest_bytes = base::read_file(o.dir / project::kManifestName);
  if (!manifest_bytes) return manifest_bytes.error();
  signed_bytes.append(manifest_bytes->begin(), manifest_bytes->end());
  std::vector<fs::path> files;
  std::vector<std::vector<std::uint8_t>> midi_files;  // read once: signed here, rendered below
  for (const auto& c : composed->cues) {
    files.push_back(c.kept.front().file);
    auto bytes = base::read_file(files.back());
    if (!bytes) return bytes.error();
    signed_bytes.append(bytes->begin(), bytes->end());
    midi_files.push_back(std::move(*bytes));
  }
  report.signature = base::hex64(base::stable_hash(signed_bytes));

  // render
  if (o.render) {
    t = Clock::now();
    double audio = 0;
    for (std::size_t k = 0; k < files.size(); ++k) {
      if (progress &&
          !progress("render", static_cast<double>(k) / static_cast<double>(files.size()))) {
        return make_error(ErrorKind::impossible, "cancelled");
      }
      auto smf = midi::read_smf(midi_files[k]);
      if (!smf) return smf.error().with_context(files[k].generic_string());
      render::RenderOptions ro;
      auto rendered = render::render_midi(smf->file, ro);
      if (!rendered) return rendered.error().with_context(files[k].generic_string());
      audio += rendered->music_seconds;
    }
    report.stages.push_back({"render", since(t),
                             base::cat(files.size(), " cues, ", base::fixed(audio / 60, 1),
                                       " min of audio (not in the signature)")});
  }
  report.seconds = since(all);
  return report;
}

nlohmann::json to_json(const FeatureBenchReport& r) {
  nlohmann::json j;
  j["minutes"] = r.minutes;
  j["cues"] = r.cues;
  j["music_seconds"] = r.music_seconds;
  j["signature"] = r.signature;
  j["seconds"] = r.seconds;
  j["stages"] = nlohmann::json::array();
  for (const auto& s : r.stages)
    j["stages"].push_back({{"stage", s.name}, {"seconds", s.seconds}, {"what", s.what}});
  return j;
}

}  // namespace duet::engine
