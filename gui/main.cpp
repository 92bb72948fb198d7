// suqiu-console: the desktop console. With --hub it signs in to that hub's
// api; with --data (or nothing) it runs a hub in-process on that folder
// (single-office mode, endpoints on loopback ports of its own) and signs in to
// it the same way: the endpoint is the only difference.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <wx/app.h>
#include <wx/msgdlg.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "model/console_session.h"
#include "protocol/curve_keys.h"
#include "server/hub.h"
#include "server/writer.h"
#include "store/passwords.h"
#include "store/store.h"
#include "views/first_user_dialog.h"
#include "views/login_dialog.h"
#include "views/main_frame.h"
#include "views/post_to_ui.h"
#include "views/ui_text.h"

namespace {

// SIGTERM or SIGINT (a session ending, Ctrl-C): leave the main loop, so that
// OnExit signs out and stops an in-process hub cleanly. wx calls this on the
// GUI thread, not in the signal's context.
void on_stop_signal(int) {
  if (wxTheApp) wxTheApp->ExitMainLoop();
}

// Single-office mode with no --data: the user's own data folder
// ($XDG_DATA_HOME/suqiu, else ~/.local/share/suqiu), as a desktop launch has
// no meaningful working directory.
std::filesystem::path default_data_dir() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) return std::filesystem::path(xdg) / "suqiu";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::filesystem::path(home) / ".local" / "share" / "suqiu";
  return "data";
}

struct Options {
  std::optional<std::string> hub, events, data, config, user, client_keys, server_key;
};

class ConsoleApp : public wxApp {
 public:
  explicit ConsoleApp(Options options) : options_(std::move(options)) {}

  bool OnInit() override {
    using namespace suqiu;
    SetSignalHandler(SIGTERM, on_stop_signal);
    SetSignalHandler(SIGINT, on_stop_signal);
    try {
      console::HubAddress address;
      if (options_.hub) {
        address.api = *options_.hub;
        address.events = options_.events ? *options_.events : console::events_endpoint_for(*options_.hub);
        if (options_.client_keys) address.api_options.client_keys = protocol::load_key_file(*options_.client_keys);
        if (options_.server_key) address.api_options.server_public_key = *options_.server_key;
      } else {
        auto config = server::load_hub_config(options_.config);
        config.data_dir = options_.data ? std::filesystem::path(*options_.data) : default_data_dir();
        // In-process: nobody else needs to reach these, so loopback, any free port.
        config.ingest = config.api = config.events = "tcp://127.0.0.1:*";
        hub_ = std::make_unique<server::Hub>(config);
        hub_->start();
        address.api = hub_->api_endpoint();
        address.events = hub_->events_endpoint();
        if (!first_user()) return false;
      }
      session_ = std::make_unique<console::ConsoleSession>(address, console::post_to_window_thread());
    } catch (const std::exception& e) {
      wxMessageBox(console::ui(e.what()), "suqiu-console", wxOK | wxICON_ERROR);
      return false;
    }

    const char* password = std::getenv("SUQIU_PASSWORD");
    if (options_.user && password) {
      // Unattended start (a kiosk, a test): no dialog unless the login is refused.
      session_->login(*options_.user, password, alive_.guard([this](std::optional<std::string> refused) {
        if (!refused) return open_console();
        std::cerr << "suqiu-console: " << *refused << "\n";
        if (!ask_to_sign_in()) ExitMainLoop();
      }));
      return true;
    }
    return ask_to_sign_in();
  }

  // The sign-in dialog, then the console; false when cancelled.
  bool ask_to_sign_in() {
    suqiu::console::LoginDialog login(nullptr, *session_, suqiu::console::ui(options_.user.value_or("")));
    if (login.ShowModal() != wxID_OK) return false;
    open_console();
    return true;
  }

  void open_console() {
    auto* frame = new suqiu::console::MainFrame(*session_);
    frame->Show();
  }

  // A folder without users: make the first one here. False when cancelled.
  bool first_user() {
    using namespace suqiu;
    std::int64_t users = 0;
    hub_->writer().run([&](store::Store& s) { users = s.user_count(); });
    if (users > 0) return true;
    console::FirstUserDialog dialog(
        nullptr, [this](const std::string& name, const std::string& role,
                        const std::string& password) -> std::optional<std::string> {
          try {
            const std::string hash = store::hash_password(password);
            hub_->writer().run([&](store::Store& s) { s.add_user({name, role, std::nullopt, hash, false}); });
          } catch (const std::exception& e) {
            return std::string(e.what());
          }
          return std::nullopt;
        });
    if (dialog.ShowModal() != wxID_OK) return false;
    options_.user = dialog.name();
    return true;
  }

  int OnExit() override {
    session_.reset();  // logs out while the hub is still there
    if (hub_) hub_->stop();
    return wxApp::OnExit();
  }

 private:
  Options options_;
  std::unique_ptr<suqiu::server::Hub> hub_;
  std::unique_ptr<suqiu::console::ConsoleSession> session_;
  suqiu::console::Lifetime alive_;  // declared last, gone first
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"suqiu-console — the Suqiu (诉求) desktop console", "suqiu-console"};
  app.set_version_flag("--version", std::string("suqiu-console ") + SUQIU_VERSION);
  Options o;
  auto* hub = app.add_option("--hub", o.hub, "The hub's api endpoint, e.g. tcp://10.0.0.5:7451")
                  ->envname("SUQIU_HUB");
  app.add_option("--events", o.events, "The hub's events endpoint (default: the api port + 1)")->needs(hub);
  app.add_option("--data", o.data, "Single-office mode: run a hub in-process on this data folder (default ~/.local/share/suqiu)")
      ->excludes(hub);
  app.add_option("--config", o.config, "The hub's TOML configuration, in single-office mode")
      ->check(CLI::ExistingFile)->excludes(hub);
  app.add_option("--user", o.user, "Sign in as this user (with SUQIU_PASSWORD set: without the dialog)");
  app.add_option("--client-keys", o.client_keys, "CURVE key pair file (for a hub off loopback)");
  app.add_option("--server-key", o.server_key, "The hub's CURVE public key (z85)");
  CLI11_PARSE(app, argc, argv);
  spdlog::set_level(spdlog::level::warn);

  wxApp::SetInstance(new ConsoleApp(o));
  int wx_argc = 1;
  return wxEntry(wx_argc, argv);
}
