#include "protocol/codec.h"

#include <charconv>
#include <exception>
#include <optional>

#include "protocol/utf8.h"
#include "protocol/wire_codes.h"

namespace suqiu::protocol {
namespace {

using json = nlohmann::json;

// dump() with invalid UTF-8 replaced, so that encoding never throws on a string
// a caller did not check.
std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

struct Encoded {
  std::string_view type;
  json header;
  std::optional<std::string> body;
};

Encoded to_parts(const Message& message) {
  return std::visit(
      Overloaded{
          [](const Hello& m) -> Encoded {
            json h{{"plugin", m.plugin},
                   {"version", m.version},
                   {"instance", m.instance},
                   {"capabilities", m.capabilities}};
            if (!m.sources.empty()) h["sources"] = m.sources;
            return {"HELLO", std::move(h), {}};
          },
          [](const Welcome& m) -> Encoded {
            json h{{"hub", m.hub},
                   {"version", m.version},
                   {"heartbeat_ms", m.heartbeat_ms},
                   {"liveness", m.liveness},
                   {"window", m.window},
                   {"max_body", m.max_body}};
            if (!m.protocol.empty()) h["protocol"] = m.protocol;
            return {"WELCOME", std::move(h), {}};
          },
          [](const Intake& m) -> Encoded { return {"INTAKE", {{"cid", m.cid}}, m.record}; },
          [](const Notice& m) -> Encoded { return {"NOTICE", {{"cid", m.cid}}, m.body}; },
          [](const Ack& m) -> Encoded {
            return {"ACK",
                    {{"cid", m.cid},
                     {"case_id", m.case_id},
                     {"case_number", m.case_number},
                     {"duplicate", m.duplicate}},
                    {}};
          },
          [](const Nack& m) -> Encoded {
            return {"NACK",
                    {{"cid", m.cid}, {"code", m.code}, {"field", m.field}, {"reason", m.reason}},
                    {}};
          },
          [](const Heartbeat&) -> Encoded { return {"HEARTBEAT", json::object(), {}}; },
          [](const Result& m) -> Encoded { return {"RESULT", {{"rid", m.rid}}, dump(m.result)}; },
          [](const ResultAck& m) -> Encoded {
            json h{{"rid", m.rid}, {"status", m.delivered ? "delivered" : "failed"}};
            if (!m.code.empty()) h["code"] = m.code;
            if (!m.reason.empty()) h["reason"] = m.reason;
            return {"RESULT_ACK", std::move(h), {}};
          },
          [](const Error& m) -> Encoded {
            json h{{"code", m.code}, {"reason", m.reason}};
            if (!m.cid.empty()) h["cid"] = m.cid;
            if (!m.field.empty()) h["field"] = m.field;
            if (m.code == code::version) h["supported"] = json::array({kSignature});
            return {"ERROR", std::move(h), {}};
          },
          [](const Bye& m) -> Encoded {
            json h = json::object();
            if (!m.reason.empty()) h["reason"] = m.reason;
            return {"BYE", std::move(h), {}};
          },
          [](const Login& m) -> Encoded {
            return {"LOGIN", {{"cid", m.cid}, {"user", m.user}, {"password", m.password}}, {}};
          },
          [](const Request& m) -> Encoded {
            return {"REQUEST",
                    {{"cid", m.cid},
                     {"token", m.token},
                     {"op", m.op},
                     {"args", m.args.is_null() ? json::object() : m.args}},
                    {}};
          },
          [](const Reply& m) -> Encoded {
            json h{{"cid", m.cid}, {"ok", m.ok}};
            if (m.ok) {
              h["data"] = m.data;
            } else {
              h["code"] = m.code;
              h["message"] = m.message;
              if (!m.field.empty()) h["field"] = m.field;
            }
            return {"REPLY", std::move(h), {}};
          },
      },
      message);
}

// Reads typed keys out of a header object; the first problem wins.
class HeaderReader {
 public:
  explicit HeaderReader(const json& header) : h_(header) {}

  const std::optional<DecodeError>& error() const { return error_; }

  std::string string(const char* key, bool required = true, bool non_empty = false) {
    const json* v = find(key, required);
    if (!v) return {};
    if (!v->is_string()) {
      fail(code::field_invalid, key, "must be a string");
      return {};
    }
    auto s = v->get<std::string>();
    if (non_empty && s.empty()) fail(code::field_invalid, key, "must not be empty");
    return s;
  }

  std::string id(const char* key, bool required = true) {
    const json* v = find(key, required);
    if (!v) return {};
    if (!v->is_string() || !is_valid_cid(v->get_ref<const std::string&>())) {
      fail(code::field_invalid, key, "must be 1..64 printable ASCII characters");
      return {};
    }
    return v->get<std::string>();
  }

  std::int64_t integer(const char* key, std::int64_t fallback, bool required, std::int64_t min,
                       std::int64_t max) {
    const json* v = find(key, required);
    if (!v) return fallback;
    if (!v->is_number_integer()) {
      fail(code::field_invalid, key, "must be an integer");
      return fallback;
    }
    // Unsigned values above int64 come back negative from get<int64_t>; check both.
    if (v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
      fail(code::field_invalid, key, "out of range");
      return fallback;
    }
    const auto n = v->get<std::int64_t>();
    if (n < min || n > max) {
      fail(code::field_invalid, key, "out of range");
      return fallback;
    }
    return n;
  }

  bool boolean(const char* key, bool fallback, bool required) {
    const json* v = find(key, required);
    if (!v) return fallback;
    if (!v->is_boolean()) {
      fail(code::field_invalid, key, "must be true or false");
      return fallback;
    }
    return v->get<bool>();
  }

  std::vector<std::string> strings(const char* key, bool required) {
    const json* v = find(key, required);
    std::vector<std::string> out;
    if (!v) return out;
    if (!v->is_array()) {
      fail(code::field_invalid, key, "must be an array of strings");
      return out;
    }
    for (const auto& e : *v) {
      if (!e.is_string()) {
        fail(code::field_invalid, key, "must be an array of strings");
        return {};
      }
      out.push_back(e.get<std::string>());
    }
    return out;
  }

  json object(const char* key) {
    const json* v = find(key, false);
    if (!v || v->is_null()) return json::object();
    if (!v->is_object()) {
      fail(code::field_invalid, key, "must be an object");
      return json::object();
    }
    return *v;
  }

  json any(const char* key) {
    const json* v = find(key, false);
    return v ? *v : json(nullptr);
  }

  void fail(std::string_view c, std::string_view field, std::string_view why) {
    if (error_) return;
    error_ = DecodeError{std::string(c), std::string(field), std::string(field) + " " + std::string(why),
                         {}, {}};
  }

 private:
  const json* find(const char* key, bool required) {
    auto it = h_.find(key);
    if (it == h_.end()) {
      if (required) fail(code::field_missing, key, "is required");
      return nullptr;
    }
    return &*it;
  }

  const json& h_;
  std::optional<DecodeError> error_;
};

DecodeError make_error(std::string_view c, std::string reason, std::string_view field = {},
                       std::string_view type = {}, std::string_view cid = {}) {
  return {std::string(c), std::string(field), std::move(reason), std::string(type),
          std::string(cid)};
}

struct TypeInfo {
  std::string_view name;
  bool has_body;
};
constexpr TypeInfo kTypes[] = {
    {"HELLO", false},   {"WELCOME", false}, {"INTAKE", true},     {"ACK", false},
    {"NACK", false},    {"HEARTBEAT", false}, {"RESULT", true},   {"RESULT_ACK", false},
    {"ERROR", false},   {"BYE", false},     {"LOGIN", false},     {"REQUEST", false},
    {"REPLY", false},   {"NOTICE", true},
};

std::optional<TypeInfo> find_type(std::string_view name) {
  for (const auto& t : kTypes)
    if (t.name == name) return t;
  return std::nullopt;
}

// Parses a JSON frame that must hold an object: size, UTF-8, syntax, shape.
std::variant<json, DecodeError> parse_object(std::string_view text, std::size_t max,
                                             std::string_view what) {
  const std::string field = what == "header" ? "" : std::string(what);
  if (text.size() > max)
    return make_error(code::too_large, std::string(what) + " exceeds " + std::to_string(max) + " bytes",
                      field);
  if (!is_valid_utf8(text)) return make_error(code::bad_utf8, std::string(what) + " is not valid UTF-8", field);
  if (text.starts_with("\xEF\xBB\xBF"))
    return make_error(code::not_json, std::string(what) + " starts with a byte order mark", field);
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return make_error(code::not_json, std::string(what) + " is not JSON", field);
  if (!j.is_object()) return make_error(code::not_object, std::string(what) + " is not a JSON object", field);
  return j;
}

// The cid/rid of a header, if it has a usable one, for error replies.
std::string correlation_of(const json& header) {
  for (const char* key : {"cid", "rid"}) {
    auto it = header.find(key);
    if (it != header.end() && it->is_string() && is_valid_cid(it->get_ref<const std::string&>()))
      return it->get<std::string>();
  }
  return {};
}

Decoded decode_checked(std::span<const std::string_view> frames, const DecodeLimits& limits) {
  if (frames.size() < 3)
    return make_error(code::protocol,
                      "truncated: " + std::to_string(frames.size()) + " frames, at least 3 expected");
  if (frames[0] != kSignature) return make_error(code::version, "signature is not SUQIU1");
  const auto type = find_type(frames[1]);
  if (!type) return make_error(code::protocol, "unknown message type", "type");
  const std::size_t expected = type->has_body ? 4 : 3;
  if (frames.size() != expected) {
    // The cid, when the header gives one, lets an INTAKE be NACKed for it.
    std::string cid;
    if (auto h = parse_object(frames[2], limits.max_header, "header"); std::holds_alternative<json>(h))
      cid = correlation_of(std::get<json>(h));
    return make_error(code::protocol,
                      std::string(type->name) + " has " + std::to_string(frames.size()) +
                          " frames, " + std::to_string(expected) + " expected",
                      {}, type->name, cid);
  }

  auto parsed = parse_object(frames[2], limits.max_header, "header");
  if (auto* e = std::get_if<DecodeError>(&parsed)) {
    e->type = type->name;
    return *e;
  }
  const json& h = std::get<json>(parsed);
  HeaderReader r(h);
  const std::string_view t = type->name;

  auto finish = [&](Message m) -> Decoded {
    if (r.error()) {
      DecodeError e = *r.error();
      e.type = t;
      e.cid = correlation_of(h);
      return e;
    }
    return m;
  };

  if (t == "HELLO") {
    Hello m;
    m.plugin = r.string("plugin", true, true);
    m.version = r.string("version");
    m.instance = r.string("instance", true, true);
    m.capabilities = r.strings("capabilities", true);
    m.sources = r.strings("sources", false);
    return finish(std::move(m));
  }
  if (t == "WELCOME") {
    Welcome m;
    m.hub = r.string("hub", true, true);
    m.version = r.string("version", false);
    m.heartbeat_ms = static_cast<int>(r.integer("heartbeat_ms", kDefaultHeartbeatMs, false, 10, 3'600'000));
    m.liveness = static_cast<int>(r.integer("liveness", kDefaultLiveness, false, 1, 1000));
    m.window = static_cast<int>(r.integer("window", kDefaultWindow, false, 1, 1'000'000));
    m.max_body = r.integer("max_body", static_cast<std::int64_t>(kMaxBodyBytes), false, 1,
                           static_cast<std::int64_t>(kMaxReplyFrameBytes));
    m.protocol = r.string("protocol", false);
    return finish(std::move(m));
  }
  if (t == "INTAKE" || t == "NOTICE") {
    const std::string cid = r.id("cid");
    if (r.error()) return finish(Intake{});
    const std::string_view body = frames[3];
    const std::string what = t == "INTAKE" ? "intake record" : "notice";
    if (body.size() > limits.max_body)
      return make_error(code::too_large, what + " exceeds " + std::to_string(limits.max_body) + " bytes", {}, t,
                        cid);
    if (!is_valid_utf8(body)) return make_error(code::bad_utf8, what + " is not valid UTF-8", {}, t, cid);
    if (t == "NOTICE") return finish(Notice{cid, std::string(body)});
    return finish(Intake{cid, std::string(body)});
  }
  if (t == "ACK") {
    Ack m;
    m.cid = r.id("cid");
    m.case_id = r.integer("case_id", 0, true, 0, INT64_MAX);
    m.case_number = r.string("case_number");
    m.duplicate = r.boolean("duplicate", false, false);
    return finish(std::move(m));
  }
  if (t == "NACK") {
    Nack m;
    m.cid = r.id("cid");
    m.code = r.string("code", true, true);
    m.field = r.string("field", false);
    m.reason = r.string("reason", false);
    return finish(std::move(m));
  }
  if (t == "HEARTBEAT") return finish(Heartbeat{});
  if (t == "RESULT") {
    Result m;
    m.rid = r.id("rid");
    if (r.error()) return finish(std::move(m));
    auto body = parse_object(frames[3], limits.max_body, "result");
    if (auto* e = std::get_if<DecodeError>(&body)) {
      e->type = t;
      e->cid = m.rid;
      return *e;
    }
    m.result = std::move(std::get<json>(body));
    return finish(std::move(m));
  }
  if (t == "RESULT_ACK") {
    ResultAck m;
    m.rid = r.id("rid");
    const std::string status = r.string("status");
    if (!r.error() && status != "delivered" && status != "failed")
      r.fail(code::field_invalid, "status", "must be delivered or failed");
    m.delivered = status == "delivered";
    m.code = r.string("code", false);
    m.reason = r.string("reason", false);
    return finish(std::move(m));
  }
  if (t == "ERROR") {
    Error m;
    m.code = r.string("code", true, true);
    m.reason = r.string("reason", false);
    m.cid = r.string("cid", false);
    m.field = r.string("field", false);
    return finish(std::move(m));
  }
  if (t == "BYE") {
    Bye m;
    m.reason = r.string("reason", false);
    return finish(std::move(m));
  }
  if (t == "LOGIN") {
    Login m;
    m.cid = r.id("cid");
    m.user = r.string("user", true, true);
    m.password = r.string("password");
    return finish(std::move(m));
  }
  if (t == "REQUEST") {
    Request m;
    m.cid = r.id("cid");
    m.token = r.string("token");
    m.op = r.string("op", true, true);
    m.args = r.object("args");
    return finish(std::move(m));
  }
  // REPLY
  Reply m;
  m.cid = r.id("cid");
  m.ok = r.boolean("ok", false, true);
  if (m.ok) {
    m.data = r.any("data");
  } else {
    m.code = r.string("code", true, true);
    m.message = r.string("message", false);
    m.field = r.string("field", false);
  }
  return finish(std::move(m));
}

std::vector<std::string_view> views_of(const Frames& frames) {
  return {frames.begin(), frames.end()};
}

bool is_valid_topic(std::string_view topic) {
  if (topic.empty() || topic.size() > 256) return false;
  for (unsigned char c : topic)
    if (c < 0x21 || c > 0x7E) return false;
  return true;
}

}  // namespace

bool is_valid_cid(std::string_view cid) noexcept {
  if (cid.empty() || cid.size() > 64) return false;
  for (unsigned char c : cid)
    if (c < 0x21 || c > 0x7E) return false;
  return true;
}

std::string case_topic(std::int64_t case_id, std::string_view event) {
  return "case." + std::to_string(case_id) + "." + std::string(event);
}

std::string case_topic_prefix(std::int64_t case_id) {
  return "case." + std::to_string(case_id) + ".";
}

std::string_view type_name(const Message& m) {
  return kTypes[m.index()].name;
}

Frames encode(const Message& message) {
  Encoded parts = to_parts(message);
  Frames frames;
  frames.reserve(parts.body ? 4 : 3);
  frames.emplace_back(kSignature);
  frames.emplace_back(parts.type);
  frames.push_back(dump(parts.header));
  if (parts.body) frames.push_back(std::move(*parts.body));
  return frames;
}

Decoded decode(std::span<const std::string_view> frames, const DecodeLimits& limits) {
  try {
    return decode_checked(frames, limits);
  } catch (const std::exception& e) {
    // Defensive: the checks above are meant to make this unreachable, but a
    // decoder must answer with a code, never crash the hub.
    return make_error(code::protocol, std::string("undecodable: ") + e.what());
  }
}

Decoded decode(const Frames& frames, const DecodeLimits& limits) {
  const auto views = views_of(frames);
  return decode(std::span<const std::string_view>(views), limits);
}

Frames encode_event(const Event& event) {
  return {event.topic, std::string(kSignature), std::to_string(event.seq), dump(event.body)};
}

DecodedEvent decode_event(std::span<const std::string_view> frames, const DecodeLimits& limits) {
  try {
    if (frames.size() != 4)
      return make_error(code::protocol, "an event has 4 frames, got " + std::to_string(frames.size()));
    if (frames[1] != kSignature) return make_error(code::version, "signature is not SUQIU1");
    if (!is_valid_topic(frames[0])) return make_error(code::protocol, "bad topic", "topic");
    const std::string_view s = frames[2];
    std::int64_t seq = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), seq);
    if (s.empty() || ec != std::errc{} || end != s.data() + s.size() || seq < 0 ||
        (s.size() > 1 && s[0] == '0'))
      return make_error(code::protocol, "sequence is not a decimal number", "seq");
    auto body = parse_object(frames[3], limits.max_body, "event");
    if (auto* e = std::get_if<DecodeError>(&body)) return *e;
    return Event{std::string(frames[0]), seq, std::move(std::get<json>(body))};
  } catch (const std::exception& e) {
    return make_error(code::protocol, std::string("undecodable event: ") + e.what());
  }
}

DecodedEvent decode_event(const Frames& frames, const DecodeLimits& limits) {
  const auto views = views_of(frames);
  return decode_event(std::span<const std::string_view>(views), limits);
}

}  // namespace suqiu::protocol
