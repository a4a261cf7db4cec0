// duet: the command-line face of the engine.
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "commands.h"
#include "output.h"

#ifndef DUET_VERSION
#define DUET_VERSION "0.1.0"
#endif

int main(int argc, char** argv) {
  CLI::App app{
      "duet: a film-scoring engine that composes with the composer.\n"
      "It reads the picture and your directions, fits tempo maps to hit points, proposes and\n"
      "critiques music, and does the mechanical work (sync, clicks, conform, mock-ups).",
      "duet"};
  app.set_version_flag("--version", DUET_VERSION);
  app.require_subcommand(1);
  app.footer("Run 'duet <command> --help' for a command's options and examples.");
  int exit_code = duet::cli::kExitOk;
  duet::cli::add_demo_command(app, exit_code);
  duet::cli::add_tc_command(app, exit_code);
  duet::cli::add_tempo_command(app, exit_code);
  duet::cli::add_midi_command(app, exit_code);
  duet::cli::add_cut_command(app, exit_code);
  duet::cli::add_picture_command(app, exit_code);
  duet::cli::add_project_commands(app, exit_code);
  duet::cli::add_spot_command(app, exit_code);
  duet::cli::add_sync_command(app, exit_code);
  duet::cli::add_conform_command(app, exit_code);
  duet::cli::add_model_commands(app, exit_code);
  duet::cli::add_theory_command(app, exit_code);
  duet::cli::add_emotion_commands(app, exit_code);
  duet::cli::add_sketch_command(app, exit_code);
  duet::cli::add_click_commands(app, exit_code);
  duet::cli::add_render_command(app, exit_code);
  duet::cli::add_score_film_command(app, exit_code);
  duet::cli::add_compose_command(app, exit_code);
  duet::cli::add_critique_command(app, exit_code);
  duet::cli::add_export_commands(app, exit_code);
  duet::cli::add_themes_command(app, exit_code);
  duet::cli::add_eval_compose_command(app, exit_code);
  duet::cli::add_serve_command(app, exit_code);
  duet::cli::add_bench_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    if (CLI::App* sub = duet::cli::themes_subcommand_before_project(app, argc, argv)) {
      std::cout << sub->help("duet themes");
      return duet::cli::kExitOk;
    }
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (CLI::App* sub = duet::cli::themes_subcommand_before_project(app, argc, argv)) {
      return duet::cli::usage_error("the project comes first: duet themes PROJECT " +
                                    sub->get_name() + " ...; run 'duet themes " + sub->get_name() +
                                    " --help' for usage");
    }
    // Point at the help of the command the user was typing, when there is one.
    std::string help = "duet --help";
    if (argc > 1) {
      const std::string first = argv[1];
      std::string names;
      bool known = false;
      for (const CLI::App* sub : app.get_subcommands(nullptr)) {
        names += (names.empty() ? "" : ", ") + sub->get_name();
        known = known || sub->get_name() == first;
      }
      if (known) {
        help = "duet " + first + " --help";
      } else if (!first.empty() && first[0] != '-') {
        return duet::cli::usage_error("unknown command '" + first + "'; the commands are " + names +
                                      " (run 'duet --help')");
      }
    }
    return duet::cli::usage_error(std::string(e.what()) + "; run '" + help + "' for usage");
  } catch (const std::exception& e) {
    // Library code throws only on a programming mistake (see base/result.h).
    std::cerr << "duet: internal error: " << e.what() << "; please report it\n";
    return duet::cli::kExitFailure;
  }
  return exit_code;
}
