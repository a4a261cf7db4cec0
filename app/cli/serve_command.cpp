// duet serve: the engine over HTTP for the board and for scripts (app/serve, docs/api.md).
#include <signal.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include "commands.h"
#include "engine/models.h"
#include "engine/session.h"
#include "model_options.h"
#include "output.h"
#include "serve/server.h"

namespace duet::cli {
namespace {

struct ServeOptions {
  std::string project;
  int port = 8750;
  std::string models;
  std::string board;  // "": default_board()
};

// The board installed beside duet (<exe>/../share/duet/board, where `cmake --install` puts it)
// when there is one, else web/dist of the source tree duet was built from.
std::string default_board() {
  const std::filesystem::path share = engine::installed_data_dir();
  std::error_code ec;
  if (!share.empty() && std::filesystem::is_regular_file(share / "board" / "index.html", ec)) {
    return (share / "board").string();
  }
  return DUET_BOARD_DIR;
}

int run_serve(const ServeOptions& o) {
  // The project must open before anything listens: a typo is one sentence, not a server of
  // errors.
  auto session = engine::Session::open(o.project);
  if (!session) return report(session.error());
  serve::ServerOptions options;
  options.project = session->project().dir();
  options.models_dir = o.models;
  options.board = o.board.empty() ? default_board() : o.board;
  options.token = serve::new_token();
  serve::Server server(options);
  auto port = server.bind(o.port);
  if (!port) return report(port.error());

  // Ctrl-C and SIGTERM stop the server from a thread of its own (a signal handler may not).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::thread waiter([&] {
    int got = 0;
    sigwait(&stop_signals, &got);
    server.stop();
  });
  std::error_code ec;
  if (!std::filesystem::is_regular_file(options.board / "index.html", ec)) {
    std::cout << "duet serve: the board is not built (" << options.board.string()
              << "/index.html is missing): './run board' builds it; the API works without it\n";
  } else {
    std::cout << "duet serve: the board from " << options.board.string() << "\n";
  }
  std::cout << "duet serve: " << session->project().manifest_path().generic_string()
            << " at http://127.0.0.1:" << *port << "/?token=" << options.token << "\n"
            << "the API: docs/api.md (send the token as 'Authorization: Bearer " << options.token
            << "'); Ctrl-C stops it" << std::endl;
  server.run();
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  std::cout << "duet serve: stopped\n";
  return kExitOk;
}

}  // namespace

void add_serve_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<ServeOptions>();
  CLI::App* c = app.add_subcommand(
      "serve", "Serve a project's engine over HTTP on this machine (for the board and scripts)");
  c->add_option("project", o->project, "The project folder (made with 'duet new')")->required();
  c->add_option("--port", o->port, "The port on 127.0.0.1 (default 8750; 0 for any free one)")
      ->check(CLI::Range(0, 65535));
  add_models_option(*c, o->models);
  c->add_option("--board", o->board,
                "The built board to serve at / (default: share/duet/board where duet is "
                "installed, else web/dist of duet's source tree, built by ./run board)");
  c->footer(
      "It listens on 127.0.0.1 only, and answers only requests that name it as their Host,\n"
      "come from its own pages (Origin) and carry the token it prints (a page of another site\n"
      "in the same browser can do nothing). Every write is a new version of the project and\n"
      "must carry the revision it was made against (If-Match), so two tabs cannot lose each\n"
      "other's edits. The endpoints, with an example session in curl: docs/api.md.\n"
      "\n"
      "Example:\n"
      "  duet serve demo-out/project --port 8750");
  c->callback([o, &exit_code] { exit_code = run_serve(*o); });
}

}  // namespace duet::cli
