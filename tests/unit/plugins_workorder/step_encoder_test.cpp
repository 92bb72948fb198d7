// The bureau's steps back, each kind of RESULT (protocol.md 4.5) through both
// shipped mappings: the platform's field names, step codes and time format.
#include "workorder/step_encoder.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "workorder_samples.h"

namespace suqiu::workorder {
namespace {

using nlohmann::json;
using testing::shipped;

json result(const std::string& source, const std::string& kind, json extra) {
  json r = {{"case_id", 17},
            {"case_number", "ZJ2026112600017"},
            {"source", source},
            {"external_id", source == "12345" ? "GD-ZJ-20261126-000123" : "12328-GD-2026112600088"},
            {"kind", kind},
            {"status", "accepted"},
            {"at", "2026-11-28T16:00:00+08:00"},
            {"section", "urban"},
            {"result", ""},
            {"reply", ""},
            {"upstream",
             {{"platform", source},
              {"order_no", source == "12345" ? "GD-ZJ-20261126-000123" : "12328-GD-2026112600088"},
              {"order_id", 88017}}}};
  if (extra.is_object()) r.update(extra);
  return r;
}

struct Row {
  const char* quirk;
  std::string platform;
  json result;
  json expected;  // the platform body, exactly
};

std::vector<Row> rows() {
  return {
      {"12345 签收", "12345", result("12345", "signed_for", {{"reply", "已签收，正在核查"}}),
       {{"gdbh", "GD-ZJ-20261126-000123"}, {"czlx", "QS"}, {"czsj", "2026-11-28 16:00:00"},
        {"fknr", "已签收，正在核查"}, {"bljg", ""}, {"cbbh", "ZJ2026112600017"}}},
      {"12345 阶段反馈", "12345", result("12345", "progress", {{"reply", "已调取车载视频"}}),
       {{"gdbh", "GD-ZJ-20261126-000123"}, {"czlx", "JDFK"}, {"czsj", "2026-11-28 16:00:00"},
        {"fknr", "已调取车载视频"}, {"bljg", ""}, {"cbbh", "ZJ2026112600017"}}},
      // days and deadline only travel with an extension request.
      {"12345 延期申请", "12345",
       result("12345", "extension_request",
              {{"reply", "需调查取证"}, {"days", 5}, {"deadline", "2026-12-09T18:00:00+08:00"}}),
       {{"gdbh", "GD-ZJ-20261126-000123"}, {"czlx", "YQSQ"}, {"czsj", "2026-11-28 16:00:00"},
        {"fknr", "需调查取证"}, {"bljg", ""}, {"cbbh", "ZJ2026112600017"}, {"yqts", 5},
        {"sqblsx", "2026-12-09 18:00:00"}}},
      {"12345 退单申请", "12345",
       result("12345", "return_request", {{"status", "transferred"}, {"reply", "属住建部门职责"}, {"to", "市住建局"}}),
       {{"gdbh", "GD-ZJ-20261126-000123"}, {"czlx", "TDSQ"}, {"czsj", "2026-11-28 16:00:00"},
        {"fknr", "属住建部门职责"}, {"bljg", ""}, {"cbbh", "ZJ2026112600017"}, {"thyy", "市住建局"}}},
      {"12345 办结反馈", "12345",
       result("12345", "closed",
              {{"status", "closed"}, {"result", "已约谈驾驶员并依法处理"}, {"reply", "您反映的出租车拒载问题已查实"}}),
       {{"gdbh", "GD-ZJ-20261126-000123"}, {"czlx", "BJ"}, {"czsj", "2026-11-28 16:00:00"},
        {"fknr", "您反映的出租车拒载问题已查实"}, {"bljg", "已约谈驾驶员并依法处理"}, {"cbbh", "ZJ2026112600017"}}},
      // 12328: compact times, numeric codes, its internal id from upstream.
      {"12328 签收", "12328", result("12328", "signed_for", {}),
       {{"orderNo", "12328-GD-2026112600088"}, {"orderId", 88017}, {"handleType", "10"},
        {"handleTime", "20261128160000"}, {"replyContent", ""}, {"handleResult", ""},
        {"localCaseNo", "ZJ2026112600017"}}},
      {"12328 阶段反馈", "12328", result("12328", "progress", {{"reply", "已联系平台公司"}}),
       {{"orderNo", "12328-GD-2026112600088"}, {"orderId", 88017}, {"handleType", "20"},
        {"handleTime", "20261128160000"}, {"replyContent", "已联系平台公司"}, {"handleResult", ""},
        {"localCaseNo", "ZJ2026112600017"}}},
      {"12328 延期申请", "12328",
       result("12328", "extension_request", {{"reply", "待平台公司回复"}, {"days", 3},
                                             {"deadline", "2026-12-08T10:00:00Z"}}),
       {{"orderNo", "12328-GD-2026112600088"}, {"orderId", 88017}, {"handleType", "30"},
        {"handleTime", "20261128160000"}, {"replyContent", "待平台公司回复"}, {"handleResult", ""},
        {"localCaseNo", "ZJ2026112600017"}, {"delayDays", 3}, {"applyDeadline", "20261208180000"}}},
      {"12328 退单申请", "12328", result("12328", "return_request", {{"reply", "非本局职责"}, {"to", "市公安局交警支队"}}),
       {{"orderNo", "12328-GD-2026112600088"}, {"orderId", 88017}, {"handleType", "40"},
        {"handleTime", "20261128160000"}, {"replyContent", "非本局职责"}, {"handleResult", ""},
        {"localCaseNo", "ZJ2026112600017"}, {"returnTo", "市公安局交警支队"}}},
      {"12328 办结反馈", "12328", result("12328", "closed", {{"result", "已责令退还多收费用"}, {"reply", "已处理"}}),
       {{"orderNo", "12328-GD-2026112600088"}, {"orderId", 88017}, {"handleType", "50"},
        {"handleTime", "20261128160000"}, {"replyContent", "已处理"}, {"handleResult", "已责令退还多收费用"},
        {"localCaseNo", "ZJ2026112600017"}}},
  };
}

TEST(WorkorderStep, EachKindBothPlatforms) {
  for (const auto& row : rows()) {
    SCOPED_TRACE(row.quirk);
    const auto body = encode_step(row.result, shipped(row.platform));
    ASSERT_TRUE(body);
    EXPECT_EQ(json::parse(*body), row.expected) << *body;
  }
}

TEST(WorkorderStep, KindsNotSent) {
  // A kind of a later protocol version, or one the mapping leaves out: nothing to send.
  EXPECT_FALSE(encode_step(result("12345", "reopened", {}), shipped("12345")));
  EXPECT_FALSE(encode_step(json{{"external_id", "GD-1"}}, shipped("12345")));
  EXPECT_FALSE(encode_step(json::array(), shipped("12345")));
  Mapping closing_only = shipped("12345");
  closing_only.step_kinds = {{"closed", "BJ"}};
  EXPECT_FALSE(encode_step(result("12345", "progress", {}), closing_only));
  EXPECT_TRUE(encode_step(result("12345", "closed", {}), closing_only));
}

TEST(WorkorderStep, NestedFieldsConstantsAndNoOrderNo) {
  // A platform that wants {"data":{...}} and the bureau's unit code on every step.
  const auto t = toml::parse(R"(
[mapping]
source = "12345"
[mapping.fields]
gdbh = "external_id"
ldsj = "received_at"
nr = "content"
[mapping.step_fields]
external_id = "data.gdbh"
kind = "data.czlx"
at = "data.czsj"
[mapping.step_kinds]
closed = "BJ"
[mapping.step_constants]
"data.cbdw" = "ZJJTJ"
appKey = "suqiu"
)");
  const Mapping m = load_mapping(t);
  json r = result("12345", "closed", {});
  r["upstream"] = json::object();  // no order_no: the external id addresses the order
  const auto body = encode_step(r, m);
  ASSERT_TRUE(body);
  EXPECT_EQ(json::parse(*body),
            json({{"appKey", "suqiu"},
                  {"data", {{"gdbh", "GD-ZJ-20261126-000123"}, {"czlx", "BJ"}, {"czsj", "2026-11-28T16:00:00+08:00"},
                            {"cbdw", "ZJJTJ"}}}}));
}

}  // namespace
}  // namespace suqiu::workorder
