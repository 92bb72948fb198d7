#include "file/file_spool_feed.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

#include <spdlog/spdlog.h>

#include "core/timestamp.h"
#include "file/reason_file.h"

namespace suqiu::filefeed {

namespace fs = std::filesystem;

namespace {

FileStamp stamp_of(const struct stat& st) {
  return {static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino),
          static_cast<std::uint64_t>(st.st_size),
          static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

std::optional<FileStamp> stat_file(const fs::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return stamp_of(st);
}

std::int64_t realtime_ns() {
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

// A file read whole, with the stamp it had while it was read.
struct ReadFile {
  std::string bytes;
  FileStamp stamp;
};

// nullopt with `why` when it cannot be read, or with `changing` when it
// changed while it was read (a writer still at it).
std::optional<ReadFile> read_whole(const fs::path& file, std::string& why, bool& changing) {
  changing = false;
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    why = std::strerror(errno);
    return std::nullopt;
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat before {};
  if (::fstat(fd, &before) != 0) {
    why = std::strerror(errno);
    return std::nullopt;
  }
  ReadFile out{{}, stamp_of(before)};
  if (out.stamp.size > kMaxSpoolFileBytes) return out;  // refused unread by the caller
  out.bytes.resize(out.stamp.size);
  std::size_t got = 0;
  while (got < out.bytes.size()) {
    const auto n = ::read(fd, out.bytes.data() + got, out.bytes.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      why = std::strerror(errno);
      return std::nullopt;
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  struct stat after {};
  char extra = 0;
  if (::fstat(fd, &after) != 0 || got != out.bytes.size() || !(stamp_of(after) == out.stamp) ||
      ::read(fd, &extra, 1) > 0) {
    why = "it changed while it was read";
    changing = true;
    return std::nullopt;
  }
  return out;
}

// Writes `text` to `file` through a hidden temporary beside it, synced, then
// renamed: a crash leaves either the whole file or none.
bool write_whole(const fs::path& file, const std::string& text, std::string& why) {
  const fs::path temp = file.parent_path() / ("." + file.filename().string() + ".tmp");
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    why = std::strerror(errno);
    return false;
  }
  std::size_t done = 0;
  bool ok = true;
  while (ok && done < text.size()) {
    const auto n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) ok = false;
    else done += static_cast<std::size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  if (!ok) why = std::strerror(errno);
  ::close(fd);
  if (ok && ::rename(temp.c_str(), file.c_str()) != 0) {
    why = std::strerror(errno);
    ok = false;
  }
  if (!ok) ::unlink(temp.c_str());
  return ok;
}

std::string first_refusal(const std::vector<LineRefusal>& here, const std::vector<LineRefusal>& hub) {
  const LineRefusal* first = nullptr;
  for (const auto* list : {&here, &hub})
    for (const auto& r : *list)
      if (!first || r.line < first->line) first = &r;
  return first ? first->to_string() : std::string("?");
}

}  // namespace

FileSpoolFeed::FileSpoolFeed(sdk::FeedClient& client, fs::path dir, std::chrono::milliseconds settle,
                             bool once)
    : client_(client), dir_(std::move(dir)), settle_(settle), once_(once) {
  client_.on_outcome([this](const sdk::IntakeOutcome& o) { on_outcome(o); });
}

void FileSpoolFeed::prepare() {
  fs::create_directories(dir_);
  fs::create_directories(dir_ / "done");
  fs::create_directories(dir_ / "failed");
}

int FileSpoolFeed::scan() {
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::directory_iterator d(dir_, ec), end; !ec && d != end; d.increment(ec)) {
    const auto name = d->path().filename().string();
    if (!is_spool_name(name)) continue;
    if (once_ && first_scan_ && !first_scan_->contains(name)) continue;
    files.push_back(d->path());
  }
  if (ec) {
    spdlog::error("cannot read the folder {}: {}", dir_.string(), ec.message());
    return 0;
  }
  std::sort(files.begin(), files.end());  // names usually carry the date: oldest first

  std::set<std::string> present;
  for (const auto& f : files) present.insert(f.filename().string());
  if (once_ && !first_scan_) first_scan_ = present;
  settle_.keep_only(present);
  std::erase_if(unreadable_, [&](const std::string& name) { return !present.contains(name); });

  const auto now_ns = realtime_ns();
  const auto now = std::chrono::steady_clock::now();
  int taken = 0;
  std::size_t waiting = 0;
  for (const auto& file : files) {
    const auto name = file.filename().string();
    if (jobs_.contains(name) || stuck_.contains(name)) continue;
    const auto stamp = stat_file(file);
    if (!stamp) continue;  // gone since the listing, or not a regular file
    if (open_records_ >= kMaxOpenRecords || !settle_.settled(name, *stamp, now_ns, now)) {
      ++waiting;
      continue;
    }
    take(file, *stamp);
    if (jobs_.contains(name)) ++taken;
    else if (!stuck_.contains(name)) ++waiting;  // could not be read this time
  }
  waiting_ = waiting;
  finish_answered();
  return taken;
}

void FileSpoolFeed::take(const fs::path& file, const FileStamp& listed) {
  const auto name = file.filename().string();
  std::string why;
  bool changing = false;
  auto read = read_whole(file, why, changing);
  if (!read && changing) {
    settle_.forget(name);  // a writer still at it: let it settle again
    return;
  }
  if (!read) {
    // Permissions, most likely. --once must not wait for it; a watching feed
    // looks again at every scan, in case the operator fixes it.
    if (once_) {
      spdlog::error("{}: cannot read it ({}); left in {}", name, why, dir_.string());
      stuck_.insert(name);
    } else if (unreadable_.insert(name).second) {
      spdlog::error("{}: cannot read it ({}); will look again at every scan", name, why);
    }
    return;
  }
  unreadable_.erase(name);
  if (!(read->stamp == listed)) {
    settle_.forget(name);  // changed since it was listed: let it settle again
    return;
  }

  auto job = std::make_shared<SpoolJob>();
  job->name = name;
  job->stamp = read->stamp;
  jobs_[name] = job;

  SpoolParse parsed;
  if (read->stamp.size > kMaxSpoolFileBytes) {
    parsed.refusals.push_back({0, "E_TOO_LARGE", "",
                               "the file is larger than " + std::to_string(kMaxSpoolFileBytes) +
                                   " bytes; split it"});
  } else {
    parsed = parse_spool_file(read->bytes);
    read->bytes.clear();
    read->bytes.shrink_to_fit();
  }
  job->lines = parsed.lines;
  job->refused_here = std::move(parsed.refusals);
  for (const auto& record : parsed.records) submit(job, record);
  job->all_submitted = true;
  client_.sync();  // one commit for the file's records, not one per poll
  spdlog::debug("{}: {} record(s) sent, {} line(s) refused here", name, job->submitted,
                job->refused_here.size());
  if (job->answered == job->submitted) answered_.push_back(name);
}

void FileSpoolFeed::submit(const std::shared_ptr<SpoolJob>& job, const SpoolRecord& record) {
  ++job->submitted;
  in_submit_ = true;
  const auto cid = client_.submit(record.json);
  in_submit_ = false;
  auto early = std::move(unclaimed_);
  unclaimed_.clear();
  bool answered = false;
  for (const auto& o : early) {
    if (o.cid != cid) {
      earlier_run(o);
      continue;
    }
    answer(*job, o, record.line);  // refused inside submit()
    answered = true;
  }
  if (answered) return;
  ++open_records_;
  origins_[cid] = {job, record.line};
}

void FileSpoolFeed::on_outcome(const sdk::IntakeOutcome& o) {
  auto it = origins_.find(o.cid);
  if (it == origins_.end()) {
    if (in_submit_) unclaimed_.push_back(o);  // perhaps the record being submitted
    else earlier_run(o);
    return;
  }
  const Origin origin = std::move(it->second);
  origins_.erase(it);
  --open_records_;
  answer(*origin.job, o, origin.line);
}

// An intake of an earlier run, resent from the outbox; its file, if still in
// DIR, is taken again and its lines get answers of their own.
void FileSpoolFeed::earlier_run(const sdk::IntakeOutcome& o) {
  if (o.kind == sdk::IntakeOutcome::Kind::accepted) ++tally_.accepted;
  if (o.kind == sdk::IntakeOutcome::Kind::duplicate) ++tally_.duplicates;
  spdlog::debug("intake {} of an earlier run answered", o.cid);
}

void FileSpoolFeed::answer(SpoolJob& job, const sdk::IntakeOutcome& o, int line) {
  ++job.answered;
  switch (o.kind) {
    case sdk::IntakeOutcome::Kind::accepted:
      ++tally_.accepted;
      ++job.stored;
      break;
    case sdk::IntakeOutcome::Kind::duplicate:
      ++tally_.duplicates;
      ++job.stored;
      break;
    case sdk::IntakeOutcome::Kind::rejected:
      job.refused_by_hub.push_back({line, o.code, o.field, o.reason});
      spdlog::warn("{}:{}: refused by the hub: {}{}: {}", job.name, line, o.code,
                   o.field.empty() ? "" : " [" + o.field + "]", o.reason);
      break;
  }
  if (job.all_submitted && job.answered == job.submitted) answered_.push_back(job.name);
}

void FileSpoolFeed::finish_answered() {
  auto names = std::move(answered_);
  answered_.clear();
  for (const auto& name : names) {
    auto it = jobs_.find(name);
    if (it == jobs_.end()) continue;
    auto job = it->second;
    jobs_.erase(it);
    finish(job);
  }
}

void FileSpoolFeed::finish(const std::shared_ptr<SpoolJob>& job) {
  const auto now = stat_file(dir_ / job->name);
  if (!now) {
    spdlog::error("{}: gone from {} before it could be filed; its {} record(s) were answered",
                  job->name, dir_.string(), job->stored);
    return;
  }
  if (!(*now == job->stamp)) {
    // Rewritten while its lines were with the hub: what was sent is stored,
    // and the new content is taken as a new file (old lines come back duplicates).
    spdlog::warn("{}: changed while its lines were with the hub; taking it again", job->name);
    settle_.forget(job->name);
    ++waiting_;  // --once is not done until it is taken again
    return;
  }
  const bool failed = !job->refused_here.empty() || !job->refused_by_hub.empty();
  if (failed ? move_to_failed(*job) : move_to_done(*job)) return;
  // Left where it is and never taken again in this run, so that its lines are
  // not sent over and over; the operator moves it by hand.
  stuck_.insert(job->name);
}

fs::path FileSpoolFeed::free_target(const fs::path& folder, const std::string& name) const {
  const fs::path plain = folder / name;
  const auto stem = plain.stem().string();
  const auto ext = plain.extension().string();
  fs::path target = plain;
  std::error_code ec;
  // Only the data file decides: a reason file without its data file is left
  // by a crash between the two renames, and is overwritten.
  for (int n = 1; fs::exists(target, ec) || ec; ++n) target = folder / (stem + "-" + std::to_string(n) + ext);
  return target;
}

bool FileSpoolFeed::move(const SpoolJob& job, const fs::path& target) {
  std::error_code ec;
  fs::rename(dir_ / job.name, target, ec);
  if (ec) {
    spdlog::error("{}: cannot move it to {}: {}", job.name, target.string(), ec.message());
    return false;
  }
  return true;
}

bool FileSpoolFeed::move_to_done(const SpoolJob& job) {
  const auto target = free_target(dir_ / "done", job.name);
  if (!move(job, target)) return false;
  ++tally_.files_done;
  spdlog::info("{}: {} record(s) stored -> done/{}", job.name, job.stored, target.filename().string());
  return true;
}

bool FileSpoolFeed::move_to_failed(const SpoolJob& job) {
  const auto target = free_target(dir_ / "failed", job.name);
  ReasonFile reason{job.name,   Timestamp::now().to_string(), job.lines,
                    job.submitted, job.stored,             job.refused_here,
                    job.refused_by_hub};
  const fs::path reason_path = target.string() + ".reason.json";
  std::string why;
  // The reason first: a crash before the data file's move leaves an orphan
  // that the next attempt overwrites, never a failed file without its reason.
  if (!write_whole(reason_path, format_reason_file(reason), why)) {
    spdlog::error("{}: cannot write {}: {}", job.name, reason_path.string(), why);
    return false;
  }
  if (!move(job, target)) return false;
  ++tally_.files_failed;
  const auto refused = job.refused_here.size() + job.refused_by_hub.size();
  tally_.refused += refused;
  spdlog::warn("{}: {} record(s) stored, {} line(s) refused (first: {}) -> failed/{}", job.name,
               job.stored, refused, first_refusal(job.refused_here, job.refused_by_hub),
               target.filename().string());
  return true;
}

}  // namespace suqiu::filefeed
