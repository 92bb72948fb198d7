// A data folder with users and cases, made the way the hub makes them (the
// intake pipeline on a writer Store) before a Writer and an ApiFront start on
// it with ephemeral loopback endpoints.
#pragma once

#include <gtest/gtest.h>

#include "temp_dir.h"
#include <sodium.h>

#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <zmq.hpp>

#include "classify/classifier.h"
#include "pipeline/intake_pipeline.h"
#include "protocol/zap_handler.h"
#include "server/api_front.h"
#include "server/ingest_front.h"
#include "server/writer.h"
#include "store/store.h"

namespace suqiu::server::testing {

using suqiu::testing::TempDir;

// argon2id with the smallest cost: verification reads the cost from the hash,
// so the tests stay fast while the code path is the real one.
inline std::string hash_password(const std::string& password) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_MIN,
                            crypto_pwhash_MEMLIMIT_MIN, crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("crypto_pwhash_str_alg failed");
  return hash;
}

struct SeedUser {
  std::string name, role;
  std::optional<std::string> section;
  std::string password;
  bool disabled = false;
};

inline const std::vector<SeedUser>& default_users() {
  static const std::vector<SeedUser> users = {
      {"wang", "operator", std::nullopt, "wang-password", false},    // took every case
      {"li", "operator", std::nullopt, "li-password", false},        // took none
      {"zhao", "liaison", "urban", "zhao-password", false},          // 城市客运科
      {"qian", "liaison", "transport", "qian-password", false},      // 运输管理科
      {"boss", "leader", std::nullopt, "boss-password", false},
      {"root", "admin", std::nullopt, "root-password", false},
      {"gone", "operator", std::nullopt, "gone-password", true},     // disabled
  };
  return users;
}

// The intakes: external id -> record. Categories are given so routing is fixed.
inline std::vector<std::pair<std::string, nlohmann::json>> default_records() {
  using nlohmann::json;
  auto rec = [](std::string source, std::string id, std::string type, std::string category,
                std::string name, std::string phone, std::string subject, std::string at) {
    return json{{"source", source},
                {"external_id", id},
                {"received_at", at},
                {"request_type", type},
                {"category", category},
                {"caller", {{"name", name}, {"phone", phone}, {"anonymous", false}}},
                {"subject", subject},
                {"content", subject + "，请尽快处理。"},
                {"attachments", json::array({{{"name", "call.wav"}, {"sha256", std::string(64, 'a')}, {"uri", "file:///rec/" + id + ".wav"}, {"mime", "audio/wav"}}})}};
  };
  return {
      {"T-1", rec("12345", "T-1", "complaint", "taxi", "李先生", "13800138000", "出租车拒载",
                  "2026-11-20T09:15:00+08:00")},
      {"T-2", rec("12345", "T-2", "complaint", "bus", "周女士", "13900139001", "公交车到站不停",
                  "2026-11-21T10:00:00+08:00")},
      {"C-1", rec("12328", "C-1", "complaint", "coach", "吴先生", "13700137002", "客运站超员售票",
                  "2026-11-22T11:00:00+08:00")},
      {"R-1", rec("reportbox", "R-1", "report", "taxi", "张举报", "13600136003", "举报出租车公司违规",
                  "2026-11-23T12:00:00+08:00")},
      {"Q-1", rec("12345", "Q-1", "inquiry", "bus", "郑女士", "13500135004", "公交线路咨询",
                  "2026-11-24T13:00:00+08:00")},
  };
}

// Users and cases written before the hub starts; returns external id -> case id.
inline std::map<std::string, std::int64_t> seed(const std::filesystem::path& dir,
                                                const std::vector<SeedUser>& users,
                                                const std::vector<std::pair<std::string, nlohmann::json>>& records) {
  store::Store s(store::Store::database_file(dir), store::Store::Access::writer);
  for (const auto& u : users)
    s.add_user({u.name, u.role, u.section, hash_password(u.password), u.disabled});
  std::shared_ptr<const classify::Classifier> classifier(&classify::Classifier::builtin(),
                                                         [](const classify::Classifier*) {});
  IntakePipeline pipeline(s, PipelineSettings{}, classifier);
  std::vector<RawIntake> batch;
  for (const auto& [id, r] : records) batch.push_back({r.dump(), "test", std::nullopt, "wang"});
  auto results = pipeline.submit(batch);
  std::map<std::string, std::int64_t> ids;
  for (std::size_t i = 0; i < results.size(); ++i) {
    EXPECT_EQ(results[i].kind, IntakeResult::Kind::accepted)
        << records[i].first << ": " << results[i].error.code << " " << results[i].error.message;
    ids[records[i].first] = results[i].case_id;
  }
  return ids;
}

// A Writer, an IngestFront and an ApiFront on `dir` (the Hub minus plugins),
// loopback, ephemeral ports.
struct RunningHub {
  zmq::context_t context;
  HubConfig config;
  std::unique_ptr<protocol::ZapHandler> zap;  // with CURVE: created before anything binds
  std::unique_ptr<Writer> writer;
  // The writer hands upstream results to the ingest front: a hub always has one.
  std::unique_ptr<IngestFront> ingest;
  std::unique_ptr<ApiFront> api;

  // `same_as`: bind the endpoints another RunningHub had (a hub restarted in place).
  explicit RunningHub(const std::filesystem::path& dir,
                      std::optional<protocol::CurveKeyPair> keys = std::nullopt,
                      std::vector<protocol::AllowedKey> allowed = {}, const HubConfig* same_as = nullptr) {
    config.data_dir = dir;
    config.ingest = same_as ? same_as->ingest : "tcp://127.0.0.1:*";
    config.api = same_as ? same_as->api : "tcp://127.0.0.1:*";
    config.events = same_as ? same_as->events : "tcp://127.0.0.1:*";
    config.server_keys = std::move(keys);
    config.allowed_keys = allowed;
    if (config.server_keys) zap = std::make_unique<protocol::ZapHandler>(context, std::move(allowed));
    writer = std::make_unique<Writer>(context, config, "test-hub");
    writer->start();
    ingest = std::make_unique<IngestFront>(context, config, "test-hub");
    ingest->start();
    api = std::make_unique<ApiFront>(context, config, *writer, "test-hub");
    api->set_login_failure_delay(std::chrono::milliseconds(200));
    api->start();
  }
  ~RunningHub() {
    api->stop();  // before the writer: requests may be waiting on it
    ingest->stop();
    writer->stop();
  }
};

}  // namespace suqiu::server::testing
