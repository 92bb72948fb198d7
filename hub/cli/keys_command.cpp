// suqiu keys gen FILE: a CURVE key pair for a hub, a plugin or a console,
// written with mode 0600; the public key is printed for the hub's allow-list.
#include <iostream>

#include "commands.h"
#include "protocol/curve_keys.h"

namespace suqiu::cli {

void add_keys_command(CLI::App& app, Context& ctx, int& exit_code) {
  auto* keys = app.add_subcommand("keys", "CURVE keys for connections off loopback");
  keys->require_subcommand(1);
  auto* gen = keys->add_subcommand("gen", "Write a new key pair to FILE (mode 0600)");
  static std::string file;
  static bool force = false;
  gen->add_option("FILE", file, "Key file to write")->required();
  gen->add_flag("--force", force, "Overwrite an existing file");
  gen->callback([&ctx, &exit_code] {
    if (std::filesystem::exists(file) && !force) {
      std::cerr << "suqiu: " << file << ctx.words(" 已存在（用 --force 覆盖）", " exists (use --force to overwrite)")
                << "\n";
      exit_code = kExitFailed;
      return;
    }
    auto pair = protocol::generate_curve_keypair();
    protocol::save_key_file(file, pair, true);
    std::cout << pair.public_key << "\n";
  });
}

}  // namespace suqiu::cli
