#include "sim/case_story.h"

#include <algorithm>
#include <array>

#include "sim/phrase_book.h"
#include "sim/text_composer.h"

namespace suqiu::sim {
namespace {

using nlohmann::json;

constexpr int kOperators = 3;  // the desk's operators take turns
constexpr int kLeaders = 2;

Delay work(SimRandom& rng, int lo, int hi) { return {Delay::Kind::work, static_cast<double>(rng.between(lo, hi))}; }
Delay clock(SimRandom& rng, int lo, int hi) { return {Delay::Kind::clock, static_cast<double>(rng.between(lo, hi))}; }

// How likely a section replies after the deadline, by request type.
double late_share(RequestType t) {
  switch (t) {
    case RequestType::complaint: return 0.08;
    case RequestType::report: return 0.12;
    case RequestType::help: return 0.06;
    case RequestType::suggestion: return 0.10;
    case RequestType::praise: return 0.02;
    case RequestType::inquiry: return 0.05;
  }
  return 0.08;
}

double extension_share(RequestType t) {
  switch (t) {
    case RequestType::report: return 0.10;
    case RequestType::complaint: return 0.05;
    case RequestType::help:
    case RequestType::suggestion: return 0.04;
    default: return 0.0;
  }
}

// satisfied, basically_satisfied, dissatisfied
std::array<double, 3> satisfaction_shares(RequestType t, bool late, bool second_round) {
  if (second_round) return {0.6, 0.3, 0.1};
  switch (t) {
    case RequestType::praise:
    case RequestType::suggestion: return {0.85, 0.15, 0.0};
    case RequestType::inquiry: return {0.8, 0.17, 0.03};
    default: return late ? std::array<double, 3>{0.55, 0.25, 0.2} : std::array<double, 3>{0.72, 0.2, 0.08};
  }
}

constexpr std::array<const char*, 3> kSatisfaction = {"satisfied", "basically_satisfied", "dissatisfied"};

}  // namespace

std::vector<Step> CaseStory::plan(const CaseFacts& f, SimRandom& rng, const Taxonomy& taxonomy) {
  const PhraseBook& book = PhraseBook::builtin();
  std::vector<Step> story;
  RequestType type = f.hub_type;
  std::string category = f.hub_category;
  std::string section = f.hub_section;
  const std::string object = f.object.empty() ? "涉事车辆" : f.object;
  auto text = [&](std::string_view pool, const std::string& to = "", const std::string& result = "") {
    const auto options = book.pool(pool);
    if (options.empty()) return std::string();
    return TextComposer::expand(options[rng.below(options.size())], rng, [&](std::string_view slot) {
      if (slot == "object") return object;
      if (slot == "subject") return f.subject;
      if (slot == "to") return to;
      if (slot == "result") return result;
      return std::string();
    });
  };
  auto add = [&](Actor actor, std::string action, json args, Delay delay, bool optional = false) {
    Step s;
    s.action = std::move(action);
    s.actor = actor;
    s.section = section;
    s.who = actor == Actor::operator_ ? rng.between(0, kOperators - 1) : actor == Actor::leader ? rng.between(0, kLeaders - 1) : 0;
    s.args = std::move(args);
    s.delay = delay;
    s.optional = optional;
    story.push_back(std::move(s));
  };
  auto section_of = [&](const std::string& cat) {
    const Category* c = taxonomy.category(cat);
    return c ? c->default_section : section;
  };
  auto reclassify = [&](Delay delay) {
    json args = {{"note", "话务员核实后改类"}};
    if (category != f.true_category) args["category"] = f.true_category;
    if (type != f.true_type) args["request_type"] = std::string(to_code(f.true_type));
    add(Actor::operator_, "reclassify", args, delay);
    category = f.true_category;
    type = f.true_type;
  };

  // Where the case belongs: where the hub routed it when it got the
  // category right (a routing rule may have chosen), else the category's section.
  const std::string right_section =
      f.hub_category == f.true_category ? f.hub_section : section_of(f.true_category);

  // 改类: the operator corrects what the classifier got wrong, most of the time.
  const bool misjudged = category != f.true_category || type != f.true_type;
  bool named_section = false;
  if (misjudged && rng.chance(0.85)) {
    reclassify(work(rng, 5, 90));
    section = right_section;
    named_section = section != f.hub_section;
  }
  // 合并: a suspected duplicate is merged into the case it repeats.
  if (f.duplicate_of && rng.chance(0.75)) {
    add(Actor::operator_, "merge", {{"into", *f.duplicate_of}, {"note", "重复反映，合并办理"}}, work(rng, 10, 180));
    return story;
  }
  // 转办: not the bureau's business.
  if (category == Taxonomy::kOther && rng.chance(0.85)) {
    const std::string to = f.transfer_to.empty() ? "相关职能部门" : f.transfer_to;
    add(Actor::operator_, "transfer", {{"to", to}, {"reason", text("reason.transfer", to)}}, work(rng, 15, 240));
    return story;
  }
  // 直接办结: an inquiry answered on the call (or by calling back soon).
  if (type == RequestType::inquiry) {
    const bool desk_line = f.source == "12328" || f.source == "walkin";
    const double p = desk_line ? 0.8 : f.source == "12345" ? 0.6 : 0.5;
    if (rng.chance(p)) {
      const std::string answer = text("answer.inquiry");
      add(Actor::operator_, "reply", {{"result", answer}, {"reply", answer}},
          desk_line ? clock(rng, 2, 12) : work(rng, 10, 120));
      if (f.reachable && rng.chance(0.5)) {
        const std::size_t sat = rng.weighted(satisfaction_shares(type, false, false));
        add(Actor::operator_, "callback",
            {{"satisfaction", kSatisfaction[sat]}, {"note", text(std::string("note.callback.") + kSatisfaction[sat])}},
            work(rng, 60, 960));
      }
      return story;
    }
  }

  // 派单, and the returns that send a case back to the desk.
  auto dispatch = [&](const std::string& to, Delay delay) {
    json args = json::object();
    if (named_section || to != f.hub_section) args["section"] = to;
    section = to;
    add(Actor::operator_, "dispatch", args, delay);
  };
  auto give_back = [&](const char* pool, Delay delay) {
    add(Actor::liaison, "return", {{"reason", text(pool)}}, delay);
  };
  if (section != right_section) {
    // The classifier's section, uncorrected: that section sends it back.
    dispatch(section, work(rng, 5, 180));
    give_back("reason.return.wrong", work(rng, 30, 600));
    reclassify(work(rng, 10, 120));
    named_section = true;
    dispatch(right_section, work(rng, 5, 60));
  } else if (rng.chance(0.04)) {
    // The operator picked a wrong section.
    const auto& sections = taxonomy.sections();
    std::string wrong = sections[rng.below(sections.size())].code;
    if (wrong == right_section) wrong = right_section == "office" ? "urban" : "office";
    named_section = true;
    dispatch(wrong, work(rng, 5, 180));
    give_back("reason.return.wrong", work(rng, 30, 600));
    dispatch(right_section, work(rng, 10, 120));
  } else {
    dispatch(section, work(rng, 5, 180));
    if (rng.chance(0.03)) {
      give_back("reason.return.unclear", work(rng, 60, 600));
      dispatch(section, work(rng, 30, 300));
    }
  }

  // 签收: mostly within hours, a few after the one-day limit.
  const std::array<double, 3> sign = {0.9, 0.07, 0.03};
  switch (rng.weighted(sign)) {
    case 0: add(Actor::liaison, "sign_for", json::object(), work(rng, 10, 240)); break;
    case 1: add(Actor::liaison, "sign_for", json::object(), work(rng, 240, 480)); break;
    default: add(Actor::liaison, "sign_for", json::object(), work(rng, 480, 1200)); break;
  }
  if (rng.chance(0.015)) return story;  // stalls: stays open, goes overdue, gets supervised

  // 延期: asked before the deadline, usually granted.
  bool extended = false;
  if (rng.chance(extension_share(type))) {
    add(Actor::liaison, "extend_request", {{"days", rng.between(3, 10)}, {"reason", text("reason.extend")}},
        {Delay::Kind::toward_deadline, rng.uniform(0.55, 0.85)}, true);
    extended = rng.chance(0.85);
    add(Actor::leader, "extend_approve",
        extended ? json{{"approve", true}} : json{{"approve", false}, {"note", text("note.extend.refused")}},
        work(rng, 30, 420), true);
  }

  // 答复 and 审核.
  const bool late = rng.chance(late_share(type) * (extended ? 0.5 : 1.0));
  const char* result_pool = type == RequestType::praise       ? "result.praise"
                            : type == RequestType::suggestion ? "result.suggestion"
                            : type == RequestType::inquiry    ? "result.inquiry"
                                                              : nullptr;
  auto reply_args = [&](bool again) {
    std::string result = text(result_pool ? std::string(result_pool) : "result." + category);
    if (result.empty()) result = text("result.inquiry");
    if (again) result = "经重新核查，" + result;
    return json{{"result", result}, {"reply", text("reply.frame", "", result)}};
  };
  if (late) {
    add(Actor::liaison, "reply", reply_args(false), {Delay::Kind::past_deadline, static_cast<double>(rng.between(30, 2400))});
  } else {
    // Sections aim to reply with time left for the desk's review.
    double f_done = type == RequestType::praise ? rng.uniform(0.05, 0.5)
                                                : 0.1 + 0.75 * (rng.unit() + rng.unit()) / 2;
    add(Actor::liaison, "reply", reply_args(false), {Delay::Kind::toward_deadline, f_done});
  }
  auto close = [&](Delay delay) {
    add(rng.chance(0.8) ? Actor::operator_ : Actor::leader, "approve_close", json::object(), delay);
  };
  if (rng.chance(0.06)) {
    add(Actor::operator_, "reject_reply", {{"reason", text("reason.reject")}}, work(rng, 20, 480));
    add(Actor::liaison, "reply", reply_args(false), work(rng, 120, 1200));
    close(work(rng, 20, 300));
  } else {
    close(work(rng, 20, 300));
  }

  // 回访, and 重办 after a dissatisfied one.
  if (!f.reachable || !rng.chance(f.source == "walkin" ? 0.85 : 0.93)) return story;
  for (int round = 0; round < 2; ++round) {
    const std::size_t sat = rng.weighted(satisfaction_shares(type, late, round > 0));
    add(Actor::operator_, "callback",
        {{"satisfaction", kSatisfaction[sat]}, {"note", text(std::string("note.callback.") + kSatisfaction[sat])}},
        round == 0 ? work(rng, 30, 960) : work(rng, 60, 900));
    if (sat != 2 || round == 1) break;  // a second dissatisfied call-back leaves it open: 重办 again
    add(Actor::liaison, "reply", reply_args(true), work(rng, 300, 2100));
    close(work(rng, 30, 300));
    if (!rng.chance(0.9)) break;
  }
  return story;
}

Timestamp CaseStory::due(const Delay& delay, Timestamp previous, Timestamp deadline, const OfficeHours& hours) {
  Timestamp t = previous;
  switch (delay.kind) {
    case Delay::Kind::work:
      t = hours.after(previous, static_cast<std::int64_t>(delay.value));
      break;
    case Delay::Kind::clock:
      t.epoch = previous.epoch + static_cast<std::int64_t>(delay.value * 60);
      break;
    case Delay::Kind::toward_deadline:
      t = deadline > previous ? hours.fraction(previous, deadline, delay.value) : hours.after(previous, 30);
      break;
    case Delay::Kind::past_deadline:
      t = hours.after(std::max(previous, deadline), static_cast<std::int64_t>(delay.value));
      break;
  }
  if (t.epoch < previous.epoch + 60) t.epoch = previous.epoch + 60;
  return t.in_offset(kBeijingOffsetMinutes);
}

}  // namespace suqiu::sim
