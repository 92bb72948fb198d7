// Runs a command line through the shell, as an administrator would type it,
// with `stdin_text` on its standard input: its exit status, standard output
// and standard error. Shared by the tests that drive the `suqiu` executable.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace suqiu::testing {

struct CommandRun {
  int status = -1;  // the exit status, -1 when a signal ended it
  std::string out, err;
};

// `scratch` holds the files for stdin and stderr (overwritten by each run).
inline CommandRun run_command(const std::string& command_line, const std::string& stdin_text,
                              const std::filesystem::path& scratch) {
  const auto in = scratch / "command.in", err = scratch / "command.err";
  std::ofstream(in) << stdin_text;
  CommandRun r;
  FILE* p = popen((command_line + " <" + in.string() + " 2>" + err.string()).c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int raw = pclose(p);
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  std::ifstream e(err);
  r.err.assign(std::istreambuf_iterator<char>(e), {});
  return r;
}

}  // namespace suqiu::testing
