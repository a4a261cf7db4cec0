// duet conform: two cuts compared (conform diff), and a project re-fitted to a new cut.
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "base/file.h"
#include "base/text.h"
#include "commands.h"
#include "conform/reedit.h"
#include "engine/conform_job.h"
#include "engine/session.h"
#include "output.h"
#include "picture/edl.h"
#include "time/timecode.h"
#include "values.h"

namespace duet::cli {
namespace {

namespace fs = std::filesystem;

struct DiffArgs {
  std::string old_edl;
  std::string new_edl;
  std::string rate = "24";
  std::string html;
  bool json = false;
};

struct ReeditArgs {
  std::string edl;
  std::string out;
  std::string rate = "24";
  std::uint64_t seed = 1;
  int edits = 3;
};

struct ConformArgs {
  std::string project;
  std::string new_cut;
  std::string film;
  std::string from;
  std::vector<std::string> midi;
  std::string out;
  std::string html;
  bool dry_run = false;
  bool splice_only = false;
  bool json = false;
};

std::string seconds_text(std::int64_t frames, const time::FrameRate& rate) {
  return base::fixed((time::Rational(frames) / rate.fps()).to_double(), 3) + " s";
}

std::string span_text(std::int64_t in, std::int64_t out, const picture::Cut& cut) {
  if (out <= in) return "at " + cut.timecode(in, cut.fcm);
  return cut.timecode(in, cut.fcm) + "-" + cut.timecode(out, cut.fcm);
}

void print_diff(const engine::CutDiffReport& r) {
  const conform::CutDiff& d = r.diff;
  const time::FrameRate& rate = d.rate;
  std::cout << r.old_edl.generic_string() << " -> " << r.new_edl.generic_string() << " ("
            << rate.name() << " fps)\n"
            << "old cut  " << span_text(d.old_first, d.old_last, r.old_cut) << " ("
            << seconds_text(d.old_last - d.old_first, rate) << ")\n"
            << "new cut  " << span_text(d.new_first, d.new_last, r.new_cut) << " ("
            << seconds_text(d.new_last - d.new_first, rate) << ")\n";
  if (d.changes.empty()) {
    std::cout << "The picture is the same in both cuts";
    if (d.healed > 0) std::cout << " (" << d.healed << " slips of a frame or two healed)";
    std::cout << ".\n";
    return;
  }
  std::cout << d.changes.size() << (d.changes.size() == 1 ? " change: " : " changes: ")
            << seconds_text(d.frames_removed, rate) << " removed, "
            << seconds_text(d.frames_added, rate) << " added";
  if (d.healed > 0) std::cout << ", " << d.healed << " slips of a frame or two healed";
  std::cout << "\n\n";
  Table t({"change", "old", "new", "length", "reel", "events"});
  for (const conform::Change& c : d.changes) {
    const std::int64_t old_len = c.old_out - c.old_in;
    const std::int64_t new_len = c.new_out - c.new_in;
    std::string length = seconds_text(std::max(old_len, new_len), rate);
    if (old_len > 0 && new_len > 0 && old_len != new_len) {
      length = seconds_text(old_len, rate) + " -> " + seconds_text(new_len, rate);
    }
    std::string events;
    if (c.old_event > 0) events += std::to_string(c.old_event);
    if (c.new_event > 0) events += (events.empty() ? "new " : " -> ") + std::to_string(c.new_event);
    t.add({std::string(conform::to_string(c.kind)), span_text(c.old_in, c.old_out, r.old_cut),
           span_text(c.new_in, c.new_out, r.new_cut), length, c.reel.empty() ? "-" : c.reel,
           events.empty() ? "-" : events});
  }
  t.print(std::cout);
}

int write_page(const std::string& path, const std::string& html) {
  if (path.empty()) return kExitOk;
  auto written = base::write_file_atomic(path, html);
  if (!written) return report(written.error());
  std::cerr << "duet: wrote " << path << "\n";
  return kExitOk;
}

int run_diff(const DiffArgs& a) {
  auto rate = time::FrameRate::parse(a.rate);
  if (!rate) return report(rate.error().with_context("--rate"));
  auto r = engine::diff_edls({a.old_edl, a.new_edl, *rate});
  if (!r) return report(r.error());
  for (const std::string& w : r->warnings)
    std::cerr << "duet: warning: " << w << "\n";
  if (a.json) {
    std::cout << engine::to_json(*r).dump(2) << "\n";
  } else {
    print_diff(*r);
  }
  return write_page(a.html, engine::conform_html(*r));
}

int run_reedit(const ReeditArgs& a) {
  auto rate = time::FrameRate::parse(a.rate);
  if (!rate) return report(rate.error().with_context("--rate"));
  auto bytes = base::read_file(a.edl, std::uintmax_t{64} << 20);
  if (!bytes) return report(bytes.error());
  picture::EdlOptions options;
  options.rate = *rate;
  auto read = picture::read_edl(std::string(bytes->begin(), bytes->end()), options);
  if (!read) return report(read.error().with_context(a.edl));
  conform::ReeditOptions ro;
  ro.seed = a.seed;
  ro.edits = a.edits;
  auto made = conform::reedit(read->cut, ro);
  if (!made) return report(made.error().with_context(a.edl));
  if (auto written = base::write_file_atomic(a.out, picture::write_edl(made->cut)); !written) {
    return report(written.error());
  }
  std::cout << a.out << ": " << made->applied.size() << " edits of " << a.edl << "\n";
  for (const std::string& what : made->applied)
    std::cout << "  " << what << "\n";
  return kExitOk;
}

int run_conform(const ConformArgs& a) {
  if (a.new_cut.empty()) {
    return usage_error("name the new cut: duet conform " + a.project +
                       " --new-cut NEW.edl (duet conform diff OLD.edl NEW.edl compares two lists)");
  }
  auto session = engine::Session::open(a.project);
  if (!session) return report(session.error());
  engine::ConformRequest request;
  request.new_edl = a.new_cut;
  request.new_film = a.film;
  request.from = a.from;
  request.out = a.out;
  request.dry_run = a.dry_run;
  request.rewrite_joins = !a.splice_only;
  engine::Takes takes;
  for (const std::string& m : a.midi) {
    auto added = add_take(m, takes, "--midi");
    if (!added) return report(added.error());
  }
  if (!takes.take.empty()) {
    return usage_error(
        "--midi takes ID=FILE (a MIDI file of the composer's own); give --from "
        "for compose's candidates");
  }
  request.midi = takes.midi;
  auto r = session->conform(request);
  if (!r) return report(r.error());
  print_warnings(r->warnings);
  if (a.json) {
    std::cout << engine::to_json(*r).dump(2) << "\n";
  } else {
    print_diff(r->cut);
    const time::FrameRate& rate = r->cut.diff.rate;
    std::cout << "\nCues" << (r->dry_run ? " (a dry run: nothing written)" : "") << "\n";
    Table t({"cue", "fate", "was", "now"});
    for (const conform::CueRefit& c : r->cues) {
      t.add({c.before.id.to_string(), std::string(conform::to_string(c.fate)),
             time::nearest_label(c.before.in, rate) + "-" + time::nearest_label(c.before.out, rate),
             c.after ? time::nearest_label(c.after->in, rate) + "-" +
                           time::nearest_label(c.after->out, rate)
                     : std::string("-")});
    }
    t.print(std::cout);
    for (const conform::CueRefit& c : r->cues) {
      if (c.reasons.empty()) continue;
      std::cout << "\n" << c.before.id.to_string() << " (" << conform::to_string(c.fate) << ")\n";
      for (const std::string& why : c.reasons)
        std::cout << "  - " << why << "\n";
    }
    if (!r->midi.empty()) {
      std::cout << "\nMIDI re-fitted" << (r->dry_run ? " (not written)" : "") << "\n";
      for (const engine::MidiRefitted& m : r->midi) {
        std::cout << "  " << m.from.generic_string() << " -> " << m.to.generic_string();
        if (!m.bars_touched.empty()) {
          std::cout << " (bars " << m.bars_touched.front();
          if (m.bars_touched.back() != m.bars_touched.front()) {
            std::cout << "-" << m.bars_touched.back();
          }
          std::cout << " touched)";
        } else {
          std::cout << " (moved, every bar as it was)";
        }
        if (m.joins_rewritten) {
          std::cout << "; bars";
          for (std::size_t i = 0; i < m.join_bars.size(); ++i) {
            std::cout << (i == 0 ? " " : ", ") << m.join_bars[i];
          }
          std::cout << " at the joins written anew by compose";
        }
        std::cout << "\n";
      }
    }
    if (!r->written.empty()) {
      std::cout << "\nWrote\n";
      for (const fs::path& p : r->written)
        std::cout << "  " << p.generic_string() << "\n";
    }
  }
  return write_page(a.html, engine::conform_html(r->cut, &*r));
}

}  // namespace

void add_conform_command(CLI::App& app, int& exit_code) {
  auto c = std::make_shared<ConformArgs>();
  auto d = std::make_shared<DiffArgs>();
  CLI::App* conform = app.add_subcommand(
      "conform",
      "Follow a re-cut picture: compare two cuts, and re-fit a project's cues to a new one");
  conform->require_subcommand(0, 1);
  conform->add_option("project", c->project, "The project folder (its cut is picture.edl)");
  conform->add_option("--new-cut", c->new_cut, "The new cut: a CMX3600 EDL at the project's rate");
  conform->add_option("--film", c->film,
                      "The new film, when there is one (the project then plays it)");
  conform->add_option("--from", c->from,
                      "The folder of the cues' MIDI (what compose wrote: 1M3-1.mid...): each "
                      "file of a cue that moved or changed is re-fitted into --out");
  conform->add_option("--midi", c->midi,
                      "ID=FILE: a MIDI file of the composer's own for a cue, re-fitted too "
                      "(repeatable)");
  conform->add_option("--out", c->out,
                      "Where the re-fitted MIDI go (default: FROM-conformed beside FROM); never "
                      "over a file that is there");
  conform->add_flag("--dry-run", c->dry_run, "Report what would change; write nothing");
  conform->add_flag("--splice-only", c->splice_only,
                    "Keep the plain splices in compose's candidates (by default compose writes "
                    "the bars each side of a join anew, every other bar locked); the composer's "
                    "own files (--midi) are always only spliced");
  conform->add_option("--html", c->html,
                      "Also write the conform page: the two cuts, the moves, each cue's fate");
  conform->add_flag("--json", c->json, "Print JSON");
  conform->footer(
      "Each piece of picture is traced by its reel and source timecode from the old cut to the\n"
      "new one (speed changes and dissolves included; slips of a frame or two healed). A cue\n"
      "whose picture moved as one piece moves. A cue whose picture changed inside keeps its\n"
      "hits, dialogue and emotion through the map; its music loses whole bars where picture\n"
      "was cut and repeats bars where picture was added, at the bar line nearest the change,\n"
      "and its tempo eases between hard hits so that each still lands. A hit on picture that\n"
      "was cut, a start that was cut, a cue past the new film's end, a tempo eased by more than\n"
      "a tenth: each is named for the composer. Every cue's version before is kept (duet\n"
      "history, duet restore); the MIDI re-fitted go to a new folder beside the old, and in\n"
      "compose's candidates the bars each side of a join are written anew (--splice-only keeps\n"
      "the splices).\n"
      "Examples:\n"
      "  duet conform diff reel2_v1.edl reel2_v2.edl --html diff.html\n"
      "  duet conform myfilm --new-cut reel2_v2.edl --dry-run\n"
      "  duet conform myfilm --new-cut reel2_v2.edl --film reel2_v2.mp4 --from myfilm/compose "
      "--html conform.html");

  CLI::App* diff = conform->add_subcommand(
      "diff", "Compare two cuts: what the editor changed, and where each old frame now plays");
  diff->add_option("old", d->old_edl, "The old cut (CMX3600 EDL)")->required();
  diff->add_option("new", d->new_edl, "The new cut (CMX3600 EDL)")->required();
  diff->add_option("-r,--rate", d->rate, "The lists' frame rate (EDLs do not say)")
      ->capture_default_str();
  diff->add_option("--html", d->html, "Also write the page: the two cuts with the moves drawn");
  diff->add_flag("--json", d->json, "Print JSON (with the old-to-new map)");
  diff->footer(
      "Changes: remove (whole shots lifted), trim (a shot shortened), insert (new picture),\n"
      "extend (a shot lengthened), replace (picture swapped for other of the same length),\n"
      "move (picture played out of its old order), speed (an M2 speed change).\n"
      "Examples:\n"
      "  duet conform diff reel2_v1.edl reel2_v2.edl\n"
      "  duet conform diff old.edl new.edl --rate 23.976 --json");

  auto r = std::make_shared<ReeditArgs>();
  CLI::App* reedit = conform->add_subcommand(
      "reedit", "Make a new cut from a cut the way an editor would, for trying conform");
  reedit->add_option("edl", r->edl, "The cut (CMX3600 EDL) to re-edit")->required();
  reedit->add_option("--out", r->out, "The new cut to write")->required();
  reedit->add_option("-r,--rate", r->rate, "The list's frame rate")->capture_default_str();
  reedit->add_option("--seed", r->seed, "Which edits (the same seed, the same cut)")
      ->capture_default_str();
  reedit->add_option("--edits", r->edits, "How many edits")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  reedit->footer(
      "The edits are drawn from what editors do: trims and extensions of a shot's head or tail,\n"
      "lifts of one to three shots, new shots put in, shots moved or swapped, dissolves added or\n"
      "made cuts, a shot replaced by another take, double or half speed, slips and rolls of a\n"
      "frame or two. The list must be one shot after another without gaps (as a locked cut\n"
      "is). Each edit is printed; the new list is CMX3600.\n"
      "Example: duet conform reedit reel2_v1.edl --out reel2_test.edl --seed 7 --edits 4");

  reedit->callback([r, &exit_code] { exit_code = run_reedit(*r); });
  diff->callback([d, &exit_code] { exit_code = run_diff(*d); });
  conform->callback([c, diff, reedit, &exit_code] {
    if (diff->parsed() || reedit->parsed()) return;
    if (c->project.empty()) {
      exit_code = usage_error(
          "name the project: duet conform PROJECT --new-cut NEW.edl, or "
          "duet conform diff OLD.edl NEW.edl");
      return;
    }
    exit_code = run_conform(*c);
  });
}

}  // namespace duet::cli
