// stream_feed: a test plugin that streams COUNT generated intakes through the
// plugin SDK and can be killed at any moment and started again. It writes the
// index of the next record to submit to PROGRESS only after the records before
// it are durably in the outbox, so a restart neither skips nor needs to guess.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "sdk/feed_client.h"

namespace {

std::string record(const std::string& prefix, long i) {
  return R"({"source":"12345","external_id":")" + prefix + std::to_string(i) +
         R"(","received_at":"2026-11-26T09:15:00+08:00","subject":"出租车拒载","content":"来电人反映在开发区大道乘坐出租车时司机拒载，要求核实处理。编号)" +
         std::to_string(i) + R"("})";
}

long read_progress(const std::filesystem::path& file) {
  std::ifstream in(file);
  long n = 0;
  in >> n;
  return n;
}

void write_progress(const std::filesystem::path& file, long n) {
  auto tmp = file.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << n << "\n";
  }
  std::filesystem::rename(tmp, file);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"stream_feed: a killable test plugin"};
  std::string hub, outbox, progress, prefix = "CRASH-";
  long count = 50000;
  app.add_option("--hub", hub)->required();
  app.add_option("--outbox", outbox)->required();
  app.add_option("--progress", progress)->required();
  app.add_option("--count", count);
  app.add_option("--prefix", prefix);
  CLI11_PARSE(app, argc, argv);
  spdlog::set_level(spdlog::level::warn);

  zmq::context_t ctx;
  suqiu::sdk::FeedOptions options;
  options.endpoint = hub;
  options.plugin = "stream-feed";
  options.sources = {"12345"};
  options.outbox = outbox;
  options.ack_timeout = std::chrono::milliseconds(3000);
  options.reconnect_min = std::chrono::milliseconds(200);
  options.reconnect_max = std::chrono::milliseconds(1000);
  suqiu::sdk::FeedClient client(ctx, options);
  long next = read_progress(progress);
  while (next < count) {
    long end = std::min(count, next + 500);
    for (long i = next; i < end; ++i) client.submit(record(prefix, i));
    client.sync();
    write_progress(progress, end);
    next = end;
    client.poll(std::chrono::milliseconds(0));
  }
  bool done = client.flush(std::chrono::minutes(5));
  const auto& c = client.counters();
  std::cout << "{\"accepted\":" << c.accepted << ",\"duplicates\":" << c.duplicates
            << ",\"rejected\":" << c.rejected << ",\"resent\":" << c.resent << "}" << std::endl;
  return done && c.rejected == 0 ? 0 : 1;
}
