// The `suqiu` subcommands. Each registers itself on the CLI11 app; the
// options every command shares (--data, --hub, --config, --json) live in
// Context.
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>
#include <optional>
#include <string>

#include "core/words.h"

namespace suqiu::cli {

struct Context {
  std::optional<std::filesystem::path> data_dir;
  std::optional<std::string> hub;
  std::optional<std::filesystem::path> config;
  std::optional<std::filesystem::path> client_keys;  // CURVE key file for --hub off loopback
  std::optional<std::string> server_key;             // the hub's public key (z85)
  std::string user;                                  // --user for --hub queries
  bool json = false;
  Words words = Words::from_environment();

  // The data folder, or a usage error when neither --data nor --hub was given.
  std::filesystem::path require_data() const;
};

// Exit codes: 0 ok, 1 the command's check failed (rejections, broken audit
// chain), 2 usage or environment error.
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

void add_ingest_command(CLI::App& app, Context& ctx, int& exit_code);
void add_classify_command(CLI::App& app, Context& ctx, int& exit_code);
void add_case_commands(CLI::App& app, Context& ctx, int& exit_code);
void add_stats_command(CLI::App& app, Context& ctx, int& exit_code);
void add_audit_command(CLI::App& app, Context& ctx, int& exit_code);
void add_user_command(CLI::App& app, Context& ctx, int& exit_code);
void add_keys_command(CLI::App& app, Context& ctx, int& exit_code);
void add_plugins_command(CLI::App& app, Context& ctx, int& exit_code);
void add_export_command(CLI::App& app, Context& ctx, int& exit_code);
void add_review_commands(CLI::App& app, Context& ctx, int& exit_code);

// Adds --data/--hub/--config/--json to a subcommand.
void add_common_options(CLI::App& cmd, Context& ctx, bool with_json = true);

}  // namespace suqiu::cli
