// Chord sequences for the chord model from plain notes, where no chord annotations exist (the JSB
// chorales, a composer's MIDI files): the key found from the piece's notes (music::find_key,
// Albrecht-Shanahan profile), one chord recognised per beat over all voices
// (music::recognize_chords, its defaults: the five triad classes, change penalty 0.3), beats with
// no note dropped, consecutive equal chords merged (also across dropped beats); each chord's
// symbol relative to the found key, its duration in beats to the next chord's onset, its bar
// position the beats since the last downbeat (one meter per piece).
#pragma once

#include <filesystem>
#include <functional>
#include <span>
#include <vector>

#include "base/result.h"
#include "model/eval.h"
#include "model/jsb.h"
#include "music/key_finding.h"

namespace duet::model {

// notes: onsets and durations in beats (quarter notes) from a downbeat; beats_per_bar >= 1.
ChordSong chord_song_from_notes(std::span<const music::TimedNote> notes, int beats_per_bar);

// One JSB chorale (all four voices; equal consecutive 16ths of a voice are one note, 4/4 from the
// first step, as jsb.h assumes).
ChordSong jsb_chord_song(const JsbSteps& steps);
// Every chorale of the file, train, valid and test in order.
std::vector<ChordSong> jsb_chord_songs(const JsbChoraleSteps& corpus);

// A MIDI file's notes on every channel but drums (9), in beats; the meter of its first time
// signature (4/4 without one). Fails for SMPTE-division files and files with no pitched notes.
base::Result<ChordSong> read_midi_chord_song(const std::filesystem::path& path);

// What duet train --chords builds: eval.h's pop909_chord_system (4 viewpoints, long-term and
// short-term models) with a long-term model that does not learn while predicting.
ChordModelOptions default_chord_system();

// Next-chord prediction on the JSB chorales read as above: all 382 chorales pooled, 10% held out
// (held_out_split, this seed); the fixed-order baselines, the long-term model alone, the shipped
// system and the same with LTM+ (docs/model-evaluation.md).
inline constexpr std::uint32_t kJsbChordSplitSeed = 3;
base::Result<std::vector<EvalRow>> evaluate_jsb_chords(const std::filesystem::path& json_path);

}  // namespace duet::model
