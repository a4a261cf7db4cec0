// Progress and cancel, one shape for every long job of the engine.
#pragma once

#include <functional>
#include <string>

namespace duet::engine {

// Called as a job goes: `what` names the stage ("composing 1M3"), `fraction` is how much of that
// stage is done (0..1, rising). Returning false asks the job to stop: it then fails with
// ErrorKind::impossible ("cancelled") and writes nothing. An empty Progress is never called.
using Progress = std::function<bool(const std::string& what, double fraction)>;

}  // namespace duet::engine
