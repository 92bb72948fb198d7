#include "codes.h"

namespace suqiu {
namespace {

template <class Enum, std::size_t N>
struct CodeTable {
  std::array<std::pair<Enum, std::string_view>, N> rows;

  constexpr std::string_view code(Enum e) const {
    for (const auto& [value, text] : rows)
      if (value == e) return text;
    return "?";
  }
  constexpr std::optional<Enum> parse(std::string_view text) const {
    for (const auto& [value, code] : rows)
      if (code == text) return value;
    return std::nullopt;
  }
};

constexpr CodeTable<RequestType, 6> kTypeCodes{{{
    {RequestType::complaint, "complaint"},
    {RequestType::report, "report"},
    {RequestType::inquiry, "inquiry"},
    {RequestType::help, "help"},
    {RequestType::suggestion, "suggestion"},
    {RequestType::praise, "praise"},
}}};
constexpr CodeTable<RequestType, 6> kTypeNamesZh{{{
    {RequestType::complaint, "投诉"},
    {RequestType::report, "举报"},
    {RequestType::inquiry, "咨询"},
    {RequestType::help, "求助"},
    {RequestType::suggestion, "建议"},
    {RequestType::praise, "表扬"},
}}};
constexpr CodeTable<CaseStatus, 8> kStatusCodes{{{
    {CaseStatus::received, "received"},
    {CaseStatus::assigned, "assigned"},
    {CaseStatus::accepted, "accepted"},
    {CaseStatus::replied, "replied"},
    {CaseStatus::closed, "closed"},
    {CaseStatus::returned, "returned"},
    {CaseStatus::transferred, "transferred"},
    {CaseStatus::merged, "merged"},
}}};
constexpr CodeTable<CaseStatus, 8> kStatusNamesZh{{{
    {CaseStatus::received, "已受理"},
    {CaseStatus::assigned, "已派单"},
    {CaseStatus::accepted, "办理中"},
    {CaseStatus::replied, "待审核"},
    {CaseStatus::closed, "已办结"},
    {CaseStatus::returned, "已退单"},
    {CaseStatus::transferred, "已转办"},
    {CaseStatus::merged, "已合并"},
}}};
constexpr CodeTable<Role, 4> kRoleCodes{{{
    {Role::operator_, "operator"},
    {Role::liaison, "liaison"},
    {Role::leader, "leader"},
    {Role::admin, "admin"},
}}};

}  // namespace

std::string_view to_code(RequestType t) { return kTypeCodes.code(t); }
std::string_view to_code(CaseStatus s) { return kStatusCodes.code(s); }
std::string_view to_code(Role r) { return kRoleCodes.code(r); }
std::optional<RequestType> parse_request_type(std::string_view c) { return kTypeCodes.parse(c); }
std::optional<CaseStatus> parse_case_status(std::string_view c) { return kStatusCodes.parse(c); }
std::optional<Role> parse_role(std::string_view c) { return kRoleCodes.parse(c); }
std::string_view name_zh(RequestType t) { return kTypeNamesZh.code(t); }
std::string_view name_zh(CaseStatus s) { return kStatusNamesZh.code(s); }

}  // namespace suqiu
