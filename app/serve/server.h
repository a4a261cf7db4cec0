// The HTTP face of the engine, for the board and for scripts: `duet serve PROJECT` (app/cli)
// runs one of these on the loopback interface. Every request opens the project afresh through
// engine::Session, so what the API reads is what is on disk; every write is a new version of the
// project (its saves are atomic) and carries the revision it was made against (If-Match).
//
// Defences against other web pages in the same browser (as Jupyter's): the Host header must name
// the loopback address and the port (DNS rebinding), an Origin header must be this server's own
// (cross-site requests), and every /api and /files request must carry the session token printed
// at start (Authorization: Bearer TOKEN, or ?token=TOKEN).
//
// The API is in docs/api.md. Call order: construct, bind (or bind_any), then run (blocks until
// stop is called from another thread).
#pragma once

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "engine/progress.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace duet::engine {
class Session;
}

namespace duet::serve {

struct ServerOptions {
  std::filesystem::path project;  // the project folder
  std::string models_dir;         // --models DIR ("" to find the shipped models)
  std::string host = "127.0.0.1";
  std::string token;  // required on every /api and /files request; make one with new_token()
  std::size_t max_body_bytes = std::size_t{1} << 20;  // bodies past this get 413
  // The built board (web/dist: index.html and assets/), served at / without the token (it holds
  // no project data; the page sends the token from its address with every request). "" or a
  // folder without index.html: / answers a page saying how to build it.
  std::filesystem::path board;
};

// 32 random hex digits from the system's random device.
std::string new_token();

class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds to `port` on the host (0: any free port). Returns the port, or an error naming it.
  base::Result<int> bind(int port);
  // Serves until stop(). Jobs still running are cancelled and joined before it returns.
  void run();
  void stop();

  struct Job;  // a running or finished engine job (server.cpp)

 private:
  void routes();
  // The project opened afresh for a read, or nothing with a 500 answered.
  std::optional<engine::Session> read_session(httplib::Response& res) const;
  // A write to the project: under the write lock, against the revision the client read (If-Match;
  // 412 when the project changed since), through a session opened afresh. `write` returns the
  // answer's JSON text; the answer carries the project's new revision as its ETag.
  void write_project(const httplib::Request& req, httplib::Response& res,
                     const std::function<base::Result<std::string>(engine::Session&)>& write,
                     int status = 200);
  // Starts `run` as a job of kind `kind` on its own thread (under the write lock, with a session
  // opened afresh) and answers 202 with its status; GET /api/jobs/ID follows it.
  void start_job(
      httplib::Response& res, const std::string& kind,
      std::function<base::Result<nlohmann::json>(engine::Session&, const engine::Progress&)> run);

  ServerOptions options_;
  int port_ = 0;
  std::unique_ptr<httplib::Server> http_;
  std::mutex write_mutex_;  // one writer of the project at a time
  std::mutex jobs_mutex_;
  std::map<std::string, std::shared_ptr<Job>> jobs_;
  int next_job_ = 1;
};

}  // namespace duet::serve
