#include "local_hub.h"

#include "pipeline/pipeline_settings.h"

namespace suqiu::cli {

LocalHub::LocalHub(const std::filesystem::path& data_dir,
                   const std::optional<std::filesystem::path>& config)
    : data_dir_(data_dir), config_(config) {
  std::filesystem::create_directories(data_dir);
  store_ = std::make_unique<store::Store>(store::Store::database_file(data_dir),
                                          store::Store::Access::writer);
}

IntakePipeline& LocalHub::pipeline() {
  if (!pipeline_) {
    PipelineSettings settings;
    std::optional<toml::table> table;
    if (config_) {
      table = read_config_file(*config_);
      settings = load_pipeline_settings(*table);
    }
    auto classifier = load_classifier(data_dir_, table ? &*table : nullptr, settings.taxonomy);
    pipeline_ = std::make_unique<IntakePipeline>(*store_, std::move(settings), classifier);
  }
  return *pipeline_;
}

}  // namespace suqiu::cli
