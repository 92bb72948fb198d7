// Reading the pipeline's part of the hub's TOML configuration: extra sources,
// SLA day counts, routing rules, duplicate window. The sockets' part is read
// by the server. Unknown keys are refused with their name, so that a typo does
// not silently fall back to a default.
#pragma once

#include <filesystem>

#include <toml++/toml.h>

#include "intake_pipeline.h"

namespace suqiu {

// Throws std::runtime_error naming the file, key and reason.
PipelineSettings load_pipeline_settings(const toml::table& config);
toml::table read_config_file(const std::filesystem::path& file);

}  // namespace suqiu
