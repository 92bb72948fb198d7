// suqiu: the admin CLI. Works on a data folder directly (--data DIR, the
// same pipeline as the hub, in-process) or through a running hub (--hub EP).
#include <spdlog/spdlog.h>

#include <iostream>

#include "commands.h"
#include "store/sqlite.h"

#ifndef SUQIU_VERSION
#define SUQIU_VERSION "0.0.0"
#endif

int main(int argc, char** argv) {
  using namespace suqiu::cli;
  spdlog::set_level(spdlog::level::warn);
  CLI::App app{"suqiu — 诉求 complaint and hotline intake: admin tool", "suqiu"};
  app.set_version_flag("--version", std::string("suqiu ") + SUQIU_VERSION);
  app.require_subcommand(1);
  Context ctx;
  int exit_code = 0;
  add_ingest_command(app, ctx, exit_code);
  add_classify_command(app, ctx, exit_code);
  add_case_commands(app, ctx, exit_code);
  add_stats_command(app, ctx, exit_code);
  add_audit_command(app, ctx, exit_code);
  add_user_command(app, ctx, exit_code);
  add_keys_command(app, ctx, exit_code);
  add_export_command(app, ctx, exit_code);
  add_review_commands(app, ctx, exit_code);
  add_plugins_command(app, ctx, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints the message (or the help); its own codes (105, 106, ...)
    // become the CLI's one usage code.
    return app.exit(e) == 0 ? 0 : kExitUsage;
  } catch (const suqiu::store::StoreError& e) {
    std::cerr << "suqiu: " << e.what() << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "suqiu: " << e.what() << "\n";
    return kExitUsage;
  }
  return exit_code;
}
