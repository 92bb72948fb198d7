// suqiu user add NAME --role ROLE [--section CODE], password on stdin, kept
// as an argon2id hash (libsodium's crypto_pwhash_str).
#include <sodium.h>

#include <iostream>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "core/taxonomy.h"
#include "local_hub.h"
#include "store/passwords.h"

namespace suqiu::cli {

using nlohmann::json;

namespace {

// The new password, from the first line of stdin, long enough.
std::string password_from_stdin() {
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.size() < store::kMinPasswordLength)
    throw CLI::ValidationError("password", "must be at least 8 characters (read from stdin)");
  return password;
}

// user list / passwd / disable / enable: the administrator's side of the users.
void add_user_admin_commands(CLI::App& user, Context& ctx) {
  auto* list = user.add_subcommand("list", "Users, their roles and sections, and who is disabled");
  add_common_options(*list, ctx);
  list->callback([&ctx] {
    LocalHub hub(ctx.require_data(), ctx.config);
    json out = json::array();
    for (const auto& u : hub.store().users())
      out.push_back({{"name", u.name}, {"role", u.role}, {"section", u.section ? json(*u.section) : json(nullptr)},
                     {"disabled", u.disabled}});
    if (ctx.json) {
      std::cout << out.dump() << "\n";
      return;
    }
    const Words& w = ctx.words;
    for (const auto& u : out)
      std::cout << u["name"].get<std::string>() << "\t" << u["role"].get<std::string>() << "\t"
                << (u["section"].is_null() ? "" : w.section(u["section"].get<std::string>()))
                << (u["disabled"].get<bool>() ? std::string("\t") + std::string(w("（已停用）", "(disabled)")) : "")
                << "\n";
  });

  static std::string name;
  auto* passwd = user.add_subcommand("passwd", "Set a user's password; the new one is read from stdin");
  passwd->add_option("NAME", name, "Login name")->required();
  add_common_options(*passwd, ctx, false);
  passwd->callback([&ctx] {
    std::string password = password_from_stdin();
    const std::string hash = store::hash_password(password);
    sodium_memzero(password.data(), password.size());
    LocalHub hub(ctx.require_data(), ctx.config);
    hub.store().set_password(name, hash);
    std::cout << ctx.words("已修改密码：", "password set for ") << name << "\n";
  });
  for (bool disable : {true, false}) {
    auto* cmd = user.add_subcommand(disable ? "disable" : "enable",
                                    disable ? "Stop a user signing in; their open sessions end at once"
                                            : "Let a disabled user sign in again");
    cmd->add_option("NAME", name, "Login name")->required();
    add_common_options(*cmd, ctx, false);
    cmd->callback([&ctx, disable] {
      LocalHub hub(ctx.require_data(), ctx.config);
      hub.store().set_disabled(name, disable);
      std::cout << (disable ? ctx.words("已停用：", "disabled ") : ctx.words("已启用：", "enabled ")) << name << "\n";
    });
  }
}

}  // namespace

void add_user_command(CLI::App& app, Context& ctx, int& exit_code) {
  auto* user = app.add_subcommand("user", "Users of the console and the api");
  user->require_subcommand(1);
  auto* add = user->add_subcommand("add", "Add a user; the password is read from stdin");
  add_user_admin_commands(*user, ctx);
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
    std::string password = password_from_stdin();
    const std::string hash = store::hash_password(password);
    sodium_memzero(password.data(), password.size());
    LocalHub hub(ctx.require_data(), ctx.config);
    hub.store().add_user({name, role, section, hash, false});
    std::cout << ctx.words("已添加用户 ", "added user ") << name << "\n";
  });
}

}  // namespace suqiu::cli
