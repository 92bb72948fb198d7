#include "sim/history_desk.h"

#include <array>
#include <chrono>
#include <queue>
#include <random>
#include <stdexcept>
#include <tuple>
#include <vector>

#include <spdlog/spdlog.h>

#include "pipeline/case_workflow.h"
#include "pipeline/classifier_file.h"
#include "pipeline/intake_pipeline.h"
#include "pipeline/pipeline_settings.h"
#include "sim/case_story.h"
#include "sim/hotline_rhythm.h"
#include "sim/intake_generator.h"
#include "sim/office_hours.h"
#include "sim/phrase_book.h"
#include "sim/simulated_clock.h"
#include "store/passwords.h"
#include "store/store.h"

namespace suqiu::sim {
namespace {

using namespace std::chrono;
using nlohmann::json;

// Keys of the random streams derived from the seed, one per purpose, so
// that a change in one part of the story leaves the others as they were.
constexpr std::uint64_t kLagKey = 0x6c61'67;           // "lag"
constexpr std::uint64_t kStoryKey = 0x7374'6f72'79;    // "story"
constexpr std::uint64_t kSuperviseKey = 0x7375'7076;   // "supv"

// Intakes registered within this long of each other are stored in one
// transaction, as the hub's writer batches what arrives together.
constexpr std::int64_t kBatchSeconds = 300;
constexpr std::size_t kBatchMax = 200;

// The desk. Login names of the people who act in the history.
constexpr std::array<const char*, 3> kOperators = {"chenxiaowen", "liyanping", "hejing"};
constexpr std::array<const char*, 2> kLeaders = {"zhangjianguo", "liuzhiming"};
constexpr std::array<std::pair<const char*, const char*>, 7> kLiaisons = {{{"urban", "huangwei"},
                                                                           {"transport", "linfeng"},
                                                                           {"enforcement", "wuhaitao"},
                                                                           {"highway", "zhouli"},
                                                                           {"port", "liangqing"},
                                                                           {"supervision", "fengmin"},
                                                                           {"office", "xusha"}}};

struct Staff {
  std::vector<Viewer> operators, leaders;
  std::map<std::string, Viewer, std::less<>> liaisons;  // by section
};

// A password nobody is told: the account exists for the history's actions;
// an administrator gives it a real one with `suqiu user passwd`.
std::string unknown_password() {
  static constexpr char kChars[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::random_device device;
  std::string p;
  for (int i = 0; i < 32; ++i) p.push_back(kChars[device() % (sizeof kChars - 1)]);
  return p;
}

Viewer ensure_user(store::Store& store, const std::string& name, Role role, std::optional<std::string> section,
                   std::int64_t& created) {
  const std::string role_code(to_code(role));
  if (auto existing = store.user(name)) {
    if (existing->role != role_code || existing->section != section)
      throw std::runtime_error("user " + name + " exists as " + existing->role +
                               (existing->section ? " of " + *existing->section : "") + "; the simulated desk needs it as " +
                               role_code + (section ? " of " + *section : ""));
  } else {
    store.add_user({name, role_code, section, store::hash_password(unknown_password()), false});
    ++created;
  }
  return Viewer{name, role, section};
}

Staff ensure_staff(store::Store& store, const Taxonomy& taxonomy, std::int64_t& created) {
  Staff staff;
  for (const char* name : kOperators) staff.operators.push_back(ensure_user(store, name, Role::operator_, std::nullopt, created));
  for (const char* name : kLeaders) staff.leaders.push_back(ensure_user(store, name, Role::leader, std::nullopt, created));
  for (const auto& section : taxonomy.sections()) {
    std::string name = "liaison-" + section.code;
    for (const auto& [code, login] : kLiaisons)
      if (section.code == code) name = login;
    staff.liaisons.emplace(section.code, ensure_user(store, name, Role::liaison, section.code, created));
  }
  return staff;
}

// From the call to the case in the hub: the platforms hand their work
// orders over within minutes, the desk's own feeds at once.
std::int64_t registration_lag(std::string_view source, SimRandom& rng) {
  if (source == "12345") return rng.between(5, 40) * 60;
  if (source == "12328") return rng.between(1, 10) * 60;
  if (source == "reportbox") return rng.between(1, 30) * 60;
  if (source == "walkin") return rng.between(0, 5) * 60 + rng.between(0, 59);
  return rng.between(0, 3) * 60 + rng.between(0, 59);
}

struct Event {
  enum Kind { intake, step, supervise, tick };
  std::int64_t at;
  std::uint64_t order;  // ties keep the order events were made in
  Kind kind;
  std::size_t index;    // intake: into intakes; step: into runs; supervise: case id
};
struct Later {
  bool operator()(const Event& a, const Event& b) const { return std::tie(a.at, a.order) > std::tie(b.at, b.order); }
};

struct CaseRun {
  std::int64_t case_id = 0;
  std::vector<Step> steps;
  std::size_t next = 0;
};

}  // namespace

HistorySummary HistoryDesk::run() {
  const auto wall = steady_clock::now();
  HistorySummary sum;
  const Timestamp until = (options_.until ? *options_.until : Timestamp::now()).in_offset(kBeijingOffsetMinutes);
  const year_month_day last_day = until.local_date();
  const year_month_day first_day{sys_days{last_day} - days{options_.days}};
  const Timestamp from = Timestamp::from_local(first_day, 0);
  sum.from = from;
  sum.until = until;

  std::filesystem::create_directories(options_.data_dir);
  SimulatedClock clock(from);
  store::Store store(store::Store::database_file(options_.data_dir), store::Store::Access::writer);
  // A simulated past needs no commit to survive a power cut, only the
  // finished folder: the writer's commits are not synced one by one (WAL with
  // synchronous NORMAL; the final checkpoint syncs the database). This is the
  // simulator's only SQL, and it writes nothing. Under FULL each of the
  // ~50,000 commits of a month waited 2-3 ms for the disk's flush.
  store.connection().exec("PRAGMA synchronous=NORMAL");
  if (const auto total = store.statistics().total; total > 0)
    throw std::runtime_error(options_.data_dir.string() + " already holds " + std::to_string(total) +
                             " cases; a history is played into a fresh data folder");

  PipelineSettings settings;
  std::optional<toml::table> table;
  if (options_.config) {
    table = read_config_file(*options_.config);
    settings = load_pipeline_settings(*table);
  }
  auto classifier = load_classifier(options_.data_dir, table ? &*table : nullptr, settings.taxonomy);
  IntakePipeline pipeline(store, std::move(settings), classifier);
  const Taxonomy& taxonomy = pipeline.settings().taxonomy;
  CaseWorkflow workflow(store, taxonomy, pipeline.sla());
  const OfficeHours hours(pipeline.sla().calendar());
  const Staff staff = ensure_staff(store, taxonomy, sum.users_created);

  // The traffic of every day, in the order it was received.
  HotlineRhythm rhythm(options_.calls_per_day, pipeline.sla().calendar());
  IntakeGenerator generator(options_.seed, {}, rhythm);
  std::vector<SimIntake> intakes;
  std::priority_queue<Event, std::vector<Event>, Later> queue;
  std::uint64_t order = 0;
  auto push = [&](std::int64_t at, Event::Kind kind, std::size_t index) { queue.push({at, order++, kind, index}); };
  SimRandom lag = SimRandom::derive(options_.seed, kLagKey);
  std::size_t to_play = 0;
  for (sys_days d = sys_days{first_day}; d <= sys_days{last_day}; d += days{1}) {
    const DayTraffic day = rhythm.day(year_month_day{d}, options_.seed, until);
    for (const Arrival& a : day.arrivals) {
      intakes.push_back(generator.next(a.at, a.source, a.burst ? &day.bursts[*a.burst] : nullptr));
      const std::int64_t at = intakes.back().received_at.epoch + registration_lag(a.source, lag);
      if (at <= until.epoch) {
        push(at, Event::intake, intakes.size() - 1);
        ++to_play;
      }
    }
  }
  // The hub's deadline timers, hourly, and once more at the end.
  for (std::int64_t t = from.epoch + 3600; t < until.epoch; t += 3600) push(t, Event::tick, 0);
  push(until.epoch, Event::tick, 0);
  spdlog::info("history {} .. {}: {} intakes to play, seed {}", suqiu::to_string(first_day), until.to_string(),
               to_play, options_.seed);

  std::vector<CaseRun> runs;
  int refusals_logged = 0;
  auto schedule_next = [&](std::size_t r) {
    const CaseRun& run = runs[r];
    if (run.next >= run.steps.size()) return;
    const auto c = store.case_summary(run.case_id);
    const Timestamp now = clock.now();
    const Timestamp deadline{c ? c->deadline_ts : now.epoch, kBeijingOffsetMinutes};
    const Timestamp at = CaseStory::due(run.steps[run.next].delay, now, deadline, hours);
    if (at <= until) push(at.epoch, Event::step, r);  // beyond: the case is still where it is
  };
  auto actor = [&](const Step& s) -> const Viewer& {
    switch (s.actor) {
      case Actor::operator_: return staff.operators[static_cast<std::size_t>(s.who) % staff.operators.size()];
      case Actor::leader: return staff.leaders[static_cast<std::size_t>(s.who) % staff.leaders.size()];
      case Actor::liaison: break;
    }
    return staff.liaisons.at(s.section);
  };
  const auto& supervise_notes = PhraseBook::builtin().pool("note.supervise");
  int week = 0;

  while (!queue.empty()) {
    const Event e = queue.top();
    queue.pop();
    clock.set({e.at, kBeijingOffsetMinutes});
    switch (e.kind) {
      case Event::intake: {
        std::vector<std::size_t> batch{e.index};
        while (!queue.empty() && queue.top().kind == Event::intake && queue.top().at <= e.at + kBatchSeconds &&
               batch.size() < kBatchMax) {
          batch.push_back(queue.top().index);
          clock.set({queue.top().at, kBeijingOffsetMinutes});
          queue.pop();
        }
        std::vector<RawIntake> raw;
        std::vector<IntakePipeline::Prepared> prepared;
        for (std::size_t i : batch) {
          const SimIntake& s = intakes[i];
          // A walk-in is taken at the desk by an operator; the rest by the channel's feed.
          const std::string taken_by = s.source == "walkin" ? staff.operators[i % staff.operators.size()].name : s.source;
          raw.push_back({s.json, "suqiu-feed-sim", std::nullopt, taken_by});
          prepared.push_back(pipeline.prepare(raw.back()));
        }
        const auto results = pipeline.commit(raw, prepared);
        for (std::size_t k = 0; k < results.size(); ++k) {
          const IntakeResult& r = results[k];
          const SimIntake& s = intakes[batch[k]];
          if (r.kind != IntakeResult::Kind::accepted) {
            ++sum.not_stored;
            spdlog::warn("{} {} not stored: {} [{}] {}", s.source, s.external_id, r.error.code, r.error.field,
                         r.error.message);
            continue;
          }
          ++sum.intakes;
          CaseFacts f;
          f.source = s.source;
          f.hub_type = parse_request_type(r.request_type).value_or(RequestType::complaint);
          f.hub_category = r.category;
          f.hub_section = r.section;
          f.true_type = s.request_type;
          f.true_category = s.category;
          f.duplicate_of = r.suspected_duplicate_of;
          f.reachable = !s.caller_phone.empty();  // the platforms call back anonymous callers too
          f.subject = s.subject;
          f.object = s.object;
          f.transfer_to = s.transfer_to;
          SimRandom story = SimRandom::derive(options_.seed, kStoryKey, static_cast<std::uint64_t>(r.case_id));
          runs.push_back({r.case_id, CaseStory::plan(f, story, taxonomy), 0});
          schedule_next(runs.size() - 1);
        }
        break;
      }
      case Event::step: {
        CaseRun& run = runs[e.index];
        const Step& step = run.steps[run.next];
        const ActionOutcome out = workflow.apply(actor(step), run.case_id, step.action, step.args);
        ++run.next;
        if (out.ok) {
          ++sum.actions[step.action];
        } else if (step.optional) {
          ++sum.skipped;  // the case moved past it (an extension asked too late)
        } else {
          ++sum.refused;
          if (refusals_logged++ < 10)
            spdlog::warn("case {}: {} refused: {} {}", run.case_id, step.action, out.code, out.message);
          run.next = run.steps.size();  // the rest of its story no longer fits
        }
        schedule_next(e.index);
        break;
      }
      case Event::supervise: {
        const auto case_id = static_cast<std::int64_t>(e.index);
        SimRandom r = SimRandom::derive(options_.seed, kSuperviseKey, e.index ^ 0xffff);
        const Viewer& leader = staff.leaders[r.below(staff.leaders.size())];
        json args = {{"note", std::string(supervise_notes[r.below(supervise_notes.size())])}};
        if (workflow.apply(leader, case_id, "supervise", args).ok) ++sum.actions["supervise"];
        else ++sum.skipped;  // closed meanwhile
        break;
      }
      case Event::tick: {
        const Timestamp now = clock.now();
        for (const auto& raised : workflow.escalate(now)) {
          ++sum.escalations;
          if (raised.level != "supervision") continue;
          // Half the cases that reach 督办 get a leader's note within hours.
          SimRandom r = SimRandom::derive(options_.seed, kSuperviseKey, static_cast<std::uint64_t>(raised.case_id));
          if (!r.chance(0.5)) continue;
          const Timestamp at = hours.after(now, r.between(30, 300));
          if (at <= until) push(at.epoch, Event::supervise, static_cast<std::size_t>(raised.case_id));
        }
        // The platform feeds acknowledge the results owed to them.
        if (auto pending = store.pending_results(1000); !pending.empty()) {
          std::vector<store::ResultOutcome> delivered;
          for (const auto& p : pending) delivered.push_back({p.rid, true, "", ""});
          std::vector<RawIntake> none;
          std::vector<IntakePipeline::Prepared> nothing;
          pipeline.commit(none, nothing, {}, delivered);
          sum.results_delivered += static_cast<std::int64_t>(delivered.size());
        }
        if (const int w = static_cast<int>((now.epoch - from.epoch) / (7 * 86400)); w > week) {
          week = w;
          std::int64_t actions = 0;
          for (const auto& [name, n] : sum.actions) actions += n;
          spdlog::info("history: {} reached, {} cases, {} actions ({:.0f} s)", suqiu::to_string(now.local_date()),
                       sum.intakes, actions, duration<double>(steady_clock::now() - wall).count());
        }
        break;
      }
    }
  }
  store.checkpoint_truncate();
  sum.seconds = duration<double>(steady_clock::now() - wall).count();
  return sum;
}

}  // namespace suqiu::sim
