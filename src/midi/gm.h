// General MIDI Level 1 names, for showing what a file's tracks play.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace duet::midi {

// Program 0..127 ("Acoustic Grand Piano" ... "Gunshot"); empty for anything else.
std::string_view gm_program_name(int program);

// A key number as a name with sharps and the octave of scientific pitch (60 is "C4", 61 "C#4");
// spelling by key is the music library's job.
std::string key_number_name(int key);

// Channel index 9 (channel 10 to musicians) is the General MIDI percussion channel.
inline constexpr std::uint8_t kGmDrumChannel = 9;

}  // namespace duet::midi
