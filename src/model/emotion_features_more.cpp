// The emotion features from degree_b3 on (emotion_features.h): where the music sits in its key
// (scale degrees, chord degrees), how its top line moves, how thick and how low it is, and how
// mode and activity change over the piece (6 s windows every 3 s, pooled). Kept apart from
// emotion_features.cpp so that the two can change independently; measure_features calls this.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "model/emotion_features.h"
#include "model/emotion_features_detail.h"
#include "music/chord_recognition.h"
#include "music/key_finding.h"

namespace duet::model {
namespace {

// The pooled windows: long enough to hold a key (a few bars), short enough to see it change.
constexpr double kPoolWindow = 6.0;  // seconds
constexpr double kPoolHop = 3.0;     // seconds
// A window needs this many notes for its mode to mean anything.
constexpr std::size_t kPoolMinNotes = 4;

using detail::kSameOnset;
using detail::mean_of;
using detail::mode_of;
using detail::sd_of;
using detail::timed_of;

int pc(int tonic, int degree) {
  return (tonic + degree) % 12;
}

}  // namespace

void measure_more_features(std::span<const EmotionNote> notes, double beat_seconds,
                           EmotionFeatures& f) {
  const auto at = [&f](EmotionFeature e) -> double& { return f[static_cast<std::size_t>(e)]; };
  if (notes.empty()) return;
  const auto timed = timed_of(notes);
  const auto histogram = music::pitch_class_histogram(timed);
  const auto key = music::rank_keys(histogram, music::KeyProfile::albrecht_shanahan).front();

  // Scale degrees above the found tonic, as shares of all sounding time: the minor-mode degrees
  // b3, b6, b7 against the major-mode 3, 6, 7 (and the leading note of harmonic minor).
  {
    double total = 0;
    for (double h : histogram)
      total += h;
    const auto share = [&](int degree) {
      return total > 0 ? histogram[static_cast<std::size_t>(pc(key.tonic, degree))] / total : 0.0;
    };
    at(EmotionFeature::degree_b3) = share(3);
    at(EmotionFeature::degree_3) = share(4);
    at(EmotionFeature::degree_b6) = share(8);
    at(EmotionFeature::degree_6) = share(9);
    at(EmotionFeature::degree_b7) = share(10);
    at(EmotionFeature::degree_7) = share(11);
  }

  // Chord degrees: chords recognised per beat, each span's time given to its degree above the
  // tonic and its triad class.
  {
    const auto bounds = music::regular_boundaries(timed, notes.front().onset, beat_seconds);
    const auto spans = music::recognize_chords(timed, bounds);
    double chord_time = 0;
    std::array<double, 8> time_on{};  // I i IV iv V vi flat other
    for (const auto& s : spans) {
      if (!s.chord) continue;
      const double d = s.end - s.start;
      chord_time += d;
      const int degree = (s.chord->root - key.tonic + 12) % 12;
      const auto triad = s.chord->triad;
      const bool maj = triad == music::TriadClass::maj, min = triad == music::TriadClass::min;
      int slot = -1;
      if (!maj && !min) {
        slot = 7;
      } else if (degree == 0) {
        slot = maj ? 0 : 1;
      } else if (degree == 5) {
        slot = maj ? 2 : 3;
      } else if (degree == 7 && maj) {
        slot = 4;
      } else if (degree == 9 && min) {
        slot = 5;
      } else if (maj && (degree == 3 || degree == 8 || degree == 10)) {
        slot = 6;
      }
      if (slot >= 0) time_on[static_cast<std::size_t>(slot)] += d;
    }
    const std::array<EmotionFeature, 8> names = {
        EmotionFeature::chord_I,    EmotionFeature::chord_i,    EmotionFeature::chord_IV,
        EmotionFeature::chord_iv,   EmotionFeature::chord_V,    EmotionFeature::chord_vi,
        EmotionFeature::chord_flat, EmotionFeature::chord_other};
    for (std::size_t k = 0; k < names.size(); ++k)
      at(names[k]) = chord_time > 0 ? time_on[k] / chord_time : 0.0;
  }

  // Onset events: the top line (the highest note beginning), the bass (the lowest note sounding,
  // so that a held bass counts under the notes above it) and how many notes sound.
  {
    std::vector<int> top;
    std::vector<double> bass, sounding;
    std::vector<const EmotionNote*> active;
    std::size_t next = 0;
    for (std::size_t i = 0; i < notes.size();) {
      const double t = notes[i].onset;
      std::size_t j = i, high = i;
      while (j < notes.size() && notes[j].onset - t <= kSameOnset) {
        if (notes[j].pitch > notes[high].pitch) high = j;
        ++j;
      }
      top.push_back(notes[high].pitch);
      // Notes of this event are kept even when shorter than the event's spread.
      std::erase_if(active,
                    [t](const EmotionNote* n) { return n->onset + n->duration <= t + 1e-9; });
      while (next < j)
        active.push_back(&notes[next++]);
      int low = notes[i].pitch;
      for (const auto* n : active)
        low = std::min(low, n->pitch);
      bass.push_back(low);
      sounding.push_back(static_cast<double>(active.size()));
      i = j;
    }
    int moves = 0, steps = 0, leaps = 0, moving = 0, down = 0;
    for (std::size_t i = 1; i < top.size(); ++i) {
      const int d = top[i] - top[i - 1];
      ++moves;
      steps += std::abs(d) >= 1 && std::abs(d) <= 2;
      leaps += std::abs(d) >= 5;
      if (d != 0) {
        ++moving;
        down += d < 0;
      }
    }
    at(EmotionFeature::melody_steps) = moves > 0 ? static_cast<double>(steps) / moves : 0.0;
    at(EmotionFeature::melody_leaps) = moves > 0 ? static_cast<double>(leaps) / moves : 0.0;
    at(EmotionFeature::melody_descent) = moving > 0 ? static_cast<double>(down) / moving : 0.5;
    at(EmotionFeature::polyphony) = mean_of(sounding);
    at(EmotionFeature::bass_register) = (mean_of(bass) - 48.0) / 12.0;
  }

  {
    int long_ones = 0;
    for (const auto& n : notes)
      long_ones += n.duration >= beat_seconds;
    at(EmotionFeature::long_notes) =
        static_cast<double>(long_ones) / static_cast<double>(notes.size());
  }

  // Pooled windows: mode and density of each 6 s window (every 3 s) with enough notes.
  {
    const double first = notes.front().onset;
    const double end = last_end(notes);
    std::vector<double> modes, densities;
    for (double start = first;; start += kPoolHop) {
      const double stop = start + kPoolWindow;
      const auto lo = std::lower_bound(notes.begin(), notes.end(), start,
                                       [](const EmotionNote& n, double t) { return n.onset < t; });
      const auto hi = std::lower_bound(lo, notes.end(), stop,
                                       [](const EmotionNote& n, double t) { return n.onset < t; });
      const auto count = static_cast<std::size_t>(hi - lo);
      if (count >= kPoolMinNotes) {
        const auto window = timed_of(std::span<const EmotionNote>(lo, hi));
        modes.push_back(mode_of(music::pitch_class_histogram(window)));
        int events = 0;
        double last = -1e300;
        for (auto it = lo; it != hi; ++it) {
          if (it->onset - last > kSameOnset) {
            ++events;
            last = it->onset;
          }
        }
        densities.push_back(std::log2(static_cast<double>(events) / kPoolWindow));
      }
      if (stop >= end) break;
    }
    int minor = 0;
    for (double m : modes)
      minor += m < 0;
    at(EmotionFeature::minor_windows) =
        modes.empty() ? 0.0 : static_cast<double>(minor) / static_cast<double>(modes.size());
    at(EmotionFeature::mode_spread) = sd_of(modes);
    at(EmotionFeature::density_spread) = sd_of(densities);
  }
}

}  // namespace duet::model
