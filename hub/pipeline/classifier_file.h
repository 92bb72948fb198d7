// Which classifier a hub on a data folder uses: the model `suqiu classify
// --train` wrote into the folder when there is one, else the built-in model
// trained from the bundled corpus; with the keyword rules of the hub's TOML.
#pragma once

#include <filesystem>
#include <memory>

#include <toml++/toml.h>

#include "classify/classifier.h"
#include "core/taxonomy.h"

namespace suqiu {

std::filesystem::path model_file(const std::filesystem::path& data_dir);

// Throws std::runtime_error when the model file exists but cannot be read.
std::shared_ptr<const classify::Classifier> load_classifier(const std::filesystem::path& data_dir,
                                                            const toml::table* config = nullptr,
                                                            const Taxonomy& taxonomy = Taxonomy::builtin());

}  // namespace suqiu
