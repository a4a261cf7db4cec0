// POP909 (Wang et al. 2020): 909 Chinese pop songs as piano arrangements, each in a folder NNN/
// with NNN.mid (tracks MELODY, BRIDGE and PIANO), chord_midi.txt (start, end in seconds and a
// Harte chord label), beat_midi.txt (beat time in seconds, a strong-beat flag and a downbeat
// flag) and key_audio.txt (start, end in seconds and a key such as "Gb:maj").
//
// The reader turns a folder into notes per track (seconds and beat positions from the file's
// tempo map), chord, beat and key annotations, and the shared model representations.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "model/sequence.h"
#include "music/chord.h"
#include "music/key.h"
#include "time/tempo_map.h"
#include "time/units.h"

namespace duet::model {

struct Pop909Note {
  int pitch = 60;  // MIDI note number
  int velocity = 64;
  double start_seconds = 0;
  double end_seconds = 0;
  time::BeatPos onset;  // from the file's tempo map
  time::BeatDur duration;
};

struct Pop909Track {
  std::string name;               // "MELODY", "BRIDGE", "PIANO"
  std::vector<Pop909Note> notes;  // by onset
};

struct Pop909ChordLabel {
  double start_seconds = 0;
  double end_seconds = 0;
  std::string label;                  // as written: "C:maj", "Gb:min7", "N"
  std::optional<music::Chord> chord;  // absent for "N"
};

struct Pop909Beat {
  double seconds = 0;
  bool strong = false;    // second column: 1 on every other beat (1 and 3 of a 4/4 bar)
  bool downbeat = false;  // third column: 1 on the first beat of a bar
};

struct Pop909Key {
  double start_seconds = 0;
  double end_seconds = 0;
  music::Key key;
};

struct Pop909Song {
  std::string id;  // the folder name, "001"
  Pop909Track melody, bridge, piano;
  std::vector<Pop909ChordLabel> chords;
  std::vector<Pop909Beat> beats;
  std::vector<Pop909Key> keys;  // the first is the main key
  time::TempoMap tempo_map;     // of the MIDI file

  time::BeatPos beat_at_seconds(double seconds) const;
};

// Reads a song folder. Errors name the file and line ("pop909/001/chord_midi.txt line 3: ...").
// A missing MELODY, BRIDGE or PIANO track is an error; so is a missing annotation file.
base::Result<Pop909Song> read_pop909_song(const std::filesystem::path& folder);

// The song folders of a POP909 directory (names of three digits), sorted.
std::vector<std::filesystem::path> pop909_song_folders(const std::filesystem::path& directory);

// chord_midi.txt as a chord sequence in beat ticks (from the MIDI tempo map); "N" stretches are
// left out; the key is the first key annotation.
ChordSequence pop909_chord_sequence(const Pop909Song& song);
// The MELODY track as a melody (id "pop909/NNN"): overlapping notes are cut at the next onset,
// notes at the same onset keep the highest; meter from the tempo map; key from key_audio.txt.
Melody pop909_melody(const Pop909Song& song);

// KeyContext of a music::Key (modes other than minor count as major).
KeyContext key_context(const music::Key& key);
// ChordClass of a triad class (1:1).
ChordClass chord_class(music::TriadClass triad);

}  // namespace duet::model
