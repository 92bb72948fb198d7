#include "work_order_exchange.h"

#include <sodium.h>

#include <fstream>
#include <sstream>

#include <httplib.h>
#include <spdlog/spdlog.h>

#include "workorder/step_encoder.h"

namespace suqiu::workorder {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Written beside, then renamed: a crash leaves the old file or the new one.
void write_file_atomically(const fs::path& file, const std::string& text) {
  const fs::path tmp = file.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  fs::rename(tmp, file);
}

std::optional<Format> format_of(const fs::path& file) {
  const std::string ext = file.extension().string();
  if (ext == ".json") return Format::json;
  if (ext == ".csv") return Format::csv;
  if (ext == ".xml") return Format::xml;
  return std::nullopt;
}

// A free name for `name` in `dir`: NAME, then NAME-1, NAME-2 ... (a platform
// may export the same file name every day).
fs::path free_name(const fs::path& dir, const fs::path& name) {
  fs::path p = dir / name;
  for (int i = 1; fs::exists(p); ++i)
    p = dir / (name.stem().string() + "-" + std::to_string(i) + name.extension().string());
  return p;
}

// Splits "http://host:port/path?query" into the client's base and the path.
std::pair<std::string, std::string> split_url(const std::string& url) {
  const auto scheme = url.find("://");
  const auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (slash == std::string::npos) return {url, "/"};
  return {url.substr(0, slash), url.substr(slash)};
}

}  // namespace

WorkOrderExchange::WorkOrderExchange(zmq::context_t& context, ExchangeOptions options)
    : context_(context), options_(std::move(options)), client_(context_, options_.feed) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  if (!options_.state_dir.empty()) {
    fs::create_directories(options_.state_dir);
    if (fs::exists(options_.state_dir / "poll.cursor")) cursor_ = read_file(options_.state_dir / "poll.cursor");
  }
  if (!options_.step_url.empty())
    client_.on_result([this](const protocol::Result& r) { return deliver_step(r); });
  client_.on_outcome([this](const sdk::IntakeOutcome& out) {
    if (out.kind == sdk::IntakeOutcome::Kind::rejected)
      spdlog::warn("feed {}: message {} refused by the hub: {} {} {}", options_.feed.plugin, out.cid, out.code,
                   out.field, out.reason);
  });
}

WorkOrderExchange::~WorkOrderExchange() {
  if (server_) server_->stop();
  if (server_thread_.joinable()) server_thread_.join();
  // Pushes still waiting are answered 503 by their handlers (broken promise).
  std::lock_guard lock(jobs_mutex_);
  jobs_.clear();
}

void WorkOrderExchange::start() {
  if (options_.listen_port == 0 && options_.listen_host.empty()) return;
  if (options_.push_token.empty() && options_.push_secret.empty())
    throw std::runtime_error("a push endpoint needs push_token or push_secret: refusing to take unsigned pushes");
  server_ = std::make_unique<httplib::Server>();
  server_->set_payload_max_length(options_.max_body);
  serve_push();
  const std::string host = options_.listen_host.empty() ? "127.0.0.1" : options_.listen_host;
  bound_port_ = options_.listen_port > 0 ? (server_->bind_to_port(host, options_.listen_port) ? options_.listen_port : -1)
                                         : server_->bind_to_any_port(host);
  if (bound_port_ <= 0)
    throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(options_.listen_port));
  server_thread_ = std::thread([this] { server_->listen_after_bind(); });
  spdlog::info("feed {}: taking pushed work orders on http://{}:{}/workorders", options_.feed.plugin, host,
               bound_port_);
}

bool WorkOrderExchange::authorised(const std::string& body, const std::string& token,
                                   const std::string& signature) const {
  if (!options_.push_token.empty() && token.size() == options_.push_token.size() &&
      sodium_memcmp(token.data(), options_.push_token.data(), token.size()) == 0)
    return true;
  if (!options_.push_secret.empty() && signature.size() == 2 * crypto_auth_hmacsha256_BYTES) {
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(options_.push_secret.data()),
                                options_.push_secret.size());
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(body.data()), body.size());
    crypto_auth_hmacsha256_final(&st, mac);
    unsigned char given[crypto_auth_hmacsha256_BYTES];
    size_t len = 0;
    if (sodium_hex2bin(given, sizeof given, signature.data(), signature.size(), nullptr, &len, nullptr) == 0 &&
        len == sizeof given)
      return sodium_memcmp(mac, given, sizeof mac) == 0;
  }
  return false;
}

void WorkOrderExchange::serve_push() {
  server_->Post("/workorders", [this](const httplib::Request& req, httplib::Response& res) {
    auto reply = [&](int status, json body) {
      res.status = status;
      res.set_content(body.dump(), "application/json; charset=utf-8");
    };
    if (!authorised(req.body, req.get_header_value("X-Suqiu-Token"), req.get_header_value("X-Suqiu-Signature"))) {
      spdlog::warn("feed {}: push from {} refused: no valid token or signature", options_.feed.plugin,
                   req.remote_addr);
      return reply(401, {{"error", "E_AUTH"}, {"reason", "a valid X-Suqiu-Token or X-Suqiu-Signature is required"}});
    }
    std::string charset;
    if (auto ct = req.get_header_value("Content-Type"); ct.find("charset=") != std::string::npos)
      charset = ct.substr(ct.find("charset=") + 8);
    auto job = std::make_shared<PushJob>();
    job->batch = decode_batch(req.body, Format::json, options_.mapping, charset);
    auto staged = job->staged.get_future();
    {
      std::lock_guard lock(jobs_mutex_);
      jobs_.push_back(job);
    }
    if (staged.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
      // The records may still be staged: the platform resends, and the hub is idempotent.
      return reply(503, {{"error", "E_BUSY"}, {"reason", "not taken in time; send it again"}});
    }
    try {
      const std::size_t n = staged.get();
      json errors = json::array();
      for (const auto& e : job->batch.errors)
        errors.push_back({{"index", e.index}, {"code", e.code}, {"field", e.field}, {"reason", e.reason}});
      reply(200, {{"accepted", n - job->batch.errors.size()}, {"errors", errors}});
    } catch (const std::exception& e) {
      reply(503, {{"error", "E_BUSY"}, {"reason", e.what()}});
    }
  });
}

// Hands a decoded batch to the hub's outbox: orders as INTAKE, notices as
// NOTICE, and each record that could not be mapped as its raw text, which
// the hub refuses and keeps in its dead-letter table with its bytes.
std::size_t WorkOrderExchange::stage(const Batch& batch, const std::string& origin) {
  for (const auto& item : batch.items)
    item.kind == Item::Kind::notice ? client_.submit_notice(item.json) : client_.submit(item.json);
  for (const auto& e : batch.errors) {
    spdlog::warn("feed {}: {} record {}: {} {} {}", options_.feed.plugin, origin, e.index, e.code, e.field, e.reason);
    client_.submit(e.raw.empty() ? std::string("{}") : e.raw);
  }
  client_.sync();  // durable before anyone is told it was taken
  return batch.items.size() + batch.errors.size();
}

void WorkOrderExchange::take_pushes() {
  std::deque<std::shared_ptr<PushJob>> jobs;
  {
    std::lock_guard lock(jobs_mutex_);
    jobs.swap(jobs_);
  }
  for (auto& job : jobs) {
    try {
      job->staged.set_value(stage(job->batch, "pushed"));
    } catch (const std::exception& e) {
      spdlog::error("feed {}: a push could not be staged: {}", options_.feed.plugin, e.what());
      job->staged.set_exception(std::current_exception());
    }
  }
}

void WorkOrderExchange::poll_platform() {
  if (options_.poll_url.empty() || Clock::now() < next_poll_) return;
  next_poll_ = Clock::now() + options_.poll_every;
  auto [base, path] = split_url(options_.poll_url);
  httplib::Client http(base);
  http.set_connection_timeout(std::chrono::seconds(3));
  http.set_read_timeout(std::chrono::seconds(10));
  httplib::Headers headers;
  if (!options_.poll_token.empty()) headers.emplace("X-Suqiu-Token", options_.poll_token);
  httplib::Params params;
  if (!cursor_.empty()) params.emplace("cursor", cursor_);
  auto res = http.Get(path, params, headers);
  if (!res || res->status != 200) {
    spdlog::warn("feed {}: polling {} failed ({}); trying again in {} ms", options_.feed.plugin, options_.poll_url,
                 res ? std::to_string(res->status) : httplib::to_string(res.error()), options_.poll_every.count());
    return;
  }
  Batch batch = decode_batch(res->body, options_.poll_format, options_.mapping);
  const std::size_t n = stage(batch, "polled");
  if (batch.next_cursor && *batch.next_cursor != cursor_) {
    // Only once its records are in the outbox: a crash before means the page is polled again.
    cursor_ = *batch.next_cursor;
    if (!options_.state_dir.empty()) write_file_atomically(options_.state_dir / "poll.cursor", cursor_);
  }
  if (n > 0) {
    spdlog::info("feed {}: polled {} records", options_.feed.plugin, n);
    next_poll_ = Clock::now();  // there may be more pages
  }
}

void WorkOrderExchange::scan_drop_folder() {
  if (options_.drop_dir.empty() || Clock::now() < next_scan_) return;
  next_scan_ = Clock::now() + std::chrono::seconds(1);
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(options_.drop_dir, ec)) {
    const fs::path file = entry.path();
    if (!entry.is_regular_file() || file.filename().string().starts_with(".")) continue;
    auto format = format_of(file);
    if (!format) continue;
    Batch batch = decode_batch(read_file(file), *format, options_.mapping, options_.drop_charset);
    const bool unreadable = batch.items.empty() && !batch.errors.empty();
    stage(batch, file.filename().string());
    // The records are in the outbox: the file may go. A crash before the move
    // stages them again, and the hub answers duplicate.
    const fs::path to = options_.drop_dir / (unreadable ? "failed" : "done");
    fs::create_directories(to);
    const fs::path moved = free_name(to, file.filename());
    fs::rename(file, moved);
    if (!batch.errors.empty()) {
      json reasons = json::array();
      for (const auto& e : batch.errors)
        reasons.push_back({{"record", e.index}, {"code", e.code}, {"field", e.field}, {"reason", e.reason}});
      write_file_atomically(moved.string() + ".reason.json", reasons.dump(1));
    }
    spdlog::info("feed {}: {}: {} records, {} refused, moved to {}", options_.feed.plugin, file.filename().string(),
                 batch.items.size(), batch.errors.size(), moved.string());
  }
}

sdk::ResultDelivery WorkOrderExchange::deliver_step(const protocol::Result& result) {
  auto body = encode_step(result.result, options_.mapping);
  if (!body)  // a step this platform does not take: nothing to send, ever
    return sdk::ResultDelivery::failed("E_NOT_SENT", "the platform's mapping sends no step of kind " +
                                                         result.result.value("kind", std::string("?")));
  auto [base, path] = split_url(options_.step_url);
  httplib::Client http(base);
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(options_.step_timeout);
  http.set_connection_timeout(secs);
  http.set_read_timeout(secs);
  httplib::Headers headers{{"X-Suqiu-Step-Id", result.rid}};
  if (!options_.step_token.empty()) headers.emplace("X-Suqiu-Token", options_.step_token);
  auto res = http.Post(path, headers, *body, "application/json; charset=utf-8");
  if (!res) {
    spdlog::warn("feed {}: step {} not delivered ({}); the hub sends it again", options_.feed.plugin, result.rid,
                 httplib::to_string(res.error()));
    return sdk::ResultDelivery::retry_later();
  }
  if (res->status >= 200 && res->status < 300) return sdk::ResultDelivery::delivered();
  if (res->status >= 400 && res->status < 500 && res->status != 408 && res->status != 429) {
    spdlog::error("feed {}: the platform refused step {} for good: {} {}", options_.feed.plugin, result.rid,
                  res->status, res->body.substr(0, 200));
    return sdk::ResultDelivery::failed("E_UPSTREAM_" + std::to_string(res->status), res->body.substr(0, 500));
  }
  spdlog::warn("feed {}: step {} answered {}; the hub sends it again", options_.feed.plugin, result.rid, res->status);
  return sdk::ResultDelivery::retry_later();
}

void WorkOrderExchange::run(const std::function<bool()>& stop_requested, bool once) {
  if (once) {
    next_poll_ = next_scan_ = Clock::now();
    poll_platform();
    scan_drop_folder();
    client_.flush(std::chrono::seconds(60));
    return;
  }
  while (!stop_requested()) {
    client_.poll(std::chrono::milliseconds(50));
    take_pushes();
    try {
      poll_platform();
      scan_drop_folder();
    } catch (const std::exception& e) {
      // One bad turn (a file that cannot be moved, a cursor that cannot be
      // written) is logged; the feed goes on.
      spdlog::error("feed {}: {}", options_.feed.plugin, e.what());
    }
  }
  take_pushes();
  client_.flush(std::chrono::seconds(5));
}

}  // namespace suqiu::workorder
