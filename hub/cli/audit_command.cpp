// suqiu audit verify: exit 0 when the hash chain is intact, else name the
// first broken entry and exit 1.
#include <iostream>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "store/store.h"

namespace suqiu::cli {

void add_audit_command(CLI::App& app, Context& ctx, int& exit_code) {
  auto* audit = app.add_subcommand("audit", "The audit log");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand("verify", "Check the audit log's hash chain");
  add_common_options(*verify, ctx);
  verify->callback([&ctx, &exit_code] {
    auto file = store::Store::database_file(ctx.require_data());
    if (!std::filesystem::exists(file)) throw std::runtime_error("no database at " + file.string());
    store::Store s(file, store::Store::Access::reader);
    auto v = s.verify_audit();
    if (ctx.json) {
      std::cout << nlohmann::json{{"intact", v.intact},
                                  {"entries", v.entries},
                                  {"first_broken", v.first_broken ? nlohmann::json(*v.first_broken)
                                                                  : nlohmann::json(nullptr)},
                                  {"reason", v.reason}}
                       .dump()
                << "\n";
    } else if (v.intact) {
      std::cout << ctx.words("审计链完整，共 ", "audit chain intact, ") << v.entries
                << ctx.words(" 条", " entries") << "\n";
    } else {
      std::cout << ctx.words("审计链断裂于第 ", "audit chain broken at entry ") << *v.first_broken
                << ctx.words(" 条：", ": ") << v.reason << "\n";
    }
    if (!v.intact) exit_code = kExitFailed;
  });
}

}  // namespace suqiu::cli
