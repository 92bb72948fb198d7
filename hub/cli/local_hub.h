// The CLI's --data mode: the store and the intake pipeline run in this
// process on DIR/suqiu.db, exactly as they run inside the hub.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>

#include "pipeline/classifier_file.h"
#include "pipeline/intake_pipeline.h"
#include "store/store.h"

namespace suqiu::cli {

class LocalHub {
 public:
  // Creates DIR when missing. `config` is the hub's TOML file, if any.
  LocalHub(const std::filesystem::path& data_dir, const std::optional<std::filesystem::path>& config);
  store::Store& store() { return *store_; }
  IntakePipeline& pipeline();

 private:
  std::filesystem::path data_dir_;
  std::optional<std::filesystem::path> config_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<IntakePipeline> pipeline_;
};

}  // namespace suqiu::cli
