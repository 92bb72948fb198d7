// Platform notices (protocol §4.6): a table of real-looking bodies, each with
// the code and field the hub answers, one comment per quirk.
#include "core/platform_notice.h"

#include <gtest/gtest.h>

namespace suqiu {
namespace {

struct Row {
  const char* why;
  std::string body;
  const char* code;   // "" = accepted
  const char* field;
};

TEST(PlatformNotice, TableOfBodies) {
  const std::string head = R"("source":"12345","external_id":"GD-1","notice_id":"N-1","at":"2026-11-28T09:00:00+08:00")";
  const Row rows[] = {
      {"a reminder with its text", "{" + head + R"(,"kind":"reminder","note":"请加快办理"})", "", ""},
      {"supervision without a note", "{" + head + R"(,"kind":"supervision"})", "", ""},
      {"withdrawn", "{" + head + R"(,"kind":"withdrawn","note":"市民已撤诉"})", "", ""},
      {"a ruling needs approved", "{" + head + R"(,"kind":"return_ruling"})", "E_FIELD_MISSING", "approved"},
      {"approved as a string is not a bool", "{" + head + R"(,"kind":"return_ruling","approved":"是"})",
       "E_FIELD_INVALID", "approved"},
      {"an extension ruling with the deadline set", "{" + head +
           R"(,"kind":"extension_ruling","approved":true,"deadline":"2026-12-10T18:00:00+08:00"})", "", ""},
      {"a deadline without its offset", "{" + head +
           R"(,"kind":"extension_ruling","approved":true,"deadline":"2026-12-10 18:00"})", "E_FIELD_INVALID", "deadline"},
      {"a call-back needs the rating", "{" + head + R"(,"kind":"callback"})", "E_FIELD_MISSING", "satisfaction"},
      {"a rating in words is not a code", "{" + head + R"(,"kind":"callback","satisfaction":"满意"})",
       "E_FIELD_INVALID", "satisfaction"},
      {"an unknown kind", "{" + head + R"(,"kind":"praise"})", "E_FIELD_INVALID", "kind"},
      {"no notice_id: it could not be applied once", R"({"source":"12345","external_id":"GD-1","kind":"reminder","at":"2026-11-28T09:00:00+08:00"})",
       "E_FIELD_MISSING", "notice_id"},
      {"an empty external_id", R"({"source":"12345","external_id":"","notice_id":"N","kind":"reminder","at":"2026-11-28T09:00:00+08:00"})",
       "E_FIELD_INVALID", "external_id"},
      {"a local time without an offset", R"({"source":"12345","external_id":"G","notice_id":"N","kind":"reminder","at":"2026-11-28 09:00:00"})",
       "E_FIELD_INVALID", "at"},
      {"a byte order mark first", "\xEF\xBB\xBF{" + head + R"(,"kind":"reminder"})", "E_NOT_JSON", ""},
      {"an array", "[1]", "E_NOT_OBJECT", ""},
      {"not JSON", "催办", "E_NOT_JSON", ""},
      {"a note over 4 KiB", "{" + head + R"(,"kind":"reminder","note":")" + std::string(4097, 'x') + "\"}",
       "E_FIELD_INVALID", "note"},
  };
  for (const auto& r : rows) {
    auto parsed = parse_notice(r.body);
    if (std::string(r.code).empty()) {
      EXPECT_TRUE(std::holds_alternative<PlatformNotice>(parsed))
          << r.why << ": " << std::get<IntakeError>(parsed).code << " " << std::get<IntakeError>(parsed).message;
    } else {
      ASSERT_TRUE(std::holds_alternative<IntakeError>(parsed)) << r.why;
      EXPECT_EQ(std::get<IntakeError>(parsed).code, r.code) << r.why;
      EXPECT_EQ(std::get<IntakeError>(parsed).field, r.field) << r.why;
    }
  }
}

TEST(PlatformNotice, KindsRoundTrip) {
  for (auto k : {NoticeKind::reminder, NoticeKind::supervision, NoticeKind::withdrawn, NoticeKind::return_ruling,
                 NoticeKind::extension_ruling, NoticeKind::callback})
    EXPECT_EQ(parse_notice_kind(to_code(k)), k);
}

}  // namespace
}  // namespace suqiu
