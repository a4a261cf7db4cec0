#include "model_options.h"

namespace duet::cli {

void add_models_option(CLI::App& command, std::string& dir) {
  command.add_option("--models", dir,
                     "The folder of the shipped models (default: $DUET_MODELS, else models/ "
                     "beside duet, else share/duet/models where duet is installed; never the "
                     "current folder)");
}

}  // namespace duet::cli
