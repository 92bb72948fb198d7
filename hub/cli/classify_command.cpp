// suqiu classify: suggestions for intake records on stdin, nothing stored.
// suqiu classify --train: retrain on the bundled corpus plus every operator
// correction in the database; a running hub picks the new model up by itself.
#include <iostream>

#include <nlohmann/json.hpp>

#include "classify/classifier.h"
#include "classify/corpus.h"
#include "commands.h"
#include "core/intake_record.h"
#include "local_hub.h"

namespace suqiu::cli {

void add_classify_command(CLI::App& app, Context& ctx, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "classify", "Suggest request type, category and section for records on stdin (JSON Lines)");
  static bool train = false;
  cmd->add_flag("--train", train, "Retrain from the corpus and the operators' corrections in --data");
  add_common_options(*cmd, ctx);
  cmd->callback([&ctx, &exit_code] {
    if (train) {
      auto dir = ctx.require_data();
      LocalHub hub(dir, ctx.config);
      auto records = classify::builtin_corpus();
      auto corrections = hub.store().corrections();
      for (const auto& c : corrections)
        records.push_back({classify::classification_text(c.subject, c.content), c.category,
                           parse_request_type(c.request_type).value_or(RequestType::complaint)});
      auto model = classify::Classifier::train(records, Taxonomy::builtin());
      model.save(model_file(dir));
      nlohmann::json out = {{"records", records.size()},
                            {"corrections", corrections.size()},
                            {"model", model_file(dir).string()}};
      std::cout << (ctx.json ? out.dump()
                             : std::string(ctx.words("已重新训练，样本 ", "retrained on ")) +
                                   std::to_string(records.size()) +
                                   std::string(ctx.words(" 条（含人工更正 ", " records (")) +
                                   std::to_string(corrections.size()) +
                                   std::string(ctx.words(" 条）", " operator corrections)")))
                << "\n";
      return;
    }
    PipelineSettings settings;
    std::shared_ptr<const classify::Classifier> classifier =
        ctx.data_dir ? load_classifier(*ctx.data_dir)
                     : std::shared_ptr<const classify::Classifier>(
                           &classify::Classifier::builtin(), [](const classify::Classifier*) {});
    classify::Router router = classify::Router::defaults(settings.taxonomy);
    std::string line;
    std::int64_t number = 0;
    while (std::getline(std::cin, line)) {
      ++number;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      auto parsed = parse_intake(std::string_view(line));
      if (auto* err = std::get_if<IntakeError>(&parsed)) {
        std::cerr << "stdin:" << number << ": " << err->code << " [" << err->field << "] "
                  << err->message << "\n";
        exit_code = kExitFailed;
        continue;
      }
      const auto& record = std::get<IntakeRecord>(parsed);
      auto s = classifier->classify(record);
      auto routing = router.route(record, s.category);
      std::cout << nlohmann::json{{"external_id", record.external_id},
                                  {"request_type", to_code(s.request_type)},
                                  {"category", s.category},
                                  {"section", routing.lead_section},
                                  {"confidence", std::min(s.category_confidence, s.type_confidence)},
                                  {"needs_review", s.needs_review}}
                       .dump()
                << "\n";
    }
  });
}

}  // namespace suqiu::cli
