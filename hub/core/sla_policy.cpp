#include "sla_policy.h"

#include <stdexcept>
#include <string>
#include <utility>

namespace suqiu {
namespace {

using namespace std::chrono;

void require(bool ok, const char* rule, int value) {
  if (!ok)
    throw std::invalid_argument(std::string("SLA rule ") + rule + " out of range: " +
                                std::to_string(value));
}

void validate(const SlaRules& r) {
  // A type or sign-for limit of 0 days would fall due on the day of receipt
  // itself, possibly a holiday: no deadline in DESIGN.md works that way.
  require(r.inquiry_days >= 1, "inquiry_days", r.inquiry_days);
  require(r.help_days >= 1, "help_days", r.help_days);
  require(r.complaint_days >= 1, "complaint_days", r.complaint_days);
  require(r.praise_days >= 1, "praise_days", r.praise_days);
  require(r.suggestion_days >= 1, "suggestion_days", r.suggestion_days);
  require(r.report_days >= 1, "report_days", r.report_days);
  require(r.sign_for_days >= 1, "sign_for_days", r.sign_for_days);
  require(r.warning_lead_days >= 0, "warning_lead_days", r.warning_lead_days);
  require(r.supervision_after_days >= 0, "supervision_after_days", r.supervision_after_days);
  require(r.end_of_day_seconds > 0 && r.end_of_day_seconds <= 24 * 3600, "end_of_day_seconds",
          r.end_of_day_seconds);
  require(r.offset_minutes > -24 * 60 && r.offset_minutes < 24 * 60, "offset_minutes",
          r.offset_minutes);
}

// Works on const and mutable rules alike: int& for the setters, const int& else.
template <class Rules>
auto& days_of(Rules& r, RequestType type) {
  switch (type) {
    case RequestType::complaint: return r.complaint_days;
    case RequestType::report: return r.report_days;
    case RequestType::inquiry: return r.inquiry_days;
    case RequestType::help: return r.help_days;
    case RequestType::suggestion: return r.suggestion_days;
    case RequestType::praise: return r.praise_days;
  }
  throw std::invalid_argument("unknown request type");
}

}  // namespace

std::string_view to_code(Escalation e) {
  switch (e) {
    case Escalation::none: return "none";
    case Escalation::warning: return "warning";
    case Escalation::reminder: return "reminder";
    case Escalation::supervision: return "supervision";
  }
  return "none";
}

Escalation parse_escalation(std::string_view code) {
  for (auto e : {Escalation::warning, Escalation::reminder, Escalation::supervision})
    if (to_code(e) == code) return e;
  return Escalation::none;
}

SlaPolicy::SlaPolicy(SlaRules rules, WorkCalendar calendar)
    : rules_(rules), calendar_(std::move(calendar)) {
  validate(rules_);
}

int SlaPolicy::working_days(RequestType type) const {
  return days_of(rules_, type);
}

// Setters validate a copy first, so a rejected value leaves the policy as it was.
void SlaPolicy::set_working_days(RequestType type, int days) {
  SlaRules next = rules_;
  days_of(next, type) = days;
  validate(next);
  rules_ = next;
}

void SlaPolicy::set_sign_for_days(int days) {
  SlaRules next = rules_;
  next.sign_for_days = days;
  validate(next);
  rules_ = next;
}

void SlaPolicy::set_warning_lead_days(int days) {
  SlaRules next = rules_;
  next.warning_lead_days = days;
  validate(next);
  rules_ = next;
}

void SlaPolicy::set_supervision_after_days(int days) {
  SlaRules next = rules_;
  next.supervision_after_days = days;
  validate(next);
  rules_ = next;
}

void SlaPolicy::set_end_of_day(int seconds_of_day) {
  SlaRules next = rules_;
  next.end_of_day_seconds = seconds_of_day;
  validate(next);
  rules_ = next;
}

year_month_day SlaPolicy::local_date(Timestamp t) const {
  // The calendar speaks in the bureau's civil days, whatever offset a feed used.
  return t.in_offset(rules_.offset_minutes).local_date();
}

Timestamp SlaPolicy::end_of_day(year_month_day date) const {
  return Timestamp::from_local(date, rules_.end_of_day_seconds, rules_.offset_minutes);
}

Timestamp SlaPolicy::deadline(RequestType type, Timestamp received,
                              std::optional<Timestamp> upstream_deadline) const {
  Timestamp ours =
      end_of_day(calendar_.add_working_days(local_date(received), working_days(type)));
  if (upstream_deadline && *upstream_deadline < ours) return *upstream_deadline;
  return ours;
}

Timestamp SlaPolicy::sign_deadline(Timestamp assigned) const {
  return end_of_day(calendar_.add_working_days(local_date(assigned), rules_.sign_for_days));
}

Timestamp SlaPolicy::warning_point(Timestamp deadline) const {
  if (rules_.warning_lead_days == 0) return deadline;
  year_month_day day = local_date(deadline);
  // A deadline at 00:00 sharp, or on a day off, leaves nothing of that day to work.
  bool day_counts = calendar_.is_working_day(day) &&
                    deadline.in_offset(rules_.offset_minutes).local_seconds_of_day() > 0;
  year_month_day last = day_counts ? day : calendar_.add_working_days(day, -1);
  year_month_day first = calendar_.add_working_days(last, -(rules_.warning_lead_days - 1));
  return Timestamp::from_local(first, 0, rules_.offset_minutes);
}

Timestamp SlaPolicy::supervision_point(Timestamp deadline) const {
  if (rules_.supervision_after_days == 0) return deadline;
  return end_of_day(
      calendar_.add_working_days(local_date(deadline), rules_.supervision_after_days));
}

Escalation SlaPolicy::escalation(Timestamp deadline, Timestamp now) const {
  if (now >= supervision_point(deadline)) return Escalation::supervision;
  if (now >= deadline) return Escalation::reminder;
  if (now >= warning_point(deadline)) return Escalation::warning;
  return Escalation::none;
}

std::optional<Timestamp> SlaPolicy::next_escalation(Timestamp deadline, Timestamp now) const {
  for (Timestamp point : {warning_point(deadline), deadline, supervision_point(deadline)})
    if (now < point) return point;
  return std::nullopt;
}

}  // namespace suqiu
