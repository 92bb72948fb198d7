// suqiu plugins --hub EP: the feeds connected to a running hub, when each was
// last heard from and what it sent. The registry lives in the hub's memory,
// so there is no --data mode.
#include <iostream>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "hub_session.h"

namespace suqiu::cli {

void add_plugins_command(CLI::App& app, Context& ctx, int& /*exit_code: errors throw*/) {
  auto* cmd = app.add_subcommand("plugins", "Feeds connected to a running hub (needs --hub)");
  add_common_options(*cmd, ctx);
  cmd->callback([&ctx] {
    if (!ctx.hub)
      throw CLI::RequiredError("--hub ENDPOINT (the api's): the plugin registry lives in the running hub");
    const nlohmann::json list = HubSession(ctx).request("plugins");
    if (ctx.json) {
      std::cout << list.dump() << "\n";
      return;
    }
    const Words& w = ctx.words;
    if (list.empty()) {
      std::cout << w("没有已连接的接入插件", "no feed connected") << "\n";
      return;
    }
    for (const auto& p : list) {
      std::string sources;
      for (const auto& s : p.value("sources", nlohmann::json::array()))
        sources += (sources.empty() ? "" : ",") + s.get<std::string>();
      std::cout << p.value("plugin", "") << " " << p.value("version", "") << "  [" << sources << "]  "
                << w("连接于 ", "connected ") << p.value("connected_at", "") << "  "
                << w("最近通信 ", "last seen ") << p.value("last_seen", "") << "\n  "
                << w("受理 ", "accepted ") << p.value("accepted", 0) << "  " << w("重复 ", "duplicates ")
                << p.value("duplicates", 0) << "  " << w("拒收 ", "rejected ") << p.value("rejected", 0)
                << "  " << w("待确认 ", "in flight ") << p.value("in_flight", 0) << "\n";
    }
  });
}

}  // namespace suqiu::cli
