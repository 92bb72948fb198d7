#include "local_hub.h"

#include "pipeline/pipeline_settings.h"

namespace suqiu::cli {

std::filesystem::path model_file(const std::filesystem::path& data_dir) {
  return data_dir / "classifier.model";
}

std::shared_ptr<const classify::Classifier> load_classifier(const std::filesystem::path& data_dir) {
  if (std::filesystem::exists(model_file(data_dir)))
    return std::make_shared<classify::Classifier>(classify::Classifier::load(model_file(data_dir)));
  // The built-in model lives for the whole process; share it without owning it.
  return std::shared_ptr<const classify::Classifier>(&classify::Classifier::builtin(),
                                                     [](const classify::Classifier*) {});
}

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
    auto classifier = load_classifier(data_dir_);
    if (config_) {
      auto table = read_config_file(*config_);
      settings = load_pipeline_settings(table);
      auto configured = std::make_shared<classify::Classifier>(*classifier);
      configured->configure(table, settings.taxonomy);
      classifier = configured;
    }
    pipeline_ = std::make_unique<IntakePipeline>(*store_, std::move(settings), classifier);
  }
  return *pipeline_;
}

}  // namespace suqiu::cli
