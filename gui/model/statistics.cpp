#include "statistics.h"

#include <stdexcept>

namespace suqiu::console {

using nlohmann::json;

std::string Period::label(const Words& w) const {
  if (!from && !to) return std::string(w("全部", "all time"));
  return (from ? *from : std::string(w("最早", "the start"))) + std::string(w(" 至 ", " to ")) +
         (to ? *to : std::string(w("今天", "today")));
}

void load_statistics(ConsoleSession& session, const Words& words, const Period& period,
                     std::function<void(Outcome<StatisticsReport>)> done) {
  json args = json::object();
  if (period.from) args["from"] = *period.from;
  if (period.to) args["to"] = *period.to;
  // The report is made on the request thread too: a year of breakdowns is no work for the window.
  session.call<StatisticsReport>(
      [args, words](HubApi& api) { return StatisticsReport::from_json(api.request("stats", args), words); },
      std::move(done));
}

}  // namespace suqiu::console
