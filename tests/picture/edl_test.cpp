#include "picture/edl.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "time/timecode.h"

namespace duet::picture {
namespace {

namespace fs = std::filesystem;
using time::FrameRate;

const fs::path kFixtures = fs::path(DUET_SOURCE_DIR) / "tests/picture/fixtures/edl";

std::string load(const std::string& name) {
  std::ifstream in(kFixtures / name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

FrameRate rate(const char* text) {
  return FrameRate::parse(text).value();
}

EdlRead read_ok(std::string_view text, const char* r = "24", bool lenient = false) {
  EdlOptions o;
  o.rate = rate(r);
  o.lenient = lenient;
  auto read = read_edl(text, o);
  EXPECT_TRUE(read.has_value()) << (read ? "" : read.error().message);
  return read ? *read : EdlRead{};
}

std::string read_error(std::string_view text, const char* r = "24") {
  EdlOptions o;
  o.rate = rate(r);
  auto read = read_edl(text, o);
  EXPECT_FALSE(read.has_value());
  return read ? std::string() : read.error().message;
}

std::int64_t frames(const char* tc, const char* r) {
  const FrameRate fr = rate(r);
  return time::to_frames(time::parse_timecode(tc, fr).value(), fr);
}

bool has_warning(const EdlRead& r, const std::string& part) {
  for (const auto& w : r.warnings) {
    if (w.message.find(part) != std::string::npos) return true;
  }
  return false;
}

// The first place two cuts differ, for a readable failure.
std::string first_difference(const Cut& a, const Cut& b) {
  if (a.title != b.title) return "title '" + a.title + "' vs '" + b.title + "'";
  if (!(a.rate == b.rate)) return "rate " + a.rate.name() + " vs " + b.rate.name();
  if (a.fcm != b.fcm) return "fcm";
  if (a.comments != b.comments) return "header comments";
  if (a.other_lines != b.other_lines) return "header other lines";
  if (a.events.size() != b.events.size()) {
    return std::to_string(a.events.size()) + " events vs " + std::to_string(b.events.size());
  }
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    const Event& x = a.events[i];
    const Event& y = b.events[i];
    if (x == y) continue;
    std::string what = "event " + std::to_string(i) + ": ";
    if (x.edits != y.edits) {
      const auto show = [](const Event& e) {
        std::string o;
        for (const Edit& d : e.edits) {
          o += "[" + d.reel + "|" + d.channels + "|" + transition_code(d.transition) + " " +
               std::to_string(d.transition.frames) + "|" + std::to_string(d.source_in) + " " +
               std::to_string(d.source_out) + " " + std::to_string(d.record_in) + " " +
               std::to_string(d.record_out) + "|" + d.clip_name + "|" +
               std::to_string(d.extra_audio.size()) + "]";
        }
        return o;
      };
      return what + "edits " + show(x) + " vs " + show(y);
    }
    if (x.speeds != y.speeds) return what + "speeds";
    if (x.markers != y.markers) return what + "markers";
    if (x.comments != y.comments) return what + "comments";
    if (x.other_lines != y.other_lines) return what + "other lines";
    return what + "number, fcm, source file or effect";
  }
  return "none";
}

void expect_round_trip(const Cut& cut) {
  const std::string text = write_edl(cut);
  EdlOptions o;
  o.rate = cut.rate;
  auto back = read_edl(text, o);
  ASSERT_TRUE(back.has_value()) << back.error().message << "\n" << text;
  EXPECT_TRUE(back->cut == cut) << first_difference(cut, back->cut) << "\n" << text;
  EXPECT_EQ(write_edl(back->cut), text);
}

// ---- Fixtures: one per vendor quirk ----

TEST(EdlFixtures, AvidMediaComposer) {
  const EdlRead r = read_ok(load("avid_media_composer.edl"));
  const Cut& c = r.cut;
  EXPECT_EQ(c.title, "REEL 1 LOCK V3");
  EXPECT_EQ(c.fcm, Fcm::non_drop);
  ASSERT_EQ(c.events.size(), 5u);
  EXPECT_TRUE(is_black_reel(c.events[0].edits[0].reel));
  const Event& e2 = c.events[1];
  EXPECT_EQ(e2.edits[0].channels, "AA/V");
  EXPECT_EQ(e2.edits[0].clip_name, "23A-1 WIDE");
  ASSERT_EQ(e2.markers.size(), 2u);
  EXPECT_EQ(e2.markers[0].frame, frames("01:00:03:12", "24"));
  EXPECT_EQ(e2.markers[0].colour, "RED");
  EXPECT_EQ(e2.markers[0].text, "door slams");
  EXPECT_EQ(e2.markers[1].text, "music in");
  const Event& e3 = c.events[2];
  ASSERT_EQ(e3.edits.size(), 2u);
  EXPECT_EQ(e3.edits[1].transition.kind, TransitionKind::dissolve);
  EXPECT_EQ(e3.edits[1].transition.frames, 24);
  EXPECT_EQ(e3.edits[0].clip_name, "23A-1 WIDE");
  EXPECT_EQ(e3.edits[1].clip_name, "23B-2 CU MARY");
  EXPECT_EQ(e3.effect_name, "CROSS DISSOLVE");
  EXPECT_EQ(c.events[3].edits[0].channels, "A2");
  ASSERT_EQ(c.events[4].speeds.size(), 1u);
  EXPECT_EQ(c.events[4].speeds[0].fps, time::Rational(12));

  // Shots: the picture events in record order; the audio-only event and the from-clip line of
  // the dissolve are not shots.
  const std::vector<Shot> shots = c.shots();
  ASSERT_EQ(shots.size(), 4u);
  EXPECT_EQ(shots[0].reel, "BL");
  EXPECT_EQ(shots[1].reel, "A001C003");
  EXPECT_EQ(shots[1].record_in, time::time_of_frame(frames("01:00:02:00", "24"), rate("24")));
  EXPECT_EQ(shots[1].source_in, time::time_of_frame(frames("14:22:10:05", "24"), rate("24")));
  EXPECT_EQ(shots[2].reel, "B002C011");
  EXPECT_EQ(shots[2].clip_name, "23B-2 CU MARY");
  EXPECT_EQ(shots[2].transition.kind, TransitionKind::dissolve);
  EXPECT_EQ(shots[2].duration(), rate("24").frame_duration() * 72);
  ASSERT_TRUE(shots[3].speed.has_value());
  EXPECT_EQ(shots[3].speed->fps, time::Rational(12));
  EXPECT_TRUE(r.warnings.empty());
}

TEST(EdlFixtures, PremiereProCrlfAudAndDropFrame) {
  const EdlRead r = read_ok(load("premiere_pro.edl"), "29.97");
  const Cut& c = r.cut;
  EXPECT_EQ(c.title, "Sequence 01");
  EXPECT_EQ(c.fcm, Fcm::drop);
  EXPECT_EQ(c.rate, rate("29.97"));
  ASSERT_EQ(c.events.size(), 4u);
  EXPECT_EQ(c.events[2].edits[0].channels, "NONE");
  EXPECT_EQ(c.events[2].edits[0].extra_audio, (std::vector<int>{3, 4}));
  EXPECT_EQ(c.events[1].comments.size(), 2u);
  EXPECT_EQ(c.events[1].comments[0], "AUDIO LEVEL AT 00:38:43;04 IS -8.98 DB  (REEL AX A1)");
  EXPECT_EQ(c.events[0].edits[0].source_in, frames("00:38:44;17", "29.97df"));
  EXPECT_EQ(c.events[3].edits[0].clip_name, "517_0002.MXF");
  EXPECT_EQ(c.shots().size(), 2u);
  EXPECT_TRUE(r.warnings.empty());
}

TEST(EdlFixtures, PremiereDropFrameAtThirtyMeansTwentyNineNinetySeven) {
  const Cut c = read_ok(load("premiere_pro.edl"), "30").cut;
  EXPECT_EQ(c.rate, rate("29.97"));
  EXPECT_EQ(c.rate_for(Fcm::drop), rate("29.97df"));
}

TEST(EdlFixtures, DavinciResolveLongReelsAndM2) {
  const EdlRead r = read_ok(load("davinci_resolve.edl"));
  const Cut& c = r.cut;
  ASSERT_EQ(c.events.size(), 3u);
  EXPECT_EQ(c.events[1].edits[0].reel, "C_0022C003_241016_092821_h1F4X");
  EXPECT_EQ(c.events[1].other_lines,
            (std::vector<std::string>{"|C:ResolveColorBlue |M:Marker 1 |D:1"}));
  ASSERT_EQ(c.events[2].speeds.size(), 1u);
  EXPECT_EQ(c.events[2].speeds[0].reel, "B_0088C002_241125_144410_h1C2T");
  EXPECT_EQ(c.events[2].speeds[0].fps, time::Rational(317, 10));
  const auto shots = c.shots();
  ASSERT_EQ(shots.size(), 3u);
  ASSERT_TRUE(shots[0].speed.has_value());
  EXPECT_EQ(shots[0].speed->fps, time::Rational(48));
  EXPECT_TRUE(r.warnings.empty());
}

TEST(EdlFixtures, FinalCutProWipeKeysAndReelReplacement) {
  const EdlRead r = read_ok(load("final_cut_pro.edl"), "25");
  const Cut& c = r.cut;
  ASSERT_EQ(c.events.size(), 4u);
  EXPECT_EQ(c.events[0].source_file, "/Volumes/Media/Interview A.mov");
  const Transition& wipe = c.events[1].edits[1].transition;
  EXPECT_EQ(wipe.kind, TransitionKind::wipe);
  EXPECT_EQ(wipe.wipe_code, 1);
  EXPECT_EQ(wipe.frames, 15);
  EXPECT_EQ(c.events[1].other_lines.size(), 1u);
  EXPECT_EQ(c.events[2].edits[0].transition.kind, TransitionKind::key_background);
  EXPECT_EQ(c.events[2].edits[1].transition.kind, TransitionKind::key);
  EXPECT_EQ(c.events[2].edits[1].clip_name, "Lower Third");
  EXPECT_EQ(c.events[3].edits[0].transition.kind, TransitionKind::key_out);
  EXPECT_EQ(c.events[3].edits[0].transition.frames, 10);
  EXPECT_TRUE(r.warnings.empty());
}

TEST(EdlFixtures, TabsEmptyTitleNoFcm) {
  const EdlRead r = read_ok(load("nucoda_tabs.edl"));
  const Cut& c = r.cut;
  EXPECT_EQ(c.title, "");
  ASSERT_EQ(c.events.size(), 3u);
  EXPECT_EQ(c.events[0].edits[0].reel, "TAPE_A");
  EXPECT_EQ(c.events[0].comments,
            (std::vector<std::string>{"FROM FILE: /mnt/conform/TAPE_A.0001.dpx"}));
  EXPECT_EQ(c.shots().size(), 2u);  // V and B; the A event is sound only
  EXPECT_TRUE(has_warning(r, "no FCM line"));
}

TEST(EdlFixtures, NoFcmTakesTheCallersDropFrame) {
  const Cut c = read_ok(load("nucoda_tabs.edl"), "29.97df").cut;
  EXPECT_EQ(c.fcm, Fcm::drop);
  EXPECT_EQ(c.events[0].fcm, Fcm::drop);
}

TEST(EdlFixtures, FcmChangesInTheMiddle) {
  const Cut c = read_ok(load("fcm_change.edl"), "29.97").cut;
  ASSERT_EQ(c.events.size(), 3u);
  EXPECT_EQ(c.events[0].fcm, Fcm::drop);
  EXPECT_EQ(c.events[1].fcm, Fcm::drop);
  EXPECT_EQ(c.events[2].fcm, Fcm::non_drop);
  EXPECT_EQ(c.events[1].edits[0].source_in, frames("01:10:00;00", "29.97df"));
  // The NDF event starts where the DF one ends: labels differ, the timeline does not.
  EXPECT_EQ(c.events[2].edits[0].record_in, c.events[1].edits[0].record_out);
  const auto shots = c.shots();
  EXPECT_EQ(shots[2].record_in, shots[1].record_out);
}

TEST(EdlFixtures, FrameNumbersInPlaceOfTimecode) {
  const Cut c = read_ok(load("frame_numbers.edl")).cut;
  ASSERT_EQ(c.events.size(), 2u);
  EXPECT_EQ(c.events[0].edits[0].record_in, 86400);
  EXPECT_EQ(c.events[0].edits[0].source_out, 1049);
  EXPECT_EQ(c.events[1].edits[0].transition.frames, 12);
  EXPECT_EQ(c.timecode(86400, Fcm::non_drop), "01:00:00:00");
}

TEST(EdlFixtures, OverNineHundredNinetyNineEvents) {
  const Cut c = read_ok(load("over_999_events.edl"), "25").cut;
  ASSERT_EQ(c.events.size(), 7u);
  EXPECT_EQ(c.events[3].number, 1000);
  EXPECT_EQ(c.events[6].number, 1003);
  EXPECT_EQ(c.events[6].edits[0].reel, "REEL1003");
  EXPECT_NE(write_edl(c).find("\n1003  REEL1003 V"), std::string::npos);
}

TEST(EdlFixtures, Latin1BecomesUtf8AndIsWrittenBackAsLatin1) {
  const std::string bytes = load("latin1.edl");
  const Cut c = read_ok(bytes).cut;
  EXPECT_EQ(c.title, "Caf\xC3\xA9 M\xC3\xBCller");
  EXPECT_EQ(c.events[0].edits[0].clip_name, "Sc\xC3\xA8ne 3 - prise 2");
  EXPECT_EQ(c.events[0].comments[0], "Tr\xC3\xA8s bien, \xC3\xA0 garder");
  const std::string written = write_edl(c);
  EXPECT_NE(written.find("TITLE: Caf\xE9 M\xFCller"), std::string::npos);
}

TEST(EdlFixtures, Utf8TextStaysUtf8AndAboveLatin1IsWrittenAsUtf8) {
  Cut c = read_ok(
              "TITLE: \xC3\xA9t\xC3\xA9 \xE2\x82\xAC\n001  A V C 00:00:00:00 00:00:01:00 "
              "00:00:00:00 00:00:01:00\n")
              .cut;
  EXPECT_EQ(c.title, "\xC3\xA9t\xC3\xA9 \xE2\x82\xAC");
  EXPECT_NE(write_edl(c).find("TITLE: \xC3\xA9t\xC3\xA9 \xE2\x82\xAC"), std::string::npos);
  // Latin-1 bytes that would read as UTF-8 ("Ã©" is C3 A9) are written as UTF-8 instead.
  c.title = "\xC3\x83\xC2\xA9";
  expect_round_trip(c);
}

TEST(EdlFixtures, SpeedChangesFreezeReverseAndSpacing) {
  const Cut c = read_ok(load("speed_changes.edl"), "25").cut;
  ASSERT_EQ(c.events.size(), 3u);
  EXPECT_EQ(c.events[0].speeds[0].fps, time::Rational(0));
  EXPECT_EQ(c.events[0].edits[0].clip_name, "FREEZE ON HER");
  EXPECT_EQ(c.events[1].speeds[0].fps, time::Rational(-25));
  EXPECT_EQ(c.events[1].speeds[0].entry, frames("11:00:05:00", "25"));
  EXPECT_EQ(c.events[1].edits[0].clip_name, "REVERSE");
  EXPECT_EQ(c.events[2].speeds[0].fps, time::Rational(100));
  const std::string written = write_edl(c);
  EXPECT_NE(written.find("000.0"), std::string::npos);
  EXPECT_NE(written.find("-025.0"), std::string::npos);
}

TEST(EdlFixtures, OldMacLineEndsControlZAndOtherStatements) {
  const EdlRead r = read_ok(load("old_mac_garbage.edl"));
  ASSERT_EQ(r.cut.events.size(), 2u);
  EXPECT_EQ(r.cut.events[0].other_lines,
            (std::vector<std::string>{"SPLIT:    AUDIO DELAY=  00:00:00:05"}));
  EXPECT_EQ(r.cut.events[1].other_lines.size(), 2u);
  EXPECT_TRUE(has_warning(r, "line 10: kept an unrecognised line as written: 'EDIT SUITE STOP"));
  EXPECT_EQ(r.warnings.size(), 1u);
}

TEST(EdlFixtures, EveryFixtureRoundTrips) {
  int count = 0;
  for (const auto& entry : fs::directory_iterator(kFixtures)) {
    const std::string name = entry.path().filename().string();
    SCOPED_TRACE(name);
    // Each fixture reads at one rate at least (labels with frame 24 or more need 25 or 30).
    int reads = 0;
    for (const char* r : {"24", "25", "29.97", "30"}) {
      EdlOptions o;
      o.rate = rate(r);
      auto read = read_edl(load(name), o);
      if (!read) continue;
      ++reads;
      expect_round_trip(read->cut);
    }
    EXPECT_GE(reads, 1);
    ++count;
  }
  EXPECT_GE(count, 11);
}

// ---- The writer's layout ----

TEST(EdlWriter, ClassicColumns) {
  const Cut c = read_ok(
                    "TITLE: X\nFCM: NON-DROP FRAME\n"
                    "1 R1 V C 00:00:00:00 00:00:00:00 01:00:00:00 01:00:00:00\n"
                    "1 REEL2 V D 30 00:00:10:00 00:00:12:00 01:00:00:00 01:00:02:00\n")
                    .cut;
  EXPECT_EQ(write_edl(c),
            "TITLE: X\n"
            "FCM: NON-DROP FRAME\n"
            "001  R1       V     C        00:00:00:00 00:00:00:00 01:00:00:00 01:00:00:00\n"
            "001  REEL2    V     D    030 00:00:10:00 00:00:12:00 01:00:00:00 01:00:02:00\n");
}

TEST(EdlWriter, DropFrameLabelsUseSemicolons) {
  const Cut c = read_ok(
                    "FCM: DROP FRAME\n001 R V C 00:01:00;02 00:01:01;00 01:00:00;00 "
                    "01:00:00;28\n",
                    "29.97")
                    .cut;
  EXPECT_NE(write_edl(c).find("00:01:00;02 00:01:01;00 01:00:00;00 01:00:00;28"),
            std::string::npos);
}

// ---- Errors: line number and what was expected ----

TEST(EdlErrors, BadRecordOutNamesLineAndField) {
  std::string text = "TITLE: T\nFCM: NON-DROP FRAME\n";
  for (int i = 0; i < 11; ++i)
    text += "* padding\n";
  text += "014  A V C 00:00:00:00 00:00:05:00 01:00:00:00 01:00:0x:00\n";
  EXPECT_EQ(read_error(text),
            "line 14: expected a record-out timecode after the record-in 01:00:00:00, found "
            "'01:00:0x:00'");
}

TEST(EdlErrors, EachMissingOrWrongField) {
  EXPECT_EQ(read_error("001 A V C 00:00:00:00\n"),
            "line 1: expected a source-out timecode after the source-in 00:00:00:00, found end "
            "of line");
  EXPECT_EQ(read_error("001 A Q C 00:00:00:00 00:00:01:00 01:00:00:00 01:00:01:00\n"),
            "line 1: expected a channel code (V, A, A2, AA, B, AA/V, NONE...) after the reel "
            "'A', found 'Q'");
  EXPECT_EQ(read_error("001 A V X 00:00:00:00 00:00:01:00 01:00:00:00 01:00:01:00\n"),
            "line 1: expected a transition (C, D, Wnnn, K, KB, KO) after the channels 'V', "
            "found 'X'");
  EXPECT_EQ(read_error("001 A V D 00:00:00:00 00:00:01:00 01:00:00:00 01:00:01:00\n"),
            "line 1: expected the duration in frames after the dissolve 'D', found "
            "'00:00:00:00'");
  EXPECT_EQ(read_error("001 A V C 00:00:00:00 00:00:01:00 01:00:00:00 01:00:01:00 junk\n"),
            "line 1: expected the end of the event line after the record-out 01:00:01:00, found "
            "'junk'");
  EXPECT_EQ(read_error("001 A V C 00:00:00:00 00:00:01:00 01:00:01:00 01:00:00:00\n"),
            "line 1: the record-out 01:00:00:00 comes before the record-in 01:00:01:00");
  EXPECT_EQ(read_error("FCM: SOMETIMES\n"),
            "line 1: expected DROP FRAME or NON-DROP FRAME after 'FCM:', found 'SOMETIMES'");
  EXPECT_EQ(read_error("M2 A 048.0 00:00:00:00\n"),
            "line 1: an M2 speed line comes before any event");
  EXPECT_EQ(read_error("001 A V C 0 24 0 24\nM2 A fast 00:00:00:00\n"),
            "line 2: expected a speed in frames per second (like 048.0, 000.0 or -025.0) after "
            "the M2 reel 'A', found 'fast'");
  EXPECT_EQ(read_error("001 A V C 0 24 0 24\nAUD 3 x\n"),
            "line 2: expected an audio channel number (1 to 99) after AUD, found 'x'");
  EXPECT_EQ(read_error("001 A V C 0 24 0 9999999\n"),
            "line 1: the record-out frame number 9999999 is beyond the 24 hours timecode can "
            "label at 24");
}

TEST(EdlErrors, OutOfRangeLabelSaysWhy) {
  const std::string e = read_error("001 A V C 00:00:00:24 00:00:01:00 01:00:00:00 01:00:01:00\n");
  EXPECT_EQ(e.rfind("line 1: the source-in '00:00:00:24' is not a label at 24: ", 0), 0u) << e;
  const std::string df = read_error(
      "FCM: DROP FRAME\n001 A V C 00:01:00;00 00:01:01;00 01:00:00;00 01:00:01;00\n", "29.97");
  EXPECT_NE(df.find("does not exist at 29.97 DF"), std::string::npos) << df;
}

TEST(EdlErrors, LenientSkipsTheBadEventAndSaysSo) {
  const std::string text =
      "TITLE: T\n"
      "001 A V C 00:00:00:00 00:00:01:00 01:00:00:00 01:00:01:00\n"
      "002 B V C 00:00:00:00 00:00:01:00 01:00:01:00 01:00:0x:00\n"
      "* FROM CLIP NAME: lost with its event\n"
      "003 C V C 00:00:00:00 00:00:01:00 01:00:02:00 01:00:03:00\n"
      "M2 C ??? 00:00:00:00\n"
      "004 D V C 00:00:00:00 00:00:01:00 01:00:03:00 01:00:04:00\n";
  const EdlRead r = read_ok(text, "24", true);
  ASSERT_EQ(r.cut.events.size(), 2u);
  EXPECT_EQ(r.cut.events[0].number, 1);
  EXPECT_EQ(r.cut.events[1].number, 4);
  EXPECT_EQ(r.cut.events[0].edits[0].clip_name, "");
  EXPECT_EQ(r.skipped_events, 2);
  EXPECT_TRUE(has_warning(r, "line 3: expected a record-out timecode"));
  EXPECT_TRUE(has_warning(r, "skipped that event"));
  EXPECT_TRUE(has_warning(r, "line 6: expected a speed"));
  EXPECT_TRUE(has_warning(r, "skipped the event it belongs to"));
  expect_round_trip(r.cut);
}

// Fuzzer finding: a comment that reaches an event after the event behind it was skipped must
// keep its place among the event's comments, or the written list reads back differently.
TEST(EdlErrors, CommentsAfterASkippedEventKeepTheirOrder) {
  const EdlRead r = read_ok(
      "001 A V C 0 24 0 24\n"
      "* TO CLIP NAME: b\n"
      "002 B V C 0 24 24 48\n"
      "M2 B bad 0\n"
      "FCM: NON-DROP FRAME\n"
      "* later comment\n",
      "24", true);
  ASSERT_EQ(r.cut.events.size(), 1u);
  EXPECT_EQ(r.cut.events[0].comments,
            (std::vector<std::string>{"TO CLIP NAME: b", "later comment"}));
  expect_round_trip(r.cut);
}

TEST(EdlReader, ToClipNameClosesThePair) {
  // A TO CLIP NAME on a one-line event stays a comment, and the event takes no second line.
  const Cut c = read_ok("001 A V C 0 24 0 24\n* TO CLIP NAME: b\n001 B V D 12 0 24 24 48\n").cut;
  ASSERT_EQ(c.events.size(), 2u);
  EXPECT_EQ(c.events[0].comments, (std::vector<std::string>{"TO CLIP NAME: b"}));
  expect_round_trip(c);
}

TEST(EdlErrors, ALabelPastTheRatesLastFrameSuggestsTheLikelyRate) {
  const std::string e = read_error("001 A V C 00:00:00:24 00:00:01:00 01:00:00:00 01:00:01:00\n");
  EXPECT_NE(e.find("frame 24 means a list at 25 fps or faster"), std::string::npos) << e;
  const std::string ntsc =
      read_error("001 A V C 00:00:00:27 00:00:01:00 01:00:00:00 01:00:01:00\n");
  EXPECT_NE(ntsc.find("frame 27 means a list at 29.97 or 30 fps"), std::string::npos) << ntsc;
  // A bad hour is not a rate problem: no hint.
  const std::string hour =
      read_error("001 A V C 25:00:00:00 25:00:01:00 01:00:00:00 01:00:01:00\n");
  EXPECT_EQ(hour.find("means a list at"), std::string::npos) << hour;
}

TEST(EdlReader, WithNoRateGivenFcmDropFrameReadsAt2997Df) {
  const std::string text =
      "FCM: DROP FRAME\n001 A V C 00:00:00;00 00:00:30;00 01:00:00;00 01:00:30;00\n";
  EdlOptions o;  // 24, as a default nobody chose
  o.rate_from_fcm = true;
  auto read = read_edl(text, o);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->cut.rate_for(read->cut.fcm).name(), "29.97 DF");
  // 30 s of drop-frame labels: 900 frames at 30000/1001, 30.030 s (not 30.000 at 24).
  const auto shots = read->cut.shots();
  ASSERT_EQ(shots.size(), 1u);
  EXPECT_EQ(shots[0].duration().ticks() / read->cut.rate.frame_duration().ticks(), 900);
  EXPECT_NEAR(time::seconds(shots[0].duration()), 30.03, 1e-9);
  EXPECT_TRUE(has_warning(*read, "no rate given: FCM DROP FRAME implies 29.97 DF"));
  // A rate the user named stands.
  o.rate_from_fcm = false;
  auto named = read_edl(text, o);
  ASSERT_TRUE(named);
  EXPECT_TRUE(has_warning(*named, "FCM DROP FRAME has no meaning at 24"));
}

TEST(EdlErrors, DropFrameAtTwentyFourIsAWarning) {
  const EdlRead r = read_ok("FCM: DROP FRAME\n001 A V C 0 24 0 24\n");
  EXPECT_TRUE(has_warning(r, "FCM DROP FRAME has no meaning at 24"));
  expect_round_trip(r.cut);
}

// ---- Property: generated cuts survive write and read ----

Cut generate(std::mt19937& rng) {
  const auto pick = [&rng](int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  static const std::vector<const char*> rates{"23.976", "24", "25", "29.97", "50", "59.94", "60"};
  Cut c;
  c.rate = rate(rates[static_cast<std::size_t>(pick(0, static_cast<int>(rates.size()) - 1))]);
  const bool can_drop = c.rate.fps().den() == 1001 && c.rate.nominal() % 30 == 0;
  c.fcm = can_drop && pick(0, 1) ? Fcm::drop : Fcm::non_drop;
  c.title = pick(0, 3) == 0 ? "" : "Reel " + std::to_string(pick(1, 9)) + " \xC3\xA9t\xC3\xA9";
  if (pick(0, 1)) c.comments.push_back("generated list");
  static const std::vector<const char*> channels{"V",    "A",    "A2", "AA", "B",
                                                 "AA/V", "A2/V", "A3", "A4", "NONE"};
  static const std::vector<const char*> reels{
      "AX", "BL", "A001C003", "TAPE 7", "C_0022C003_241016_092821_h1F4X", "R"};
  const std::int64_t day = c.rate_for(Fcm::drop).frames_per_day();  // the shorter day
  std::int64_t record = std::uniform_int_distribution<std::int64_t>(0, day / 2)(rng);
  const int events = pick(0, 30);
  int number = pick(0, 2) == 0 ? 995 : 1;
  Fcm fcm = c.fcm;
  for (int i = 0; i < events; ++i) {
    if (can_drop && pick(0, 9) == 0) fcm = fcm == Fcm::drop ? Fcm::non_drop : Fcm::drop;
    Event e;
    e.number = number++;
    e.fcm = fcm;
    const auto edit = [&](TransitionKind kind, std::int64_t length) {
      Edit d;
      d.reel = reels[static_cast<std::size_t>(pick(0, static_cast<int>(reels.size()) - 1))];
      d.channels =
          channels[static_cast<std::size_t>(pick(0, static_cast<int>(channels.size()) - 1))];
      d.transition.kind = kind;
      if (kind == TransitionKind::wipe) d.transition.wipe_code = pick(0, 999);
      if (kind != TransitionKind::cut || pick(0, 5) == 0) d.transition.frames = pick(0, 120);
      d.source_in = std::uniform_int_distribution<std::int64_t>(0, day - 1000)(rng);
      d.source_out = d.source_in + pick(0, 999);
      d.record_in = record;
      d.record_out = record + length;
      if (pick(0, 4) == 0) d.extra_audio = {3, 4};
      return d;
    };
    const int shape = pick(0, 5);
    const std::int64_t length = pick(1, 400);
    if (shape == 0) {  // a dissolve or wipe pair
      e.edits.push_back(edit(TransitionKind::cut, 0));
      e.edits.push_back(edit(pick(0, 1) ? TransitionKind::dissolve : TransitionKind::wipe, length));
      e.edits[0].clip_name = "from";
      e.edits[1].clip_name = "to \xC3\xB1";
    } else {
      static const std::vector<TransitionKind> kinds{
          TransitionKind::cut, TransitionKind::cut, TransitionKind::key,
          TransitionKind::key_background, TransitionKind::key_out};
      e.edits.push_back(edit(kinds[static_cast<std::size_t>(pick(0, 4))], length));
      if (pick(0, 1)) e.edits[0].clip_name = "clip " + std::to_string(i);
    }
    record += length;
    if (pick(0, 3) == 0) {
      static const std::vector<time::Rational> speeds{0, 48, -25, time::Rational(317, 10),
                                                      time::Rational(23976, 1000)};
      e.speeds.push_back(Speed{e.edits.back().reel, speeds[static_cast<std::size_t>(pick(0, 4))],
                               e.edits.back().source_in});
    }
    if (pick(0, 3) == 0) e.markers.push_back(Marker{e.edits.back().record_in, "RED", "hit"});
    if (pick(0, 5) == 0) e.markers.push_back(Marker{e.edits.back().record_in, "BLUE", ""});
    if (pick(0, 5) == 0) e.source_file = "/media/" + e.edits[0].reel + ".mov";
    if (pick(0, 5) == 0) e.effect_name = "CROSS DISSOLVE";
    if (pick(0, 4) == 0) e.comments.push_back("note " + std::to_string(i));
    if (pick(0, 9) == 0) e.other_lines.push_back("SPLIT:    AUDIO DELAY=  00:00:00:05");
    if (pick(0, 6) == 0) --number;  // repeated event numbers happen in real lists
    c.events.push_back(std::move(e));
  }
  return c;
}

TEST(EdlProperty, GeneratedCutsRoundTrip) {
  std::mt19937 rng(20240611);
  for (int i = 0; i < 500; ++i) {
    SCOPED_TRACE(i);
    const Cut c = generate(rng);
    expect_round_trip(c);
    if (HasFailure()) break;
  }
}

TEST(EdlProperty, ShotsAreInRecordOrderAndOnFrameStarts) {
  std::mt19937 rng(7);
  for (int i = 0; i < 100; ++i) {
    const Cut c = generate(rng);
    const auto shots = c.shots();
    for (std::size_t k = 0; k < shots.size(); ++k) {
      if (k > 0) {
        EXPECT_LE(shots[k - 1].record_in, shots[k].record_in);
      }
      EXPECT_EQ(shots[k].record_in.ticks() % c.rate.frame_duration().ticks(), 0);
      EXPECT_GE(shots[k].duration(), time::TimeDur(0));
    }
  }
}

}  // namespace
}  // namespace duet::picture
