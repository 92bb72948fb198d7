// bench_sim [--rate R] [--seconds S] [--hub EXE] [--sim EXE] [--keep]: the
// simulator's live mode against a real hub, as `make run` or a load test
// would use it. Starts its own suqiu-hub PROCESS on loopback ephemeral ports
// and a temporary data folder, runs `suqiu-feed-sim --hub … --rate R
// --seconds S --json` against it (realistic records, one submit every 1/R s
// through the plugin SDK), and prints the rate achieved, the ack latency
// (submit to ACK, p50/p99/max, as the simulator measured it), and what the
// hub spent meanwhile (CPU per intake, peak RSS). Defaults: 500/s for 60 s.
// The last line is JSON; docs/feeds/sim.md quotes the figures.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <random>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "hub_process.h"
#include "run_command.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// CPU time (user + system) of a whole process, in seconds.
double process_cpu(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return 0;
  std::istringstream rest(line.substr(line.rfind(')') + 2));
  std::string field;
  std::vector<std::string> f;
  while (rest >> field) f.push_back(field);
  if (f.size() < 13) return 0;
  return (std::stod(f[11]) + std::stod(f[12])) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace

int main(int argc, char** argv) {
  double rate = 500, seconds = 60;
  std::string hub_exe = SUQIU_HUB_EXE, sim_exe = SUQIU_SIM_EXE;
  bool keep = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--keep") keep = true;
    else if (a == "--rate" && i + 1 < argc) rate = std::stod(argv[++i]);
    else if (a == "--seconds" && i + 1 < argc) seconds = std::stod(argv[++i]);
    else if (a == "--hub" && i + 1 < argc) hub_exe = argv[++i];
    else if (a == "--sim" && i + 1 < argc) sim_exe = argv[++i];
    else {
      std::cerr << "usage: bench_sim [--rate R] [--seconds S] [--hub EXE] [--sim EXE] [--keep]\n";
      return 2;
    }
  }
  std::cout << std::unitbuf << std::fixed;
  const fs::path dir = fs::temp_directory_path() / ("suqiu-bench-sim-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);

  suqiu::testing::HubProcess hub(hub_exe, dir / "hub");
  if (!hub.wait_ready(std::chrono::seconds(60))) {
    std::cerr << "suqiu-hub did not get ready:\n" << hub.output();
    return 1;
  }
  std::cout << "hub                   pid " << hub.pid() << " ingest " << hub.ingest() << "\n";

  const double hub_cpu_before = process_cpu(hub.pid());
  const auto start = Clock::now();
  const auto run = suqiu::testing::run_command(
      sim_exe + " --hub " + hub.ingest() + " --rate " + std::to_string(rate) + " --seconds " + std::to_string(seconds) +
          " --json --log-level warn --outbox '" + (dir / "outbox.db").string() + "'",
      "", dir);
  const double wall = std::chrono::duration<double>(Clock::now() - start).count();
  const double hub_cpu = process_cpu(hub.pid()) - hub_cpu_before;
  const auto report = nlohmann::json::parse(run.out, nullptr, false);
  if (!report.is_object()) {
    std::cerr << "suqiu-feed-sim (exit " << run.status << ") said:\n" << run.out << run.err;
    return 1;
  }
  const double sent = report["sent"].get<double>();
  const double rss_mb = hub.peak_rss_kb() / 1024.0;  // before the hub is gone
  std::cout << std::setprecision(1) << "offered               " << rate << "/s for " << seconds << " s\n"
            << "achieved              " << report["rate"].get<double>() << "/s (" << report["sent"] << " sent in "
            << report["seconds"].get<double>() << " s; " << wall << " s with the last acks)\n"
            << "acked                 " << report["accepted"] << " accepted, " << report["duplicates"]
            << " duplicates, " << report["rejected"] << " rejected, " << report["pending"] << " not acked, "
            << report["resent"] << " resent\n"
            << std::setprecision(2) << "ack latency           p50 " << report["ack_p50_ms"].get<double>() << " ms, p99 "
            << report["ack_p99_ms"].get<double>() << " ms, max " << report["ack_max_ms"].get<double>() << " ms\n"
            << std::setprecision(0) << "hub                   " << (sent > 0 ? hub_cpu / sent * 1e6 : 0)
            << " us CPU per intake, " << std::setprecision(2) << hub_cpu / wall << " CPUs, peak RSS "
            << std::setprecision(1) << rss_mb << " MB\n";
  const auto status = hub.stop(std::chrono::seconds(30));
  if (status != 0) std::cerr << "suqiu-hub ended with " << (status ? std::to_string(*status) : "timeout") << "\n";
  if (keep) std::cout << "kept                  " << dir.string() << "\n";
  else fs::remove_all(dir);
  std::cout << nlohmann::ordered_json{{"offered_per_s", rate},
                                      {"achieved_per_s", report["rate"]},
                                      {"sent", report["sent"]},
                                      {"accepted", report["accepted"]},
                                      {"pending", report["pending"]},
                                      {"ack_p50_ms", report["ack_p50_ms"]},
                                      {"ack_p99_ms", report["ack_p99_ms"]},
                                      {"hub_cpu_us_per_intake", sent > 0 ? static_cast<long>(hub_cpu / sent * 1e6) : 0},
                                      {"hub_peak_rss_mb", static_cast<long>(rss_mb + 0.5)}}
                   .dump()
            << std::endl;
  return report["pending"] == 0 && report["rejected"] == 0 ? 0 : 1;
}
