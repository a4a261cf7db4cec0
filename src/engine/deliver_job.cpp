#include "engine/deliver_job.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <mutex>
#include <system_error>
#include <thread>

#include "base/file.h"
#include "base/text.h"
#include "compose/candidates.h"
#include "compose/score.h"
#include "engine/session.h"
#include "export/musicxml.h"
#include "midi/smf.h"
#include "midi/timing.h"
#include "picture/burn.h"
#include "picture/film.h"
#include "project/project.h"
#include "spot/placement.h"
#include "sync/check.h"

namespace duet::engine {

namespace fs = std::filesystem;
using base::cat;
using base::ErrorKind;
using base::make_error;

base::Result<midi::MidiFile> read_cue_midi(const spot::CueId& cue, const fs::path& path) {
  const std::string id = cue.to_string();
  // 256 MiB: far above any cue, small enough that a wrong path to a film fails quickly.
  auto bytes = base::read_file(path, std::uintmax_t{256} << 20);
  if (!bytes) return bytes.error().with_context("cue " + id);
  auto read = midi::read_smf(*bytes);
  if (!read) return read.error().with_context("cue " + id + " (" + path.generic_string() + ")");
  return std::move(read->file);
}

namespace {

// The music between the render (which pushes it) and the mux (which pulls it): a bounded queue of
// samples. push blocks while it is full; pop blocks until it has enough, then fills with
// silence once the render has closed it. fail() hands the render's error to the mux; cancel()
// tells the render the mux has stopped.
class TrackQueue {
 public:
  explicit TrackQueue(std::size_t capacity) : capacity_(capacity) {}

  base::Result<void> push(std::span<const float> samples) {
    std::unique_lock<std::mutex> guard(lock_);
    std::size_t at = 0;
    while (at < samples.size()) {
      changed_.wait(guard, [&] { return cancelled_ || data_.size() < capacity_; });
      if (cancelled_) return make_error(ErrorKind::impossible, "writing the film stopped");
      const std::size_t n = std::min(samples.size() - at, capacity_ - data_.size());
      data_.insert(data_.end(), samples.begin() + static_cast<std::ptrdiff_t>(at),
                   samples.begin() + static_cast<std::ptrdiff_t>(at + n));
      at += n;
      changed_.notify_all();
    }
    return {};
  }
  base::Result<void> pop(std::span<float> out) {
    std::unique_lock<std::mutex> guard(lock_);
    std::size_t at = 0;
    while (at < out.size()) {
      changed_.wait(guard, [&] { return !data_.empty() || closed_ || failure_; });
      if (failure_) return *failure_;
      if (data_.empty()) {  // closed: the music has ended
        std::fill(out.begin() + static_cast<std::ptrdiff_t>(at), out.end(), 0.0f);
        return {};
      }
      const std::size_t n = std::min(out.size() - at, data_.size());
      std::copy_n(data_.begin(), n, out.begin() + static_cast<std::ptrdiff_t>(at));
      data_.erase(data_.begin(), data_.begin() + static_cast<std::ptrdiff_t>(n));
      at += n;
      changed_.notify_all();
    }
    return {};
  }
  void close() {
    set([&] { closed_ = true; });
  }
  void fail(base::Error error) {
    set([&] { failure_ = std::move(error); });
  }
  void cancel() {
    set([&] { cancelled_ = true; });
  }

 private:
  template <typename F>
  void set(F&& change) {
    const std::lock_guard<std::mutex> guard(lock_);
    change();
    changed_.notify_all();
  }
  std::size_t capacity_;
  std::mutex lock_;
  std::condition_variable changed_;
  std::deque<float> data_;
  bool closed_ = false, cancelled_ = false;
  std::optional<base::Error> failure_;
};

// The track before its loudness gain, kept in scratch files (raw floats, in the system's
// temporary folder, removed when done): the whole track must be measured before any of it is
// written at its final level.
class ScratchTrack {
 public:
  using Parts = std::array<std::span<const float>, render::kSectionCount>;

  static base::Result<ScratchTrack> make(bool stems) {
    std::error_code ec;
    const fs::path base = fs::temp_directory_path(ec);
    if (ec) return make_error(ErrorKind::io, "no folder for scratch files: ", ec.message());
    static std::atomic<int> counter{0};
    ScratchTrack t;
    t.dir_ = base / cat("duet-score-", ::getpid(), "-", counter++);
    fs::create_directories(t.dir_, ec);
    if (ec) {
      return make_error(ErrorKind::io, "cannot create the scratch folder ", t.dir_.string(), ": ",
                        ec.message());
    }
    t.files_ = stems ? 1 + render::kSectionCount : 1;
    for (std::size_t k = 0; k < t.files_; ++k) {
      t.out_[k].open(t.dir_ / cat("part-", k), std::ios::binary);
      if (!t.out_[k]) return make_error(ErrorKind::io, "cannot write in ", t.dir_.string());
    }
    return t;
  }
  ScratchTrack() = default;
  ScratchTrack(ScratchTrack&& o) noexcept
      : dir_(std::move(o.dir_)), files_(o.files_), out_(std::move(o.out_)) {
    o.dir_.clear();
  }
  ~ScratchTrack() {
    if (dir_.empty()) return;
    for (auto& f : out_)
      f.close();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  base::Result<void> write(const render::TrackBlock& b) {
    if (!put(0, b.mix)) return full();
    for (std::size_t k = 1; k < files_; ++k)
      if (!put(k, b.stems[k - 1])) return full();
    return {};
  }
  // Reads everything back in blocks of `frames` frames, times `gain`.
  base::Result<void> replay(
      std::size_t frames, float gain,
      const std::function<base::Result<void>(std::span<const float>, const Parts&)>& take) {
    std::array<std::ifstream, 1 + render::kSectionCount> in;
    for (std::size_t k = 0; k < files_; ++k) {
      out_[k].close();
      in[k].open(dir_ / cat("part-", k), std::ios::binary);
      if (!in[k]) return make_error(ErrorKind::io, "cannot read back ", dir_.string());
    }
    std::array<std::vector<float>, 1 + render::kSectionCount> block;
    for (;;) {
      std::size_t got = 0;
      for (std::size_t k = 0; k < files_; ++k) {
        block[k].resize(frames * 2);
        in[k].read(reinterpret_cast<char*>(block[k].data()),
                   static_cast<std::streamsize>(block[k].size() * sizeof(float)));
        const auto n = static_cast<std::size_t>(in[k].gcount()) / sizeof(float);
        block[k].resize(n);
        if (k == 0) got = n;
        for (float& x : block[k])
          x *= gain;
      }
      if (got == 0) return {};
      Parts parts{};
      for (std::size_t k = 1; k < files_; ++k)
        parts[k - 1] = block[k];
      if (auto ok = take(block[0], parts); !ok) return ok;
    }
  }

 private:
  bool put(std::size_t k, std::span<const float> v) {
    out_[k].write(reinterpret_cast<const char*>(v.data()),
                  static_cast<std::streamsize>(v.size() * sizeof(float)));
    return static_cast<bool>(out_[k]);
  }
  base::Error full() const {
    return make_error(ErrorKind::io, "cannot write the scratch files in ", dir_.string(),
                      " (is the disk full?)");
  }
  fs::path dir_;
  std::size_t files_ = 1;
  std::array<std::ofstream, 1 + render::kSectionCount> out_;
};

// "<dir>/<base>-strings.wav": one name for a stem, wherever stems are written.
fs::path stem_path(const fs::path& dir, const std::string& base_name, render::Section section) {
  return dir / (base_name + "-" + std::string(render::section_name(section)) + ".wav");
}

bool file_exists(const fs::path& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

// One warning per cue that no take was found for, saying what became of it ("left silent").
void warn_skipped(const std::vector<SkippedCue>& skipped, std::string_view outcome,
                  std::vector<std::string>& warnings) {
  for (const auto& s : skipped) {
    warnings.push_back(cat("cue ", s.cue.to_string(), " has no composed MIDI (",
                           s.expected.generic_string(), "): ", outcome));
  }
}

nlohmann::json skipped_json(const std::vector<SkippedCue>& skipped) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& s : skipped)
    j.push_back({{"cue", s.cue.to_string()}, {"expected", s.expected.generic_string()}});
  return j;
}

std::string_view track_name(picture::MusicTrack track) {
  return track == picture::MusicTrack::separate ? "separate" : "mix";
}

}  // namespace

fs::path composed_take(const fs::path& from, const spot::CueId& cue, int rank) {
  return from / compose::candidate_file_name(cue, rank);
}

base::Result<FoundTakes> find_takes(const project::Project& project,
                                    const std::vector<spot::CueId>& cues, const Takes& takes) {
  const std::string project_name = project.dir().generic_string();
  const std::string from = takes.from.generic_string();
  // What the composer chose must name cues of the project.
  for (const auto& [id, path] : takes.midi) {
    if (auto c = project.cue(id); !c) return c.error().with_context("--midi " + id.to_string());
  }
  for (const auto& [id, rank] : takes.take) {
    const std::string what = cat("--take ", id.to_string(), "=", rank);
    if (auto c = project.cue(id); !c) return c.error().with_context(what);
    if (rank < 1) {
      return make_error(ErrorKind::out_of_range, what,
                        ": a candidate's rank counts from 1 (the best)");
    }
  }
  auto selected = project.select_cues(cues);
  if (!selected) return selected.error();
  const bool named = !cues.empty();
  FoundTakes found;
  for (const spot::Cue* c : *selected) {
    const std::string id = c->id.to_string();
    if (auto own = takes.midi.find(c->id); own != takes.midi.end()) {
      if (!file_exists(own->second)) {
        return make_error(ErrorKind::io, "cue ", id, ": its MIDI file ",
                          own->second.generic_string(), " is not there");
      }
      found.cues.push_back({*c, own->second, 0});
      continue;
    }
    const auto chosen = takes.take.find(c->id);
    // The music the composer kept for the cue, unless this request names another take.
    if (chosen == takes.take.end() && !c->music.empty()) {
      const fs::path kept = project.dir() / c->music;
      if (!file_exists(kept)) {
        return make_error(ErrorKind::io, "cue ", id, ": the music kept for it, ", c->music,
                          ", is not in ", project_name,
                          "; keep another take (the board, or 'music' in duet.json) or name one "
                          "with --take ",
                          id, "=N");
      }
      found.cues.push_back({*c, kept, 0});
      continue;
    }
    const int rank = chosen != takes.take.end() ? chosen->second : 1;
    if (takes.from.empty()) {
      return make_error(ErrorKind::invalid_input, "cue ", id,
                        " has no MIDI file: give --from DIR (what 'duet compose --out DIR' wrote) "
                        "or --take ",
                        id, "=FILE");
    }
    const fs::path path = composed_take(takes.from, c->id, rank);
    if (file_exists(path)) {
      found.cues.push_back({*c, path, rank});
    } else if (named || chosen != takes.take.end()) {
      if (rank > 1 && file_exists(composed_take(takes.from, c->id, 1))) {
        return make_error(ErrorKind::io, "cue ", id, " has no candidate ", rank, ": expected ",
                          path.generic_string(),
                          "; compose keeps as many as its --keep (3 unless told)");
      }
      return make_error(ErrorKind::io, "cue ", id, " has no composed MIDI: expected ",
                        path.generic_string(), "; write it with 'duet compose ", project_name,
                        " --cue ", id, " --out ", from, "' or name a file with --take ", id,
                        "=FILE");
    } else {
      found.skipped.push_back({c->id, path});
    }
  }
  if (found.cues.empty()) {
    return make_error(ErrorKind::invalid_input, "no cue of ", project_name,
                      " has a composed MIDI file in ", from, "; write them with 'duet compose ",
                      project_name, " --all --out ", from, "'");
  }
  return found;
}

std::optional<std::string> tempo_mismatch(const spot::Cue& cue, const midi::MidiFile& file,
                                          const fs::path& path, const time::FrameRate& rate) {
  if (!cue.tempo_map) return std::nullopt;
  const midi::Timeline timeline = midi::Timeline::of(file);
  if (!timeline.has_beats()) return std::nullopt;  // SMPTE ticks: no bars to compare
  const time::TempoMap& own = timeline.tempo_map();
  const time::TimePos at = spot::place_midi(file, cue, rate).at;
  auto placed = time::TempoMap::create(own.tempo_changes(), own.meters(), at);
  if (!placed) return std::nullopt;  // Timeline::of gives valid maps; nothing to say otherwise
  const time::TimeDur frame = time::time_of_frame(1, rate) - time::time_of_frame(0, rate);
  const sync::MapDrift drift =
      sync::compare_maps(*cue.tempo_map, *placed, cue.in, cue.out, rate, frame);
  if (drift.agree()) return std::nullopt;
  return cat("cue ", cue.id.to_string(), ": the tempo map of ", path.generic_string(),
             " is not the cue's: bar ", drift.first_off.bar, " falls at ",
             time::nearest_label(drift.theirs_at, rate), " in the file and at ",
             time::nearest_label(drift.ours_at, rate), " on the cue's map (", drift.bars_off,
             " of ", drift.bars, " bars more than a frame apart, up to ",
             base::fixed(drift.worst_frames, 1),
             " frames), so its clicks, streamers and hits will not agree with the music; "
             "compose the cue again on its map, or apply the file's tempo to the cue");
}

// ---- score_film ----

base::Result<ScoreFilmReport> Session::score_film(const ScoreFilmRequest& request,
                                                  const Progress& progress) {
  if (request.out.empty() && request.wav.empty() && request.stems.empty()) {
    return make_error(ErrorKind::invalid_input,
                      "nothing to write: name the film with music, the WAV or the stems folder");
  }
  const project::Manifest& m = project_.manifest();
  const time::FrameRate rate = m.picture.rate;
  const std::string project_name = project_.dir().generic_string();

  if (request.excerpt) {
    if (request.cues.empty()) {
      return make_error(ErrorKind::invalid_input,
                        "an excerpt for review needs the cues it is around: name them with --cue");
    }
    const auto& x = *request.excerpt;
    if (!(x.pre_roll >= 0 && x.pre_roll <= 600 && x.post_roll >= 0 && x.post_roll <= 600)) {
      return make_error(ErrorKind::out_of_range, "pre-roll and post-roll take 0 to 600 seconds");
    }
    if (x.seconds && !(*x.seconds >= 0.1 && *x.seconds <= 3600)) {
      return make_error(ErrorKind::out_of_range, "an excerpt's length takes 0.1 to 3600 seconds");
    }
  }
  // The cues and their MIDI files, all read before anything is rendered.
  auto found = find_takes(project_, request.cues, request.takes);
  if (!found) return found.error();
  ScoreFilmReport report;
  report.skipped = std::move(found->skipped);
  warn_skipped(report.skipped, "left silent", report.warnings);
  std::vector<render::FilmCue> cues;
  for (CueTake& t : found->cues) {
    auto midi = read_cue_midi(t.cue.id, t.path);
    if (!midi) return midi.error();
    if (auto w = tempo_mismatch(t.cue, *midi, t.path, rate)) report.warnings.push_back(*w);
    cues.push_back({std::move(t.cue), std::move(*midi), t.path.generic_string()});
  }

  // The picture: what the music goes onto (and how long the track is).
  report.request = request;
  report.project = project_name;
  report.rate = rate;
  fs::path film = request.film;
  if (film.empty() && !m.picture.film.empty()) film = project_.dir() / m.picture.film;
  report.film = film.string();
  std::optional<picture::FilmInfo> info;
  if (!request.out.empty()) {
    if (film.empty()) {
      return make_error(ErrorKind::invalid_input,
                        "no film to put the music on: give --film, or set the project's "
                        "picture.film");
    }
    auto probed = picture::probe_film(film);
    if (!probed) return probed.error();
    info = std::move(*probed);
    std::error_code ec;
    if (fs::equivalent(request.out, film, ec)) {
      return make_error(ErrorKind::invalid_input, "the output '", request.out.string(),
                        "' is the film itself; give another file name");
    }
  } else if (!film.empty() && file_exists(film)) {
    // Only for the track's length: a film that cannot be read leaves it open-ended.
    if (auto probed = picture::probe_film(film)) info = std::move(*probed);
  }

  render::FilmOptions options;
  options.rate = rate;
  options.film_start = time::to_time(m.picture.start, rate);
  if (info) options.film_duration = info->duration;
  // A review excerpt: the span of the named cues with their rolls, in whole frames of the film.
  std::optional<std::pair<std::int64_t, std::int64_t>> excerpt_frames;  // first, count
  if (request.excerpt) {
    const auto& x = *request.excerpt;
    time::TimePos from = cues.front().cue.in, to = cues.front().cue.out;
    for (const auto& c : cues) {
      from = std::min(from, c.cue.in);
      to = std::max(to, c.cue.out);
    }
    const auto seconds = [](double s) {
      return time::TimeDur(std::llround(s * static_cast<double>(time::kSuperclockPerSecond)));
    };
    const time::TimePos start = options.film_start;
    const std::int64_t last =  // the film's frame count, when known
        info ? std::max<std::int64_t>(1, info->frame_count) : -1;
    // Film frames counted from the film's first (0), and back to their time.
    const auto frame_of = [&](time::TimePos t) {
      return time::frame_at(t, rate) - time::frame_at(start, rate);
    };
    const auto at_frame = [&](std::int64_t f) {
      return start + (time::time_of_frame(f, rate) - time::time_of_frame(0, rate));
    };
    // The end (exclusive) of the frame that holds the last instant before `t`.
    const auto end_before = [&](time::TimePos t) { return frame_of(t - time::TimeDur(1)) + 1; };
    std::int64_t first = frame_of(std::max(x.from ? *x.from : from - seconds(x.pre_roll), start));
    std::int64_t end = end_before(to + seconds(x.post_roll));
    if (last > 0) end = std::min(end, last);
    if (x.seconds) end = std::min(end, end_before(at_frame(first) + seconds(*x.seconds)));
    first = std::max<std::int64_t>(0, first);
    if (x.from) {
      // An audition from a point must hear one of the cues it names.
      const time::TimePos a = at_frame(first), b = at_frame(std::max(first, end));
      const bool hears = std::any_of(cues.begin(), cues.end(), [&](const render::FilmCue& c) {
        return c.cue.in < b && c.cue.out > a;
      });
      if (!hears) {
        const auto& named = cues.front().cue;
        return make_error(
            ErrorKind::out_of_range, "the excerpt from ", time::nearest_label(a, rate),
            end > first ? " to " + time::nearest_label(b, rate) : std::string(),
            " holds none of the cues named (", named.id.to_string(), " is ",
            time::nearest_label(named.in, rate), " to ", time::nearest_label(named.out, rate),
            "); start it inside the cue or just before it");
      }
    }
    if (end <= first) {
      return make_error(ErrorKind::out_of_range, "the cues lie outside the film (it ends at ",
                        time::nearest_label(at_frame(last), rate),
                        "): there is nothing to excerpt");
    }
    excerpt_frames = {first, end - first};
    options.film_start = at_frame(first);
    options.film_duration = at_frame(end) - at_frame(first);
    report.excerpt = {options.film_start, options.film_start + options.film_duration};
    // The music around the cue as the film plays it: every other cue that sounds inside the
    // excerpt and has a take is heard too (one without is simply not there), unless asked alone.
    if (!x.alone) {
      const std::size_t named = cues.size();
      auto all = find_takes(project_, {}, request.takes);
      for (CueTake& t : all ? all->cues : std::vector<CueTake>{}) {
        const auto is_named = [&](const render::FilmCue& c) { return c.cue.id == t.cue.id; };
        if (std::any_of(cues.begin(), cues.begin() + static_cast<std::ptrdiff_t>(named), is_named))
          continue;
        if (t.cue.out <= report.excerpt->first || t.cue.in >= report.excerpt->second) continue;
        auto midi = read_cue_midi(t.cue.id, t.path);
        if (!midi) return midi.error();
        report.around.push_back(t.cue.id);
        cues.push_back({std::move(t.cue), std::move(*midi), t.path.generic_string()});
      }
    }
  }
  options.chase = request.excerpt && request.excerpt->chase;
  options.render.soundfont = request.soundfont;
  options.render.stems = !request.stems.empty();
  options.jobs = request.jobs;
  // 0.25 s: the fade into and out of each ducked window, short enough to stay inside a line.
  if (request.duck_db) options.duck = render::DuckOptions{*request.duck_db, 0.25};
  for (const fs::path& f : {request.out, request.wav}) {
    if (f.empty()) continue;
    if (auto ok = make_parent(f); !ok) return ok.error();
  }
  // A stems folder made here is taken away again (when still empty) if the job fails.
  struct MadeFolder {
    fs::path dir;
    bool keep = false;
    ~MadeFolder() {
      std::error_code ec;
      if (!dir.empty() && !keep) fs::remove(dir, ec);  // only an empty folder goes
    }
  } made_stems;
  if (!request.stems.empty()) {
    if (!file_exists(request.stems)) made_stems.dir = request.stems;
    if (auto ok = make_dir(request.stems); !ok) return ok.error();
  }
  const int sample_rate = options.render.sample_rate;

  // The excerpt's picture, cut frame for frame into a hidden file beside the output (taken away
  // when done): the music then goes onto it as onto a whole film.
  struct Scratch {
    fs::path path;
    ~Scratch() {
      std::error_code ec;
      if (!path.empty()) fs::remove(path, ec);
    }
  } cut_picture;
  if (excerpt_frames && !request.out.empty()) {
    cut_picture.path = request.out.parent_path() / cat(".", request.out.stem().string(), ".picture",
                                                       request.out.extension().string());
    picture::BurnOptions cut;
    cut.first_frame = excerpt_frames->first;
    cut.frames = excerpt_frames->second;
    const std::string stage = "cutting the picture for review";
    if (progress) cut.progress = [&](double f) { return progress(stage, f); };
    auto made = picture::burn_overlays(film, {}, cut_picture.path, cut);
    if (!made) return made.error();
    film = cut_picture.path;
  }

  // Progress from the render's workers and from the mux on this thread, one at a time. With a
  // film to write, its progress (the picture written) is the stage's: the music is rendered just
  // ahead of it.
  std::mutex progress_lock;
  std::atomic<bool> cancelled{false};
  const auto tell = [&](const std::string& stage, double fraction) {
    if (!progress) return !cancelled.load();
    const std::lock_guard<std::mutex> guard(progress_lock);
    if (!cancelled.load() && !progress(stage, fraction)) cancelled.store(true);
    return !cancelled.load();
  };
  const std::string rendering =
      "rendering " + std::to_string(cues.size()) + (cues.size() == 1 ? " cue" : " cues");
  const std::string writing =
      request.out.empty() ? rendering : rendering + " onto " + request.out.filename().string();

  // Where the finished track goes, a block at a time: the WAV, each stem (written to temporaries
  // beside their names, renamed when everything is done), and the film's mux through a queue.
  std::optional<render::WavWriter> wav;
  if (!request.wav.empty()) {
    auto opened = render::WavWriter::open(request.wav, sample_rate);
    if (!opened) return opened.error();
    wav.emplace(std::move(*opened));
  }
  const std::string base_name = !request.out.empty()   ? request.out.stem().string()
                                : !request.wav.empty() ? request.wav.stem().string()
                                                       : std::string("film");
  std::array<std::optional<render::WavWriter>, render::kSectionCount> stems;
  if (!request.stems.empty()) {
    for (std::size_t k = 0; k < stems.size(); ++k) {
      auto opened = render::WavWriter::open(
          stem_path(request.stems, base_name, static_cast<render::Section>(k)), sample_rate);
      if (!opened) return opened.error();
      stems[k].emplace(std::move(*opened));
    }
  }
  TrackQueue queue(static_cast<std::size_t>(sample_rate) * 2 * 8);  // 8 s of music
  const bool muxing = !request.out.empty();
  const auto deliver = [&](std::span<const float> mix,
                           const std::array<std::span<const float>, render::kSectionCount>& parts)
      -> base::Result<void> {
    if (wav) {
      if (auto ok = wav->write(mix); !ok) return ok;
    }
    for (std::size_t k = 0; k < stems.size(); ++k) {
      if (!stems[k]) continue;
      if (auto ok = stems[k]->write(parts[k]); !ok) return ok;
    }
    if (muxing) return queue.push(mix);
    return {};
  };

  // The passes: render straight to the outputs; or, to normalise the loudness of the whole
  // track, render to scratch files, measure, and then read them back with the gain applied.
  const auto started = std::chrono::steady_clock::now();
  std::optional<render::StreamedFilm> streamed;
  std::optional<render::Normalization> normalization;
  const auto render_pass = [&](const render::TrackSink& sink) -> base::Result<void> {
    options.progress = [&](double fraction, std::size_t, std::size_t) {
      return muxing && !request.loudness ? !cancelled.load() : tell(rendering, fraction);
    };
    auto done = render::stream_film(cues, options, sink);
    if (!done) return done.error();
    streamed = std::move(*done);
    report.render_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return {};
  };
  std::optional<ScratchTrack> scratch;
  const auto produce = [&]() -> base::Result<void> {
    if (!request.loudness) {
      return render_pass([&](const render::TrackBlock& b) { return deliver(b.mix, b.stems); });
    }
    // The second pass: the scratch files read back a second at a time with the gain on.
    auto meter = render::LoudnessMeter::make(sample_rate);
    if (!meter) return meter.error();
    const auto gain = static_cast<float>(std::pow(10.0, normalization->gain_db / 20.0));
    auto read =
        scratch->replay(static_cast<std::size_t>(sample_rate), gain,
                        [&](std::span<const float> mix,
                            const std::array<std::span<const float>, render::kSectionCount>& parts)
                            -> base::Result<void> {
                          if (auto ok = meter->add(mix); !ok) return ok;
                          return deliver(mix, parts);
                        });
    if (!read) return read;
    normalization->after = meter->result();
    return {};
  };
  if (request.loudness) {
    auto made = ScratchTrack::make(options.render.stems);
    if (!made) return made.error();
    scratch.emplace(std::move(*made));
    auto first = render_pass([&](const render::TrackBlock& b) { return scratch->write(b); });
    if (!first) return first.error();
    normalization = render::normalization_for(
        streamed->loudness, render::NormalizeOptions{*request.loudness, request.ceiling});
  }
  if (muxing) {
    // The music is made on another thread (and the render's own workers) while this one encodes
    // it onto the picture; the queue between them holds a few seconds.
    std::optional<base::Error> produce_error;
    std::thread producer([&]() {
      auto ok = produce();
      if (!ok) {
        produce_error = ok.error();
        queue.fail(ok.error());
      } else {
        queue.close();
      }
    });
    picture::MuxOptions mux;
    mux.track = request.music_track;
    mux.original_gain_db = request.original_gain_db;
    mux.progress = [&](double f) { return tell(writing, f); };
    auto done = picture::mux_music(
        film, [&](std::span<float> block) { return queue.pop(block); }, sample_rate, request.out,
        mux);
    if (!done) queue.cancel();  // the producer stops at its next block
    producer.join();
    // The mux's error first: it carries the render's error when the render failed, and says
    // "cancelled" when the user cancelled (the render then only reports that writing stopped).
    if (!done) return done.error();
    if (produce_error) return *produce_error;
    report.muxed = *done;
  } else if (auto ok = produce(); !ok) {
    return ok.error();
  }

  // Everything rendered and written: the files take their names, the film's first.
  if (muxing) report.written.push_back(request.out.generic_string());
  if (wav) {
    if (auto ok = wav->finish(); !ok) return ok.error();
    report.written.push_back(request.wav.generic_string());
  }
  for (std::size_t k = 0; k < stems.size(); ++k) {
    if (!stems[k] || !streamed->plays[k]) continue;  // a section that never plays: no file
    if (auto ok = stems[k]->finish(); !ok) return ok.error();
    report.written.push_back(stems[k]->path().generic_string());
    ++report.stems;
  }
  made_stems.keep = true;
  report.rendered = std::move(*streamed);
  report.normalization = normalization;
  report.loudness = normalization ? normalization->after : report.rendered.loudness;
  for (const auto& c : report.rendered.cues)
    report.music_seconds += static_cast<double>(c.frames) / sample_rate;
  return report;
}

nlohmann::json to_json(const ScoreFilmReport& report) {
  const render::StreamedFilm& r = report.rendered;
  const ScoreFilmRequest& q = report.request;
  nlohmann::json j;
  j["project"] = report.project;
  j["film"] = report.film;
  j["seconds"] = static_cast<double>(r.frames) / r.sample_rate;
  j["sample_rate"] = r.sample_rate;
  j["jobs"] = r.jobs;
  j["render_seconds"] = report.render_seconds;
  j["cues"] = nlohmann::json::array();
  for (const auto& c : r.cues) {
    j["cues"].push_back({{"id", c.id},
                         {"midi", c.midi_path},
                         {"at", time::nearest_label(c.origin.at, report.rate)},
                         {"from", spot::to_string(c.origin.from)},
                         {"first_sample", c.first_sample},
                         {"seconds", static_cast<double>(c.frames) / r.sample_rate},
                         {"cut_at_start", c.cut_at_start},
                         {"cut_at_end", c.cut_at_end},
                         {"tail_faded", c.tail_faded}});
  }
  add_loudness_json(j, report.loudness);
  if (report.normalization && q.loudness) {
    j["normalization"] = {{"target_lufs", *q.loudness},
                          {"gain_db", round_db(report.normalization->gain_db)},
                          {"peak_limited", report.normalization->peak_limited}};
  }
  if (q.duck_db) j["duck"] = {{"depth_db", *q.duck_db}, {"windows", r.duck_windows}};
  if (report.muxed) {
    j["mux"] = {{"audio_codec", report.muxed->audio_codec},
                {"audio_bit_rate", report.muxed->audio_bit_rate},
                {"music_track", track_name(q.music_track)},
                {"original_gain_db", q.original_gain_db},
                {"mixed_original", report.muxed->mixed_original},
                {"video_packets_copied", report.muxed->video_packets},
                {"timecode", report.muxed->timecode}};
  }
  j["written"] = report.written;
  j["skipped"] = skipped_json(report.skipped);
  j["warnings"] = report.warnings;
  if (report.excerpt) {
    nlohmann::json around = nlohmann::json::array();
    for (const auto& id : report.around)
      around.push_back(id.to_string());
    j["excerpt"] = {{"from", time::nearest_label(report.excerpt->first, report.rate)},
                    {"to", time::nearest_label(report.excerpt->second, report.rate)},
                    {"around", around}};
  }
  return j;
}

double round_db(double x) {
  return std::round(x * 100) / 100;
}

void add_loudness_json(nlohmann::json& j, const render::Loudness& loudness) {
  j["integrated_lufs"] = loudness.integrated_lufs
                             ? nlohmann::json(round_db(*loudness.integrated_lufs))
                             : nlohmann::json(nullptr);
  j["true_peak_dbtp"] = round_db(loudness.true_peak_dbtp);
}

base::Result<void> make_dir(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    return make_error(ErrorKind::io, "cannot create the folder ", dir.generic_string(), ": ",
                      ec.message());
  }
  return {};
}

base::Result<void> make_parent(const fs::path& file) {
  const fs::path parent = file.parent_path();
  if (parent.empty()) return {};
  return make_dir(parent);
}

base::Result<void> write_stems(const fs::path& dir, const std::string& base_name,
                               const std::vector<render::Stem>& stems,
                               std::vector<std::string>& written) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    return make_error(ErrorKind::io, "cannot create the folder ", dir.string(), ": ", ec.message());
  }
  for (const auto& s : stems) {
    const fs::path path = stem_path(dir, base_name, s.section);
    if (auto ok = render::write_wav(path, s.audio); !ok) return ok.error();
    written.push_back(path.generic_string());
  }
  return {};
}

// ---- export_cues ----

namespace {

struct OutFile {
  ExportedFile file;
  std::vector<std::uint8_t> bytes;
};

// The files of one cue, made in memory (nothing is written when any of them fails).
// A take whose tempo map is not the cue's adds a warning to `warnings`.
base::Result<std::vector<OutFile>> export_cue(const ExportRequest& request,
                                              const project::Manifest& m, const spot::Cue& cue,
                                              const fs::path& midi_path,
                                              std::vector<std::string>& warnings) {
  const std::string id = cue.id.to_string();
  auto file = read_cue_midi(cue.id, midi_path);
  if (!file) return file.error();
  if (auto w = tempo_mismatch(cue, *file, midi_path, m.picture.rate)) warnings.push_back(*w);
  const std::string where = "cue " + id + " (" + midi_path.generic_string() + ")";
  const time::TimePos origin = spot::place_midi(*file, cue, m.picture.rate).at;
  auto score = compose::from_midi(*file, origin);
  if (!score) return score.error().with_context(where);
  if (score->hits.empty()) {
    // A composer's own file has no hit markers: the cue's hit points, on the file's clock.
    for (const spot::HitPoint& h : cue.hits) {
      score->hits.push_back(
          {score->tempo_map.beats_at(h.at), h.label, h.kind == spot::HitKind::hard});
    }
  }
  const std::string title = cue.title.empty() ? id : id + " " + cue.title;
  std::vector<OutFile> out;
  if (request.musicxml) {
    auto xml = exporting::to_musicxml(*score, {.title = title});
    if (!xml) return xml.error().with_context("cue " + id);
    out.push_back({{cue.id, request.out / (id + ".musicxml"),
                    cat(score->parts.size(), score->parts.size() == 1 ? " part" : " parts")},
                   std::vector<std::uint8_t>(xml->begin(), xml->end())});
  }
  if (request.midi) {
    compose::MidiExportOptions options;
    options.rate = m.picture.rate;
    options.title = title;
    auto daw = compose::to_midi(*score, options);
    if (!daw) return daw.error().with_context("cue " + id);
    auto smf = midi::write_smf(*daw);
    if (!smf) return smf.error().with_context("cue " + id);
    out.push_back({{cue.id, request.out / (id + ".mid"),
                    cat("DAW MIDI at ", time::nearest_label(origin, m.picture.rate))},
                   std::move(*smf)});
  }
  return out;
}

}  // namespace

base::Result<ExportReport> Session::export_cues(const ExportRequest& request) {
  if (!request.musicxml && !request.midi) {
    return make_error(ErrorKind::invalid_input,
                      "nothing to export: ask for MusicXML, MIDI or both");
  }
  const project::Manifest& m = project_.manifest();
  auto found = find_takes(project_, request.cues, request.takes);
  if (!found) return found.error();
  ExportReport report;
  report.skipped = std::move(found->skipped);
  warn_skipped(report.skipped, "not exported", report.warnings);
  std::vector<OutFile> outputs;
  for (const CueTake& t : found->cues) {
    auto files = export_cue(request, m, t.cue, t.path, report.warnings);
    if (!files) return files.error();
    for (auto& f : *files)
      outputs.push_back(std::move(f));
  }
  std::error_code ec;
  fs::create_directories(request.out, ec);
  if (ec) {
    return make_error(ErrorKind::io, "cannot create ", request.out.string(), ": ", ec.message());
  }
  for (OutFile& f : outputs) {
    auto ok = base::write_file_atomic(f.file.path, f.bytes);
    if (!ok) return ok.error();
    report.written.push_back(std::move(f.file));
  }
  return report;
}

nlohmann::json to_json(const ExportReport& report) {
  nlohmann::json j;
  j["written"] = nlohmann::json::array();
  for (const auto& f : report.written) {
    j["written"].push_back(
        {{"cue", f.cue.to_string()}, {"file", f.path.generic_string()}, {"what", f.what}});
  }
  j["skipped"] = skipped_json(report.skipped);
  j["warnings"] = report.warnings;
  return j;
}

// ---- cue_sheet ----

base::Result<CueSheetReport> Session::cue_sheet(const CueSheetRequest& request) {
  const project::Manifest& m = project_.manifest();
  CueSheetReport report;
  exporting::CueSheet& sheet = report.sheet;
  sheet.production = project::production_title(m);
  sheet.company = m.production.company;
  sheet.rate = m.picture.rate;
  for (const spot::Cue& c : m.cues) {
    const exporting::Credits& credits = project::credits_for(m, c.id);
    sheet.entries.push_back({c, credits});
    if (credits.writers.empty()) report.without_writers.push_back(c.id);
  }
  report.csv = exporting::cue_sheet_csv(sheet);
  report.html = exporting::cue_sheet_html(sheet);
  // Both made before either is written.
  if (!request.csv.empty()) {
    if (auto ok = base::write_file_atomic(request.csv, report.csv); !ok) return ok.error();
    report.written.push_back(request.csv);
  }
  if (!request.html.empty()) {
    if (auto ok = base::write_file_atomic(request.html, report.html); !ok) return ok.error();
    report.written.push_back(request.html);
  }
  return report;
}

nlohmann::json to_json(const CueSheetReport& report) {
  nlohmann::json j;
  j["production"] = report.sheet.production;
  j["company"] = report.sheet.company;
  j["cues"] = report.sheet.entries.size();
  j["without_writers"] = nlohmann::json::array();
  for (const auto& id : report.without_writers)
    j["without_writers"].push_back(id.to_string());
  j["written"] = nlohmann::json::array();
  for (const auto& f : report.written)
    j["written"].push_back(f.generic_string());
  j["csv"] = report.csv;
  return j;
}

// ---- credits ----

base::Result<CreditsReport> Session::credits(const CreditsRequest& request) {
  if (request.cue) {
    if (auto c = project_.cue(*request.cue); !c) return c.error();
    if (request.title || request.company) {
      return make_error(ErrorKind::invalid_input,
                        "the title and the company belong to the production, not to cue ",
                        request.cue->to_string());
    }
  }
  CreditsReport report;
  if (request.changes()) {
    project::Manifest m = project_.manifest();
    exporting::Credits& target = request.cue ? m.cue_credits[*request.cue] : m.production.credits;
    if (request.clear) target = {};
    if (request.writers) target.writers = *request.writers;
    if (request.publishers) target.publishers = *request.publishers;
    if (request.title) m.production.title = *request.title;
    if (request.company) m.production.company = *request.company;
    // A cue without credits of its own takes the production's.
    if (request.cue && target.empty()) m.cue_credits.erase(*request.cue);
    // Validated (shares add up to 100...) and written atomically; nothing changes on failure.
    if (auto ok = project_.update(std::move(m)); !ok) return ok.error();
    report.saved = true;
    report.cue = request.cue;
    report.manifest = project_.manifest_path();
  }
  const project::Manifest& m = project_.manifest();
  report.title = project::production_title(m);
  report.company = m.production.company;
  report.production = m.production.credits;
  report.cues = m.cue_credits;
  report.target = request.cue ? project::credits_for(m, *request.cue) : m.production.credits;
  return report;
}

nlohmann::json to_json(const CreditsReport& report) {
  nlohmann::json j;
  j["production"] = {{"title", report.title},
                     {"company", report.company},
                     {"credits", project::write_credits(report.production)}};
  j["cues"] = nlohmann::json::object();
  for (const auto& [id, credits] : report.cues)
    j["cues"][id.to_string()] = project::write_credits(credits);
  j["saved"] = report.saved;
  return j;
}

}  // namespace duet::engine
