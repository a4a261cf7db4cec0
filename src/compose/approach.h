// Approaches: the different ways a film composer might score one scene, so that the engine's
// candidates are different pieces and not one piece with different seeds. Each approach is a
// recipe the writer's stages follow (which layers play, who carries the melody, what drives the
// rhythm, how dense the harmony moves); each fits some scenes better than others, and the fit is
// measured from the scene (its feeling, its dialogue, its hits) with the reason in words.
//
//   lyrical            a singing melody on top (violins, doubled by flutes an octave up as it
//                      grows), sustained strings under it, harp figures, woodwind counter-lines
//                      in the melody's rests; cymbal swells and timpani only at the peaks.
//   ostinato           a string ostinato in a grouped pattern (3+3+2 and the like) drives the
//                      cue, low strings and basses lock to its accents, the violins sing over
//                      it (flutes and, at full strength, trumpets doubling), horns and clarinets
//                      hold the harmony, percussion plays the groove with fills into downbeats.
//   pulse-minimal      a repeated-note piano pulse over slow harmony and pedal points,
//                      sustained strings with suspensions, a sparse flute melody (celesta above).
//   chamber            a few solo players: a woodwind melody, piano, a string quartet; no
//                      brass, no percussion (the piano marks the hits).
//   hybrid-percussion  big drums and low toms in a groove, low strings galloping in sixteenths
//                      on its accents, brass stabs and a trumpet melody, a synth pad under it.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "spot/cue.h"

namespace duet::compose {

enum class Approach { lyrical, ostinato, pulse, chamber, hybrid };
inline constexpr int kApproachCount = 5;

// "lyrical", "ostinato", "pulse-minimal", "chamber", "hybrid-percussion".
std::string_view to_string(Approach approach);
// The names above (also "pulse" and "hybrid"), any case. Fails naming the approaches.
base::Result<Approach> parse_approach(std::string_view text);
// All approaches in declaration order.
const std::vector<Approach>& all_approaches();
// One sentence on what the approach sounds like.
std::string_view describe(Approach approach);
// The lowest written pitch (MIDI) of the instruments that play the four voices of the harmony
// in the approach's ensemble (texture.cpp's; the bass first): the voicing goes no lower, or
// an instrument would fold its note up an octave and cross the voice above it.
std::array<int, 4> voice_floors(Approach approach);

// What a scene asks for, summarised from its cue: the feeling averaged over the cue's time
// (valence -1..1, arousal -1..1, tension 0..1), the share of its time under dialogue (0..1),
// hard hits per minute and its length in seconds.
struct SceneSummary {
  double valence = 0, arousal = 0, tension = 0;
  double dialogue_share = 0;
  double hard_hits_per_minute = 0;
  double seconds = 0;
};
SceneSummary summarise(const spot::Cue& cue);

struct ApproachFit {
  Approach approach = Approach::lyrical;
  double fit = 0;      // 0..1, 1 = the scene's own kind of music
  std::string reason;  // "calm (arousal -0.40) and warm (valence 0.50); 20% dialogue"
};

// Every approach with its fit to the scene, best first (ties in declaration order). The fit is
// a Gaussian of the distance between the scene's feeling and the approach's home feeling, moved
// by the dialogue share (quiet, sparse approaches leave room for speech) and the hit density
// (driving approaches mark many hits well).
std::vector<ApproachFit> rank_approaches(const SceneSummary& scene);

}  // namespace duet::compose
