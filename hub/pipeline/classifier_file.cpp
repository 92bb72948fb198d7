#include "classifier_file.h"

namespace suqiu {

std::filesystem::path model_file(const std::filesystem::path& data_dir) {
  return data_dir / "classifier.model";
}

std::shared_ptr<const classify::Classifier> load_classifier(const std::filesystem::path& data_dir,
                                                            const toml::table* config,
                                                            const Taxonomy& taxonomy) {
  std::shared_ptr<const classify::Classifier> model;
  if (std::filesystem::exists(model_file(data_dir)))
    model = std::make_shared<classify::Classifier>(classify::Classifier::load(model_file(data_dir)));
  else  // the built-in model lives for the whole process: share it without owning it
    model = std::shared_ptr<const classify::Classifier>(&classify::Classifier::builtin(),
                                                        [](const classify::Classifier*) {});
  if (!config) return model;
  auto configured = std::make_shared<classify::Classifier>(*model);
  configured->configure(*config, taxonomy);
  return configured;
}

}  // namespace suqiu
