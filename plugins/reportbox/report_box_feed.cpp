#include "reportbox/report_box_feed.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <system_error>

#include <spdlog/spdlog.h>

#include "core/timestamp.h"
#include "reportbox/letter_parser.h"

namespace suqiu::reportbox {

namespace fs = std::filesystem;

namespace {

// Reads the whole file; nullopt (with the reason) when it cannot.
std::optional<std::string> read_file(const fs::path& file, std::string& why) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    why = "cannot open it";
    return std::nullopt;
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    why = "read error";
    return std::nullopt;
  }
  return bytes;
}

std::string why_header(const std::string& name) {
  return "# suqiu-feed-reportbox: " + name + ", " + Timestamp::now().to_string() + "\n";
}

}  // namespace

bool append_text(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::app);
  out << text;
  out.flush();
  return static_cast<bool>(out);
}

ReportBoxFeed::ReportBoxFeed(sdk::FeedClient& client, fs::path dir, bool settle)
    : client_(client), dir_(std::move(dir)), settle_(settle) {
  client_.on_outcome([this](const sdk::IntakeOutcome& o) { on_outcome(o); });
}

void ReportBoxFeed::prepare() {
  fs::create_directories(dir_);
  fs::create_directories(dir_ / "done");
  fs::create_directories(dir_ / "rejected");
}

void ReportBoxFeed::on_outcome(const sdk::IntakeOutcome& o) {
  auto it = origins_.find(o.cid);
  const std::string where =
      it == origins_.end() ? "intake " + o.cid + " (from an earlier run)"
                           : it->second.file->name + ":" + std::to_string(it->second.line);
  switch (o.kind) {
    case sdk::IntakeOutcome::Kind::accepted: ++tally_.accepted; break;
    case sdk::IntakeOutcome::Kind::duplicate:
      ++tally_.duplicates;
      spdlog::debug("{}: already case {} (duplicate)", where, o.case_number);
      break;
    case sdk::IntakeOutcome::Kind::rejected: {
      ++tally_.rejected;
      spdlog::warn("{}: rejected by the hub: {}{}: {}", where, o.code,
                   o.field.empty() ? "" : " [" + o.field + "]", o.reason);
      if (it == origins_.end()) break;
      std::string note = "line " + std::to_string(it->second.line) + ": " + o.code +
                         (o.field.empty() ? "" : " [" + o.field + "]") + ": " + o.reason +
                         " (refused by the hub)\n";
      auto& file = *it->second.file;
      if (file.why.empty()) {
        file.early.push_back(std::move(note));
      } else if (!append_text(file.why, note)) {
        spdlog::error("{}: cannot write {}", where, file.why.string());
      }
      break;
    }
  }
  if (it != origins_.end()) origins_.erase(it);
}

int ReportBoxFeed::scan() {
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::directory_iterator d(dir_, ec), end; !ec && d != end; d.increment(ec)) {
    const auto name = d->path().filename().string();
    if (!file_kind(name) || stuck_.contains(name)) continue;
    std::error_code type_ec;
    if (!d->is_regular_file(type_ec)) continue;
    files.push_back(d->path());
  }
  if (ec) {
    spdlog::error("cannot read the folder {}: {}", dir_.string(), ec.message());
    return 0;
  }
  std::sort(files.begin(), files.end());

  std::map<std::string, Seen> now_seen;
  int moved = 0;
  for (const auto& file : files) {
    const auto name = file.filename().string();
    if (settle_) {
      std::error_code e1, e2;
      Seen s{fs::file_size(file, e1), fs::last_write_time(file, e2)};
      if (e1 || e2) continue;
      auto before = seen_.find(name);
      const bool steady = before != seen_.end() && before->second.size == s.size &&
                          before->second.mtime == s.mtime;
      if (!steady) {
        now_seen[name] = s;  // look again at the next scan
        continue;
      }
    }
    process(file);
    ++moved;
  }
  seen_ = std::move(now_seen);
  return moved;
}

void ReportBoxFeed::process(const fs::path& file) {
  const auto name = file.filename().string();
  const auto kind = *file_kind(name);

  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  ParsedFile parsed;
  if (!ec && size > kMaxFileBytes) {
    parsed.errors.push_back({0, "E_TOO_LARGE", "",
                             "the file is larger than " + std::to_string(kMaxFileBytes) + " bytes"});
  } else {
    std::string why;
    auto bytes = read_file(file, why);
    if (!bytes) {
      // Perhaps still being written or a permissions problem: try again later.
      spdlog::error("{}: {}; will try again", name, why);
      return;
    }
    parsed = parse_drop_file(kind, *bytes);
  }

  std::string local;
  for (const auto& e : parsed.errors) local += e.to_string() + "\n";

  if (parsed.unusable()) {
    const auto target = move_to(file, dir_ / "rejected");
    if (target.empty()) return;
    if (!append_text(fs::path(target.string() + ".why"), why_header(name) + local))
      spdlog::error("{}: cannot write {}.why", name, target.string());
    ++tally_.files;
    ++tally_.rejected_files;
    tally_.rejected += parsed.errors.size();
    spdlog::warn("{}: rejected, nothing usable ({}) -> rejected/{}", name,
                 parsed.errors.empty() ? std::string("?") : parsed.errors.front().to_string(),
                 target.filename().string());
    return;
  }

  auto drop = std::make_shared<DropFile>();
  drop->name = name;
  for (const auto& r : parsed.records) origins_[client_.submit(r.json)] = {drop, r.line};
  client_.sync();  // every record of the file is durable before the file moves

  const auto target = move_to(file, dir_ / "done");
  if (target.empty()) return;
  drop->why = fs::path(target.string() + ".why");
  if (!local.empty() || !drop->early.empty()) {
    std::string text = why_header(name) + local;
    for (auto& note : drop->early) text += note;
    drop->early.clear();
    if (!append_text(drop->why, text)) spdlog::error("{}: cannot write {}", name, drop->why.string());
  }
  ++tally_.files;
  tally_.rejected += parsed.errors.size();
  if (parsed.errors.empty()) {
    spdlog::info("{}: {} record(s) queued for the hub -> done/{}", name, parsed.records.size(),
                 target.filename().string());
  } else {
    spdlog::warn("{}: {} record(s) queued, {} line(s) rejected (first: {}) -> done/{}", name,
                 parsed.records.size(), parsed.errors.size(), parsed.errors.front().to_string(),
                 target.filename().string());
  }
}

fs::path ReportBoxFeed::move_to(const fs::path& file, const fs::path& folder) {
  const auto stem = file.stem().string();
  const auto ext = file.extension().string();
  fs::path target = folder / file.filename();
  std::error_code ec;
  for (int n = 1; fs::exists(target, ec) || fs::exists(fs::path(target.string() + ".why"), ec); ++n)
    target = folder / (stem + "-" + std::to_string(n) + ext);
  fs::rename(file, target, ec);
  if (ec) {
    // Left where it is and never taken again in this run, so its records are
    // not submitted twice; the operator moves it by hand.
    spdlog::error("{}: cannot move it to {}: {}", file.filename().string(), folder.string(),
                  ec.message());
    stuck_.insert(file.filename().string());
    return {};
  }
  return target;
}

}  // namespace suqiu::reportbox
