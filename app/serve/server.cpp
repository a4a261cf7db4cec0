#include "server.h"

#include "requests.h"

#include <httplib.h>

#include <condition_variable>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <utility>
#include <vector>

#include "base/file.h"
#include "base/hash.h"
#include "engine/board_view.h"
#include "engine/critique_job.h"
#include "engine/project_job.h"
#include "engine/session.h"
#include "spot/cue.h"
#include "time/timecode.h"

namespace duet::serve {

namespace fs = std::filesystem;
using nlohmann::json;

std::string new_token() {
  std::random_device device;
  std::string token;
  for (int i = 0; i < 4; ++i) {
    const std::uint32_t word = device();
    static constexpr char kHex[] = "0123456789abcdef";
    for (int k = 0; k < 8; ++k)
      token += kHex[(word >> (28 - 4 * k)) & 0xf];
  }
  return token;
}

// A job the server runs on its own thread: progress, the result, cancel.
struct Server::Job {
  std::string id;
  std::string kind;  // "compose"
  std::mutex mutex;
  std::condition_variable changed;
  std::string state = "running";  // running, done, failed, cancelled
  std::string stage;
  double fraction = 0;
  json result;
  std::string error;
  std::atomic<bool> cancel{false};
  std::thread thread;

  json status() {
    std::lock_guard lock(mutex);
    json j{{"job", id}, {"kind", kind}, {"state", state}, {"stage", stage}, {"fraction", fraction}};
    if (state == "done") j["result"] = result;
    if (!error.empty()) j["error"] = error;
    return j;
  }
};

namespace {

void send_error(httplib::Response& res, int status, const std::string& sentence) {
  res.status = status;
  res.set_content(json{{"error", sentence}}.dump() + "\n", "application/json");
}

void send_json(httplib::Response& res, const json& body, int status = 200) {
  res.status = status;
  res.set_content(body.dump(2) + "\n", "application/json");
}

// The project's revision: a hash of duet.json's bytes, so that any save changes it.
std::string revision_of(std::span<const std::uint8_t> manifest_bytes) {
  return base::hex64(base::stable_hash(manifest_bytes));
}

base::Result<std::string> revision_of(const fs::path& project) {
  auto bytes = base::read_file(project / "duet.json");
  if (!bytes) return bytes.error();
  return revision_of(*bytes);
}

int status_for(const base::Error& e) {
  switch (e.kind) {
    case base::ErrorKind::io:
      return 500;
    case base::ErrorKind::impossible:
      return 409;
    default:
      return 400;
  }
}

// `relative` inside `root` after resolving every link and "..", or nothing.
std::optional<fs::path> inside(const fs::path& root, const std::string& relative) {
  std::error_code ec;
  const fs::path base = fs::weakly_canonical(root, ec);
  if (ec) return std::nullopt;
  const fs::path target = fs::weakly_canonical(base / relative, ec);
  if (ec) return std::nullopt;
  const auto [b, t] = std::mismatch(base.begin(), base.end(), target.begin(), target.end());
  if (b != base.end()) return std::nullopt;
  return target;
}

std::string content_type(const fs::path& path) {
  const std::string ext = path.extension().string();
  if (ext == ".wav") return "audio/wav";
  if (ext == ".mid" || ext == ".midi") return "audio/midi";
  if (ext == ".mp4") return "video/mp4";
  if (ext == ".mov") return "video/quicktime";
  if (ext == ".json") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".png") return "image/png";
  if (ext == ".csv") return "text/csv";
  if (ext == ".txt" || ext == ".edl") return "text/plain";
  if (ext == ".musicxml") return "application/vnd.recordare.musicxml+xml";
  return "application/octet-stream";
}

// A file as the answer, with range requests so that a browser can seek in audio and video.
// Only the bytes asked for are read, a block at a time: a browser seeking in a feature film asks
// for many small ranges of a file of gigabytes.
void send_file(httplib::Response& res, const fs::path& path, const std::string& shown) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return send_error(res, 404, "there is no file " + shown);
  const std::uintmax_t size = fs::file_size(path, ec);
  auto in = std::make_shared<std::ifstream>(path, std::ios::binary);
  if (ec || !*in) return send_error(res, 500, "cannot read " + path.generic_string());
  res.set_content_provider(
      static_cast<std::size_t>(size), content_type(path),
      [in](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        constexpr std::size_t kBlock = std::size_t{1} << 16;  // bytes a write
        std::vector<char> block(std::min(length, kBlock));
        in->seekg(static_cast<std::streamoff>(offset));
        const auto n = static_cast<std::size_t>(
            in->read(block.data(), static_cast<std::streamsize>(block.size())).gcount());
        // A file cut short while it is sent ends the answer rather than sending garbage.
        return n > 0 && sink.write(block.data(), n);
      });
}

// What / answers when the board was not built: how to build it, and that the API works.
constexpr const char* kBoardMissing = R"(<!doctype html>
<meta charset="utf-8"><title>duet board</title>
<body style="font: 16px sans-serif; margin: 3em">
<h1>The board is not built</h1>
<p>duet serve is running and its API answers (docs/api.md), but the page is missing. Build it
with <code>./run board</code>, or <code>cd web &amp;&amp; npm ci &amp;&amp; npm run build</code>,
then reload this page; or give <code>duet serve --board DIR</code> a built board.</p>
)";

}  // namespace

Server::Server(ServerOptions options)
    : options_(std::move(options)), http_(std::make_unique<httplib::Server>()) {
  routes();
}

Server::~Server() {
  stop();
  std::lock_guard lock(jobs_mutex_);
  for (auto& [id, job] : jobs_) {
    job->cancel = true;
    if (job->thread.joinable()) job->thread.join();
  }
}

base::Result<int> Server::bind(int port) {
  const int bound = port == 0 ? http_->bind_to_any_port(options_.host)
                              : (http_->bind_to_port(options_.host, port) ? port : -1);
  if (bound < 0) {
    return base::make_error(base::ErrorKind::io, "cannot listen on ", options_.host, ":", port,
                            "; is another program using it? give another --port");
  }
  port_ = bound;
  return bound;
}

void Server::run() {
  http_->listen_after_bind();
}

void Server::stop() {
  if (http_ && http_->is_running()) http_->stop();
}

std::optional<engine::Session> Server::read_session(httplib::Response& res) const {
  auto session = engine::Session::open(options_.project, {.models_dir = options_.models_dir});
  if (!session) {
    send_error(res, 500, session.error().message);
    return std::nullopt;
  }
  return std::move(*session);
}

void Server::write_project(const httplib::Request& req, httplib::Response& res,
                           const std::function<base::Result<std::string>(engine::Session&)>& write,
                           int status) {
  std::lock_guard lock(write_mutex_);
  auto rev = revision_of(options_.project);
  if (!rev) return send_error(res, 500, rev.error().message);
  const std::string if_match = req.get_header_value("If-Match");
  if (if_match != "\"" + *rev + "\"") {
    return send_error(res, 412,
                      if_match.empty()
                          ? "give the revision you read as If-Match, so that no other edit is lost"
                          : "the project changed since revision " + if_match + " (now \"" + *rev +
                                "\"); read it again, then write");
  }
  auto session = read_session(res);
  if (!session) return;
  auto answer = write(*session);
  if (!answer) return send_error(res, status_for(answer.error()), answer.error().message);
  if (auto now = revision_of(options_.project)) res.set_header("ETag", "\"" + *now + "\"");
  res.status = status;
  res.set_content(*answer, "application/json");
}

void Server::start_job(
    httplib::Response& res, const std::string& kind,
    std::function<base::Result<json>(engine::Session&, const engine::Progress&)> run) {
  auto job = std::make_shared<Job>();
  job->kind = kind;
  {
    std::lock_guard lock(jobs_mutex_);
    job->id = std::to_string(next_job_++);
    jobs_[job->id] = job;
  }
  job->thread = std::thread([this, job, run = std::move(run)] {
    auto progress = [job](const std::string& what, double fraction) {
      {
        std::lock_guard lock(job->mutex);
        job->stage = what;
        job->fraction = fraction;
      }
      job->changed.notify_all();
      return !job->cancel.load();
    };
    base::Result<json> result = base::make_error(base::ErrorKind::io, "");
    {
      // A job writes the project or files beside it: one writer at a time.
      std::lock_guard lock(write_mutex_);
      auto session = engine::Session::open(options_.project, {.models_dir = options_.models_dir});
      result = session ? run(*session, progress) : base::Result<json>(session.error());
    }
    {
      std::lock_guard lock(job->mutex);
      if (result) {
        job->state = "done";
        job->fraction = 1;
        job->result = std::move(*result);
      } else {
        job->state = job->cancel ? "cancelled" : "failed";
        job->error = result.error().message;
      }
    }
    job->changed.notify_all();
  });
  send_json(res, job->status(), 202);
}

void Server::routes() {
  httplib::Server& s = *http_;
  s.set_payload_max_length(options_.max_body_bytes);
  // Small JSON answers go out at once: without TCP_NODELAY, Nagle's algorithm and the client's
  // delayed ACK held each one about 40 ms (measured with wrk: a median of 43 ms, 300 requests a
  // second, for any endpoint).
  s.set_tcp_nodelay(true);
  // A browser tab keeps its connection for the session's many small requests.
  s.set_keep_alive_max_count(1000);

  s.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    // DNS rebinding: a page on evil.example that resolves to 127.0.0.1 still sends its own
    // name as Host.
    const std::string host = req.get_header_value("Host");
    const std::string port = std::to_string(port_);
    const bool host_ok =
        host == "127.0.0.1:" + port || host == "localhost:" + port || host == "[::1]:" + port;
    if (!host_ok) {
      send_error(res, 403,
                 "the Host header '" + host + "' is not this server's (127.0.0.1:" + port +
                     " or localhost:" + port + "); open the address duet serve printed");
      return httplib::Server::HandlerResponse::Handled;
    }
    // Cross-site requests: a browser names the page that sent it.
    if (req.has_header("Origin")) {
      const std::string origin = req.get_header_value("Origin");
      if (origin != "http://127.0.0.1:" + port && origin != "http://localhost:" + port) {
        send_error(res, 403, "requests from the page " + origin + " are refused");
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    const bool guarded = req.path.rfind("/api/", 0) == 0 || req.path.rfind("/files/", 0) == 0;
    if (guarded) {
      const std::string auth = req.get_header_value("Authorization");
      const bool token_ok =
          auth == "Bearer " + options_.token ||
          (req.has_param("token") && req.get_param_value("token") == options_.token);
      if (!token_ok) {
        send_error(res, 401,
                   "this request carries no session token or a wrong one; use the token duet "
                   "serve printed (Authorization: Bearer TOKEN, or ?token=TOKEN)");
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  // The project as it is on disk, with its revision.
  s.Get("/api/project", [this](const httplib::Request&, httplib::Response& res) {
    // One read: the revision is the hash of the very bytes the project is parsed from.
    auto bytes = base::read_file(options_.project / "duet.json");
    if (!bytes) return send_error(res, 500, bytes.error().message);
    const std::string rev = revision_of(*bytes);
    std::vector<project::Problem> warnings;
    auto p = project::Project::from_text(
        options_.project,
        std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()), &warnings);
    if (!p) return send_error(res, 500, p.error().message);
    auto view = engine::project_json(*p, warnings);
    if (!view) return send_error(res, 500, view.error().message);
    res.set_header("ETag", "\"" + rev + "\"");
    nlohmann::ordered_json body{{"revision", rev}, {"project", std::move(*view)}};
    res.set_content(body.dump(2) + "\n", "application/json");
  });

  // Ranked tempo maps for a cue's hits.
  s.Get(R"(/api/cues/([^/]+)/sync)", [this](const httplib::Request& req, httplib::Response& res) {
    auto id = spot::parse_cue_id(req.matches[1].str());
    if (!id) return send_error(res, 400, id.error().message);
    auto session = read_session(res);
    if (!session) return;
    engine::SyncSettings settings;
    if (req.has_param("options")) {
      settings.options = std::atoi(req.get_param_value("options").c_str());
    }
    auto proposal = session->propose_sync(*id, settings);
    if (!proposal) return send_error(res, status_for(proposal.error()), proposal.error().message);
    auto answer = engine::to_json(*proposal, {{"cue", id->to_string()}});
    // Each option's bar lines over the cue, for the board to draw under the pointer.
    for (std::size_t i = 0; i < proposal->options.size(); ++i) {
      answer["options"][i]["bar_lines"] =
          engine::bar_lines(proposal->options[i].map, proposal->cue.out);
    }
    res.set_content(answer.dump(2) + "\n", "application/json");
  });

  // Applies a ranked option, against the revision the client read.
  s.Post(R"(/api/cues/([^/]+)/sync/apply)", [this](const httplib::Request& req,
                                                   httplib::Response& res) {
    auto id = spot::parse_cue_id(req.matches[1].str());
    if (!id) return send_error(res, 400, id.error().message);
    auto body = read_apply_body(req.body);
    if (!body) return send_error(res, 400, body.error().message);
    write_project(req, res, [&](engine::Session& session) -> base::Result<std::string> {
      engine::SyncSettings settings;
      settings.options = body->options;
      auto proposal = session.propose_sync(*id, settings);
      if (!proposal) return proposal.error();
      auto applied = session.apply_sync(*proposal, body->option, body->allow_misses);
      if (!applied) return applied.error();
      return engine::to_json(*applied, session.project().manifest().picture.rate).dump(2) + "\n";
    });
  });

  // Cue edits: each a new version of the cue (docs/api.md).
  const auto rate_of = [](const engine::Session& session) {
    return session.project().manifest().picture.rate;
  };
  s.Post("/api/cues", [this, rate_of](const httplib::Request& req, httplib::Response& res) {
    auto body = read_cue_edit_body(req.body, "added");
    if (!body) return send_error(res, 400, body.error().message);
    write_project(
        req, res,
        [&](engine::Session& session) -> base::Result<std::string> {
          auto added = session.add_cue(body->fields, body->reason);
          if (!added) return added.error();
          return engine::to_json(*added, rate_of(session)).dump(2) + "\n";
        },
        201);
  });
  s.Patch(R"(/api/cues/([^/]+))",
          [this, rate_of](const httplib::Request& req, httplib::Response& res) {
            auto id = spot::parse_cue_id(req.matches[1].str());
            if (!id) return send_error(res, 400, id.error().message);
            auto body = read_cue_edit_body(req.body, "edited");
            if (!body) return send_error(res, 400, body.error().message);
            write_project(req, res, [&](engine::Session& session) -> base::Result<std::string> {
              auto edited = session.edit_cue({*id, body->fields, body->reason});
              if (!edited) return edited.error();
              return engine::to_json(*edited, rate_of(session)).dump(2) + "\n";
            });
          });
  s.Delete(R"(/api/cues/([^/]+))",
           [this, rate_of](const httplib::Request& req, httplib::Response& res) {
             auto id = spot::parse_cue_id(req.matches[1].str());
             if (!id) return send_error(res, 400, id.error().message);
             write_project(req, res, [&](engine::Session& session) -> base::Result<std::string> {
               auto removed = session.remove_cue(*id, "removed");
               if (!removed) return removed.error();
               return engine::to_json(*removed, rate_of(session)).dump(2) + "\n";
             });
           });
  s.Get(R"(/api/cues/([^/]+)/versions)",
        [this, rate_of](const httplib::Request& req, httplib::Response& res) {
          auto id = spot::parse_cue_id(req.matches[1].str());
          if (!id) return send_error(res, 400, id.error().message);
          auto session = read_session(res);
          if (!session) return;
          auto versions = session->cue_versions(*id);
          if (!versions)
            return send_error(res, status_for(versions.error()), versions.error().message);
          res.set_content(engine::to_json(*versions, rate_of(*session)).dump(2) + "\n",
                          "application/json");
        });
  s.Post(R"(/api/cues/([^/]+)/restore)",
         [this, rate_of](const httplib::Request& req, httplib::Response& res) {
           auto id = spot::parse_cue_id(req.matches[1].str());
           if (!id) return send_error(res, 400, id.error().message);
           auto body = read_restore_body(req.body);
           if (!body) return send_error(res, 400, body.error().message);
           write_project(req, res, [&](engine::Session& session) -> base::Result<std::string> {
             auto restored = session.restore_cue(*id, body->version);
             if (!restored) return restored.error();
             return engine::to_json(*restored, rate_of(session)).dump(2) + "\n";
           });
         });

  // Jobs: each runs on its own thread; its progress is at /api/jobs/ID and /api/jobs/ID/events.
  s.Post("/api/jobs/compose", [this](const httplib::Request& req, httplib::Response& res) {
    auto body = read_compose_body(req.body);
    if (!body) return send_error(res, 400, body.error().message);
    engine::ComposeRequest request = body->request;
    const auto folder = inside(options_.project, body->out);
    if (!folder) return send_error(res, 403, "out '" + body->out + "' lies outside the project");
    request.out = *folder;
    for (auto& lock : request.locks) {
      const auto file = inside(options_.project, lock.file);
      if (!file)
        return send_error(res, 403, "the lock's file '" + lock.file + "' lies outside the project");
      lock.file = file->string();
    }
    start_job(res, "compose",
              [request](engine::Session& session,
                        const engine::Progress& progress) -> base::Result<json> {
                auto report = session.compose(request, progress);
                if (!report) return report.error();
                return engine::to_json(*report);
              });
  });
  s.Post("/api/jobs/spot", [this](const httplib::Request& req, httplib::Response& res) {
    if (auto body = read_empty_body(req.body); !body) {
      return send_error(res, 400, body.error().message);
    }
    start_job(res, "spot",
              [](engine::Session& session, const engine::Progress& progress) -> base::Result<json> {
                auto report = session.spot({}, progress);
                if (!report) return report.error();
                return json(engine::to_json(*report));
              });
  });
  s.Post("/api/jobs/score-film", [this](const httplib::Request& req, httplib::Response& res) {
    auto body = read_score_body(req.body);
    if (!body) return send_error(res, 400, body.error().message);
    engine::ScoreFilmRequest request;
    request.cues = body->cues;
    request.takes.take = body->take;
    request.loudness = body->loudness;
    request.excerpt = body->excerpt;
    if (!body->excerpt_from.empty()) {
      auto session = read_session(res);
      if (!session) return;
      const time::FrameRate rate = session->project().manifest().picture.rate;
      auto tc = time::parse_timecode(body->excerpt_from, rate);
      if (!tc) return send_error(res, 400, "excerpt from: " + tc.error().message);
      request.excerpt->from = time::to_time(*tc, rate);
    }
    for (auto [relative, path] :
         {std::pair{body->from, &request.takes.from}, std::pair{body->out, &request.out},
          std::pair{body->stems, &request.stems}, std::pair{body->wav, &request.wav}}) {
      if (relative.empty()) continue;
      const auto resolved = inside(options_.project, relative);
      if (!resolved) return send_error(res, 403, "'" + relative + "' lies outside the project");
      *path = *resolved;
    }
    start_job(res, "score-film",
              [request](engine::Session& session,
                        const engine::Progress& progress) -> base::Result<json> {
                auto report = session.score_film(request, progress);
                if (!report) return report.error();
                return engine::to_json(*report);
              });
  });
  s.Post("/api/jobs/deliver", [this](const httplib::Request& req, httplib::Response& res) {
    auto body = read_deliver_body(req.body);
    if (!body) return send_error(res, 400, body.error().message);
    const auto from = inside(options_.project, body->from);
    const auto out = inside(options_.project, body->out);
    if (!from || !out) return send_error(res, 403, "from and out must lie inside the project");
    start_job(
        res, "deliver",
        [from = *from, out = *out, take = body->take](
            engine::Session& session, const engine::Progress& progress) -> base::Result<json> {
          if (progress && !progress("exporting", 0)) {
            return base::make_error(base::ErrorKind::impossible, "cancelled");
          }
          engine::ExportRequest request;
          request.takes.from = from;
          request.takes.take = take;
          request.out = out;
          auto exported = session.export_cues(request);
          if (!exported) return exported.error();
          if (progress && !progress("writing the cue sheet", 0.5)) {
            return base::make_error(base::ErrorKind::impossible, "cancelled after the export");
          }
          if (auto made = engine::make_parent(out / "cue-sheet.csv"); !made) return made.error();
          auto sheet =
              session.cue_sheet({.csv = out / "cue-sheet.csv", .html = out / "cue-sheet.html"});
          if (!sheet) return sheet.error();
          return json{{"export", engine::to_json(*exported)},
                      {"cue_sheet", engine::to_json(*sheet)}};
        });
  });

  // Themes: the registry read, and changed (each change a new version, under If-Match).
  s.Get("/api/themes", [this](const httplib::Request&, httplib::Response& res) {
    auto session = read_session(res);
    if (!session) return;
    res.set_content(engine::to_json(session->themes()).dump(2) + "\n", "application/json");
  });
  s.Get(R"(/api/themes/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
    auto session = read_session(res);
    if (!session) return;
    auto shown = session->show_theme(req.matches[1].str());
    if (!shown) return send_error(res, status_for(shown.error()), shown.error().message);
    res.set_content(engine::to_json(*shown).dump(2) + "\n", "application/json");
  });
  s.Put(R"(/api/themes/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
    auto body = read_theme_body(req.body);
    if (!body) return send_error(res, 400, body.error().message);
    engine::AddThemeRequest request = *body;
    request.name = req.matches[1].str();
    request.replace = true;
    request.by = "the API";
    write_project(req, res, [&](engine::Session& session) -> base::Result<std::string> {
      auto added = session.add_theme(request);
      if (!added) return added.error();
      return engine::to_json(*added).dump(2) + "\n";
    });
  });
  s.Delete(R"(/api/themes/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
    const std::string name = req.matches[1].str();
    write_project(req, res, [&](engine::Session& session) -> base::Result<std::string> {
      auto removed = session.remove_theme({name, "the API"});
      if (!removed) return removed.error();
      return engine::to_json(*removed).dump(2) + "\n";
    });
  });
  s.Post(R"(/api/themes/([^/]+)/tag)", [this](const httplib::Request& req, httplib::Response& res) {
    auto body = read_tag_body(req.body);
    if (!body) return send_error(res, 400, body.error().message);
    engine::TagThemeRequest request = *body;
    request.name = req.matches[1].str();
    request.by = "the API";
    write_project(req, res, [&](engine::Session& session) -> base::Result<std::string> {
      auto tagged = session.tag_theme(request);
      if (!tagged) return tagged.error();
      return engine::to_json(*tagged).dump(2) + "\n";
    });
  });

  auto find_job = [this](const std::string& id) -> std::shared_ptr<Job> {
    std::lock_guard lock(jobs_mutex_);
    const auto it = jobs_.find(id);
    return it == jobs_.end() ? nullptr : it->second;
  };

  s.Get(R"(/api/jobs/([0-9]+))", [find_job](const httplib::Request& req, httplib::Response& res) {
    auto job = find_job(req.matches[1].str());
    if (!job) return send_error(res, 404, "there is no job " + req.matches[1].str());
    send_json(res, job->status());
  });

  // Cancels a running job (it writes nothing).
  s.Delete(R"(/api/jobs/([0-9]+))",
           [find_job](const httplib::Request& req, httplib::Response& res) {
             auto job = find_job(req.matches[1].str());
             if (!job) return send_error(res, 404, "there is no job " + req.matches[1].str());
             job->cancel = true;
             send_json(res, job->status());
           });

  // Server-sent events: one "progress" event per change, then "end" with the final status.
  s.Get(R"(/api/jobs/([0-9]+)/events)",
        [find_job](const httplib::Request& req, httplib::Response& res) {
          auto job = find_job(req.matches[1].str());
          if (!job) return send_error(res, 404, "there is no job " + req.matches[1].str());
          res.set_header("Cache-Control", "no-cache");
          res.set_chunked_content_provider("text/event-stream", [job](std::size_t,
                                                                      httplib::DataSink& sink) {
            std::unique_lock lock(job->mutex);
            const std::string stage = job->stage;
            const double fraction = job->fraction;
            job->changed.wait_for(lock, std::chrono::milliseconds(500), [&] {
              return job->state != "running" || job->stage != stage || job->fraction != fraction;
            });
            const bool over = job->state != "running";
            lock.unlock();
            const std::string event = std::string("event: ") + (over ? "end" : "progress") +
                                      "\ndata: " + job->status().dump() + "\n\n";
            if (!sink.write(event.data(), event.size())) return false;
            if (over) sink.done();
            return true;
          });
        });

  // The project's files (rendered audio, MIDI, reports), with range requests for seeking.
  s.Get(R"(/files/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
    const auto path = inside(options_.project, req.matches[1].str());
    if (!path) return send_error(res, 403, "that path lies outside the project");
    send_file(res, *path, "in the project named " + req.matches[1].str());
  });

  // What the board draws: the picture, the cut, a cue's music and streamers (engine/board_view).
  const auto send_view = [](httplib::Response& res, const base::Result<json>& view) {
    if (!view) return send_error(res, status_for(view.error()), view.error().message);
    send_json(res, *view);
  };
  // The project's film (it may lie beside the project, as the demo's does: it is the project's
  // own picture, named in duet.json, so it is served although /files/ would refuse its path).
  s.Get("/api/picture", [this](const httplib::Request&, httplib::Response& res) {
    auto session = read_session(res);
    if (!session) return;
    const auto& film = session->project().manifest().picture.film;
    if (film.empty()) {
      return send_error(res, 404,
                        "the project has no film yet; give it one with 'duet picture "
                        "PROJECT --film FILE'");
    }
    send_file(res, session->project().dir() / film, film + " (the project's film)");
  });
  s.Get("/api/cut", [this, send_view](const httplib::Request&, httplib::Response& res) {
    auto session = read_session(res);
    if (session) send_view(res, engine::cut_view(session->project()));
  });
  // Every cue's at once, as {"1M1": {"streamers", "bars"}, ...} (the cues with a tempo map): one
  // read of the project where the board would make one request a cue.
  s.Get("/api/streamers", [this](const httplib::Request&, httplib::Response& res) {
    auto session = read_session(res);
    if (!session) return;
    json all = json::object();
    for (const auto& cue : session->project().manifest().cues) {
      if (!cue.tempo_map) continue;
      auto view = engine::streamers_view(session->project(), cue.id);
      if (!view) return send_error(res, status_for(view.error()), view.error().message);
      all[cue.id.to_string()] = std::move(*view);
    }
    send_json(res, all);
  });
  s.Get(R"(/api/cues/([^/]+)/streamers)",
        [this, send_view](const httplib::Request& req, httplib::Response& res) {
          auto id = spot::parse_cue_id(req.matches[1].str());
          if (!id) return send_error(res, 400, id.error().message);
          auto session = read_session(res);
          if (session) send_view(res, engine::streamers_view(session->project(), *id));
        });
  s.Get(R"(/api/cues/([^/]+)/music)",
        [this, send_view](const httplib::Request& req, httplib::Response& res) {
          auto id = spot::parse_cue_id(req.matches[1].str());
          if (!id) return send_error(res, 400, id.error().message);
          if (!req.has_param("file")) {
            return send_error(res, 400, "name the MIDI file: ?file=compose/1M1-1.mid");
          }
          const auto path = inside(options_.project, req.get_param_value("file"));
          if (!path) return send_error(res, 403, "that file lies outside the project");
          auto session = read_session(res);
          if (session) send_view(res, engine::music_view(session->project(), *id, *path));
        });
  // The critics on the composer's own MIDI file (or any take), as duet critique --json.
  s.Post(R"(/api/cues/([^/]+)/critique)",
         [this](const httplib::Request& req, httplib::Response& res) {
           auto id = spot::parse_cue_id(req.matches[1].str());
           if (!id) return send_error(res, 400, id.error().message);
           auto body = read_critique_body(req.body);
           if (!body) return send_error(res, 400, body.error().message);
           const auto path = inside(options_.project, *body);
           if (!path) return send_error(res, 403, "'" + *body + "' lies outside the project");
           auto session = read_session(res);
           if (!session) return;
           engine::CritiqueRequest request;
           request.cue = *id;
           request.file = *path;
           auto report = session->critique(request);
           if (!report) return send_error(res, status_for(report.error()), report.error().message);
           send_json(res, engine::to_json(*report));
         });

  // The board itself: its page and assets, without the token (they hold no project data).
  const auto board_file = [this](httplib::Response& res, const std::string& relative) {
    const auto path = options_.board.empty() ? std::nullopt : inside(options_.board, relative);
    std::error_code ec;
    if (relative == "index.html" && (!path || !fs::is_regular_file(*path, ec))) {
      res.set_content(kBoardMissing, "text/html; charset=utf-8");
      return;
    }
    if (!path) return send_error(res, 404, "the board has no file " + relative);
    // The assets' names carry a hash of their contents (Vite): they may be kept; the page not.
    res.set_header("Cache-Control", relative == "index.html" ? "no-cache" : "max-age=31536000");
    send_file(res, *path, "in the board named " + relative);
  };
  s.Get("/", [board_file](const httplib::Request&, httplib::Response& res) {
    board_file(res, "index.html");
  });
  s.Get(R"(/assets/([A-Za-z0-9._-]+))",
        [board_file](const httplib::Request& req, httplib::Response& res) {
          board_file(res, "assets/" + req.matches[1].str());
        });

  s.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    send_error(res, 500, "the server failed on this request (an internal error); see its log");
  });
}

}  // namespace duet::serve
