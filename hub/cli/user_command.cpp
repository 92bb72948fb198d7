// suqiu user add NAME --role ROLE [--section CODE], password on stdin, kept
// as an argon2id hash (libsodium's crypto_pwhash_str).
#include <sodium.h>

#include <iostream>

#include "commands.h"
#include "core/taxonomy.h"
#include "local_hub.h"
#include "store/passwords.h"

namespace suqiu::cli {

void add_user_command(CLI::App& app, Context& ctx, int& exit_code) {
  auto* user = app.add_subcommand("user", "Users of the console and the api");
  user->require_subcommand(1);
  auto* add = user->add_subcommand("add", "Add a user; the password is read from stdin");
  static std::string name, role;
  static std::optional<std::string> section;
  add->add_option("NAME", name, "Login name")->required();
  add->add_option("--role", role, "operator, liaison, leader or admin")->required();
  add->add_option("--section", section, "The liaison's section (urban, transport, ...)");
  add_common_options(*add, ctx, false);
  add->callback([&ctx, &exit_code] {
    (void)exit_code;
    auto r = parse_role(role);
    if (!r) throw CLI::ValidationError("--role", "must be operator, liaison, leader or admin, not " + role);
    if (*r == Role::liaison && !section)
      throw CLI::ValidationError("--section", "a liaison needs the section they work for");
    if (section && !Taxonomy::builtin().section(*section))
      throw CLI::ValidationError("--section", "unknown section " + *section);
    if (name.empty() || name.size() > 64)
      throw CLI::ValidationError("NAME", "must be 1 to 64 characters");
    std::string password;
    std::getline(std::cin, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
    if (password.size() < store::kMinPasswordLength)
      throw CLI::ValidationError("password", "must be at least 8 characters (read from stdin)");
    const std::string hash = store::hash_password(password);
    sodium_memzero(password.data(), password.size());
    LocalHub hub(ctx.require_data(), ctx.config);
    hub.store().add_user({name, role, section, hash, false});
    std::cout << ctx.words("已添加用户 ", "added user ") << name << "\n";
  });
}

}  // namespace suqiu::cli
