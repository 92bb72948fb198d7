#include "pipeline_settings.h"

#include <stdexcept>

namespace suqiu {
namespace {

int read_days(const toml::table& t, std::string_view key, int fallback) {
  auto node = t[key];
  if (!node) return fallback;
  auto v = node.value<std::int64_t>();
  if (!v || *v < 1 || *v > 365)
    throw std::runtime_error("[sla] " + std::string(key) + " must be a whole number of working days (1-365)");
  return static_cast<int>(*v);
}

}  // namespace

toml::table read_config_file(const std::filesystem::path& file) {
  try {
    return toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    throw std::runtime_error(file.string() + ":" + std::to_string(e.source().begin.line) + ": " +
                             std::string(e.description()));
  }
}

PipelineSettings load_pipeline_settings(const toml::table& config) {
  PipelineSettings s;
  if (auto hub = config["hub"].as_table()) {
    if (auto sources = (*hub)["sources"].as_array()) {
      for (auto& node : *sources) {
        auto name = node.value<std::string>();
        if (!name || name->empty())
          throw std::runtime_error("[hub] sources must be a list of source names");
        s.extra_sources.push_back(*name);
      }
    }
  }
  if (auto sla = config["sla"].as_table()) {
    static const char* kKeys[] = {"inquiry_days", "help_days", "complaint_days", "praise_days",
                                  "suggestion_days", "report_days", "sign_for_days",
                                  "warning_lead_days", "supervision_after_days", "end_of_day"};
    for (auto& [key, value] : *sla) {
      bool known = false;
      for (auto k : kKeys) known = known || key.str() == k;
      if (!known) throw std::runtime_error("[sla] has an unknown key '" + std::string(key.str()) + "'");
    }
    s.sla.inquiry_days = read_days(*sla, "inquiry_days", s.sla.inquiry_days);
    s.sla.help_days = read_days(*sla, "help_days", s.sla.help_days);
    s.sla.complaint_days = read_days(*sla, "complaint_days", s.sla.complaint_days);
    s.sla.praise_days = read_days(*sla, "praise_days", s.sla.praise_days);
    s.sla.suggestion_days = read_days(*sla, "suggestion_days", s.sla.suggestion_days);
    s.sla.report_days = read_days(*sla, "report_days", s.sla.report_days);
    s.sla.sign_for_days = read_days(*sla, "sign_for_days", s.sla.sign_for_days);
    if (auto lead = (*sla)["warning_lead_days"].value<std::int64_t>())
      s.sla.warning_lead_days = static_cast<int>(*lead);
    if (auto after = (*sla)["supervision_after_days"].value<std::int64_t>())
      s.sla.supervision_after_days = static_cast<int>(*after);
    if (auto eod = (*sla)["end_of_day"].value<std::string>()) {
      int h = 0, m = 0;
      if (std::sscanf(eod->c_str(), "%d:%d", &h, &m) != 2 || h < 0 || h > 23 || m < 0 || m > 59)
        throw std::runtime_error("[sla] end_of_day must be HH:MM, like \"18:00\"");
      s.sla.end_of_day_seconds = h * 3600 + m * 60;
    }
  }
  if (auto dup = config["duplicates"].as_table()) {
    if (auto days = (*dup)["window_days"].value<std::int64_t>())
      s.duplicates.window_seconds = *days * 86400;
    if (auto h = (*dup)["text_max_hamming"].value<std::int64_t>())
      s.duplicates.text_max_hamming = static_cast<int>(*h);
  }
  if (config["routing"]) s.router = classify::Router::from_toml(config, s.taxonomy);
  return s;
}

}  // namespace suqiu
