// Each command registers itself on the top-level app; its callback stores the exit status.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

namespace duet::cli {

void add_tc_command(CLI::App& app, int& exit_code);
void add_tempo_command(CLI::App& app, int& exit_code);
void add_midi_command(CLI::App& app, int& exit_code);
void add_demo_command(CLI::App& app, int& exit_code);
void add_cut_command(CLI::App& app, int& exit_code);
void add_picture_command(CLI::App& app, int& exit_code);
// duet new, show, validate, history, restore, sheet.
void add_project_commands(CLI::App& app, int& exit_code);
void add_spot_command(CLI::App& app, int& exit_code);
// duet sync (PROJECT --cue, fit, check): tempo maps that land hit points.
void add_sync_command(CLI::App& app, int& exit_code);
// duet train, predict, eval-model.
void add_model_commands(CLI::App& app, int& exit_code);
// duet theory key, chords, eval-pop909.
void add_theory_command(CLI::App& app, int& exit_code);
// duet emotion, emotion-train, emotion-eval.
void add_emotion_commands(CLI::App& app, int& exit_code);
// duet sketch: emotion -> musical controls -> a MIDI sketch; --check.
void add_sketch_command(CLI::App& app, int& exit_code);
// duet click, streamers: click tracks, streamers and punches, marker lists.
void add_click_commands(CLI::App& app, int& exit_code);
// duet render: a MIDI file to WAV through FluidSynth, stems, loudness.
void add_render_command(CLI::App& app, int& exit_code);
// --loudness for render and score-film: "none" (an empty target), or a target in LUFS from -40
// to -5 ("-23", "-16"); nullopt when the text is neither.
std::optional<std::optional<double>> parse_loudness(const std::string& text);
// duet score-film: every cue's MIDI rendered in parallel, placed on the film, muxed onto it.
void add_score_film_command(CLI::App& app, int& exit_code);
// duet compose: ranked candidates for a cue; duet critique: a MIDI file judged against a cue.
void add_compose_command(CLI::App& app, int& exit_code);
void add_critique_command(CLI::App& app, int& exit_code);
// duet export (MusicXML and DAW MIDI per cue), cuesheet, credits: the hand-off.
void add_export_commands(CLI::App& app, int& exit_code);
// duet themes PROJECT list|show|add|remove|vary: the theme registry and theme variants.
void add_themes_command(CLI::App& app, int& exit_code);
// The themes subcommand a command line names where the project belongs ("duet themes add ..."),
// or null: CLI11 reads that word as the project, so main shows that subcommand's help, or says
// that the project comes first.
CLI::App* themes_subcommand_before_project(CLI::App& app, int argc, char** argv);
// duet eval-compose: the craft bench, the writer measured against the craft goals.
void add_eval_compose_command(CLI::App& app, int& exit_code);
// duet serve: the engine over HTTP on the loopback interface (app/serve, docs/api.md).
void add_serve_command(CLI::App& app, int& exit_code);
// duet conform (PROJECT --new-cut, diff): follow a re-cut picture.
void add_conform_command(CLI::App& app, int& exit_code);
// duet bench: the engine's signature on a generated feature film (engine/feature_bench.h).
void add_bench_command(CLI::App& app, int& exit_code);

}  // namespace duet::cli
