#include "commands.h"

namespace suqiu::cli {

std::filesystem::path Context::require_data() const {
  if (data_dir) return *data_dir;
  if (hub) throw CLI::ValidationError("--hub", "this command works on a data folder; give --data DIR");
  throw CLI::RequiredError("--data DIR (or --hub ENDPOINT)");
}

void add_common_options(CLI::App& cmd, Context& ctx, bool with_json) {
  cmd.add_option("--data", ctx.data_dir, "Data folder (DIR/suqiu.db), worked on in-process");
  cmd.add_option("--hub", ctx.hub, "Hub endpoint, e.g. tcp://127.0.0.1:7450 (ingest) or :7451 (api)");
  cmd.add_option("--config", ctx.config, "The hub's TOML configuration (routing, SLA, sources)")
      ->check(CLI::ExistingFile);
  cmd.add_option("--client-keys", ctx.client_keys, "CURVE key pair file (for a hub off loopback)");
  cmd.add_option("--server-key", ctx.server_key, "The hub's CURVE public key (z85)");
  cmd.add_option("--user", ctx.user, "User for --hub queries (password: SUQIU_PASSWORD or stdin)");
  if (with_json) cmd.add_flag("--json", ctx.json, "Print JSON for scripts");
}

}  // namespace suqiu::cli
