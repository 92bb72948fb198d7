// suqiu ingest FILE: every intake record of a JSON Lines file through the
// pipeline (--data, in-process) or through a hub (--hub, with the plugin SDK
// and its outbox), then {"accepted":N,"duplicates":N,"rejected":N}.
#include <zmq.hpp>

#include <fstream>
#include <iostream>
#include <map>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "local_hub.h"
#include "sdk/feed_client.h"

namespace suqiu::cli {
namespace {

struct Tally {
  std::int64_t accepted = 0, duplicates = 0, rejected = 0;
};

void report_rejection(const Words& w, const std::string& origin, std::int64_t line,
                      const std::string& code, const std::string& field, const std::string& reason) {
  std::cerr << origin << ":" << line << ": " << w("拒收", "rejected") << " " << code;
  if (!field.empty()) std::cerr << " [" << field << "]";
  std::cerr << ": " << reason << "\n";
}

// Reads the file a line at a time and hands each non-blank line on.
template <class Sink>
void for_each_line(const std::string& file, Sink sink) {
  std::ifstream in;
  std::istream* stream = &std::cin;
  if (file != "-") {
    in.open(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + file);
    stream = &in;
  }
  std::string line;
  std::int64_t number = 0;
  while (std::getline(*stream, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    sink(number, std::move(line));
  }
}

Tally ingest_local(Context& ctx, const std::string& file) {
  LocalHub hub(ctx.require_data(), ctx.config);
  Tally t;
  const std::string origin = file == "-" ? "stdin" : std::filesystem::path(file).filename().string();
  std::vector<RawIntake> batch;
  auto flush = [&] {
    if (batch.empty()) return;
    auto results = hub.pipeline().submit(batch);
    for (std::size_t i = 0; i < results.size(); ++i) {
      const auto& r = results[i];
      switch (r.kind) {
        case IntakeResult::Kind::accepted: ++t.accepted; break;
        case IntakeResult::Kind::duplicate: ++t.duplicates; break;
        case IntakeResult::Kind::rejected:
          ++t.rejected;
          report_rejection(ctx.words, origin, *batch[i].line, r.error.code, r.error.field,
                           r.error.message);
          break;
      }
    }
    batch.clear();
  };
  for_each_line(file, [&](std::int64_t number, std::string line) {
    batch.push_back({std::move(line), origin, number, "suqiu-cli"});
    if (batch.size() >= 512) flush();
  });
  flush();
  return t;
}

Tally ingest_through_hub(Context& ctx, const std::string& file) {
  zmq::context_t zmq_ctx;
  sdk::FeedOptions options;
  options.endpoint = *ctx.hub;
  options.plugin = "suqiu-cli";
  options.version = SUQIU_VERSION;
  // A private outbox for this run; it is removed once everything is acked.
  char tmpl[] = "/tmp/suqiu-ingest-XXXXXX";
  int fd = mkstemp(tmpl);
  if (fd < 0) throw std::runtime_error("cannot create a temporary outbox");
  close(fd);
  std::filesystem::remove(tmpl);
  options.outbox = tmpl;
  if (ctx.client_keys) options.client_keys = protocol::load_key_file(*ctx.client_keys);
  if (ctx.server_key) options.server_public_key = *ctx.server_key;

  Tally t;
  std::map<std::string, std::int64_t> line_of;  // cid -> line number
  const std::string origin = file == "-" ? "stdin" : std::filesystem::path(file).filename().string();
  {
    sdk::FeedClient client(zmq_ctx, options);
    client.on_outcome([&](const sdk::IntakeOutcome& o) {
      switch (o.kind) {
        case sdk::IntakeOutcome::Kind::accepted: ++t.accepted; break;
        case sdk::IntakeOutcome::Kind::duplicate: ++t.duplicates; break;
        case sdk::IntakeOutcome::Kind::rejected:
          ++t.rejected;
          report_rejection(ctx.words, origin, line_of[o.cid], o.code, o.field, o.reason);
          break;
      }
    });
    for_each_line(file, [&](std::int64_t number, std::string line) {
      line_of[client.submit(line)] = number;
      client.poll(std::chrono::milliseconds(0));
    });
    if (!client.flush(std::chrono::minutes(10)))
      throw std::runtime_error("the hub at " + *ctx.hub + " did not acknowledge every intake; " +
                               std::to_string(client.pending()) + " are kept in " + tmpl);
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(std::string(tmpl) + suffix);
  return t;
}

}  // namespace

void add_ingest_command(CLI::App& app, Context& ctx, int& exit_code) {
  auto* cmd = app.add_subcommand("ingest", "Take in every intake record of a JSON Lines file");
  static std::string file;
  cmd->add_option("FILE", file, "JSON Lines file of intake records, - for stdin")->required();
  add_common_options(*cmd, ctx);
  cmd->callback([&ctx, &exit_code] {
    Tally t = ctx.hub ? ingest_through_hub(ctx, file) : ingest_local(ctx, file);
    if (ctx.json) {
      std::cout << nlohmann::json{{"accepted", t.accepted},
                                  {"duplicates", t.duplicates},
                                  {"rejected", t.rejected}}
                       .dump()
                << "\n";
    } else {
      const Words& w = ctx.words;
      std::cout << w("受理", "accepted") << " " << t.accepted << "  " << w("重复", "duplicates")
                << " " << t.duplicates << "  " << w("拒收", "rejected") << " " << t.rejected << "\n";
    }
    if (t.rejected > 0) exit_code = kExitFailed;
  });
}

}  // namespace suqiu::cli
