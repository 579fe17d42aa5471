// timeslip_conformance: runs the AWS-recorded cases of ../shared/conformance/sfn-aws/cases.json
// in process, each on a fresh world driven through the host's commands as the endpoint would,
// and compares the outcome by that folder's README (placeholders, numbers by value, object keys
// as sets, arrays in order).
//
//   timeslip_conformance [--cases PATH] [--known PATH]... [--only SUBSTRING] [--list-failing]
//
// A case that needs other services (`needs_services`) runs against fakes scripted from the case
// (service_script.h); one whose services cannot be scripted so is skipped, and the summary
// counts the skipped cases by reason.
//
// Known failures are data (known_failures.txt, one case id a line, `#` comments; --known
// replaces it and may be given more than once): a listed case
// that fails is "known"; an unlisted one fails the run, and so does a listed case that passes
// (the list only shrinks). --list-failing prints every failing id, to regenerate the list.
// The last line is always `N passed, N failed, N skipped`; exit 0 iff nothing failed
// unexpectedly and no listed case passed; 77 when the cases are absent (ctest's skip).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

#include "emulator/world/world.h"
#include "tests/conformance/service_script.h"

namespace timeslip {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kSkipExitCode = 77;
constexpr std::size_t kMaxShown = 200;
// A case that takes longer than this (wall time) is a runaway: the run stops and names it.
constexpr std::chrono::seconds kCaseWallLimit{20};

// ---- Comparing by the README's rules ----

std::string Trim(std::string text) {
  if (text.size() <= kMaxShown) return text;
  return text.substr(0, kMaxShown) + "...";
}

std::string Show(const Json& value) { return Trim(value.dump()); }

std::string RegexEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::strchr(R"(\^$.|?*+()[]{}/-)", c) != nullptr) out += '\\';
    out += c;
  }
  return out;
}

// What a placeholder inside a longer string stands for. The special ones match only what they
// stand for; the recorded text may also hold the placeholder's own word (AWS's message
// "ISO-8601 extended offset date-time" keeps "date" while the case's placeholders list it), so
// the literal is accepted too.
std::string PlaceholderPattern(const std::string& placeholder) {
  std::string literal = RegexEscape(placeholder);
  if (placeholder == "111111111111") return R"(\d{12})";
  if (placeholder == "<region>") return R"([a-z]{2}(?:-[a-z]+)+-\d+)";
  if (placeholder == "<partition>") return R"(aws(?:-[a-z]+)*)";
  if (placeholder == "date") {
    return "(?:" + literal +
           R"(|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?))";
  }
  return R"([\s\S]*)";
}

class Matcher {
 public:
  explicit Matcher(std::vector<std::string> placeholders) : placeholders_(std::move(placeholders)) {
    // Longest first, so "start-date" wins over "date" where both start.
    std::sort(placeholders_.begin(), placeholders_.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  }

  // Empty when `got` matches `want`; otherwise what differed, with its path.
  // `key`: the object key `want` sits under, if any.
  std::string Compare(const Json& want, const Json& got, const std::string& path,
                      const std::string& key = "") const {
    if (want.is_string()) return CompareString(want.get<std::string>(), got, path, key);
    if (want.is_number()) {
      if (got.is_number() && want.get<double>() == got.get<double>()) return "";
      return Differs(path, want, got);
    }
    if (want.is_object()) {
      if (!got.is_object()) return Differs(path, want, got);
      for (const auto& [key, value] : want.items()) {
        if (!got.contains(key)) return fmt::format("{}: missing key \"{}\"", Where(path), key);
        std::string diff = Compare(value, got.at(key), path + "." + key, key);
        if (!diff.empty()) return diff;
      }
      for (const auto& [key, value] : got.items()) {
        if (!want.contains(key)) return fmt::format("{}: unexpected key \"{}\"", Where(path), key);
      }
      return "";
    }
    if (want.is_array()) {
      if (!got.is_array() || got.size() != want.size()) return Differs(path, want, got);
      for (std::size_t i = 0; i < want.size(); ++i) {
        std::string diff = Compare(want[i], got[i], fmt::format("{}[{}]", path, i));
        if (!diff.empty()) return diff;
      }
      return "";
    }
    return want == got ? "" : Differs(path, want, got);  // booleans and null
  }

 private:
  static std::string Where(const std::string& path) { return path.empty() ? "$" : path; }
  static std::string Differs(const std::string& path, const Json& want, const Json& got) {
    return fmt::format("{} (expected {}, got {})", Where(path), Show(want), Show(got));
  }

  // A string, or the list of strings an SDK header map holds (AllHttpHeaders): what the
  // recording's transformers replaced whole with a placeholder.
  static bool IsTextValue(const Json& got) {
    if (got.is_string()) return true;
    return got.is_array() && std::all_of(got.begin(), got.end(),
                                         [](const Json& item) { return item.is_string(); });
  }

  std::string CompareString(const std::string& want, const Json& got, const std::string& path,
                            const std::string& key) const {
    for (const std::string& p : placeholders_) {
      if (want != p) continue;
      if (p == "timestamp" || p == "datetime") return "";
      // The recordings replaced States.MathRandom's number with this word.
      if (p == "RandomNumberGenerated" && got.is_number_integer()) return "";
      return IsTextValue(got) ? "" : Differs(path, want, got);
    }
    // The recordings' key-value transformers replaced volatile values (request ids, trace ids)
    // by their key's name without listing it among the placeholders: "RequestId": "RequestId".
    if (!key.empty() && want == key && IsTextValue(got)) return "";
    if (!got.is_string()) return Differs(path, want, got);
    const std::string text = got.get<std::string>();
    if (text == want) return "";
    std::optional<std::string> pattern = Pattern(want);
    if (pattern && std::regex_match(text, std::regex(*pattern))) return "";
    return Differs(path, want, got);
  }

  // The regular expression for `want` with its placeholders, or nullopt when it has none.
  std::optional<std::string> Pattern(const std::string& want) const {
    std::string out;
    bool any = false;
    for (std::size_t i = 0; i < want.size();) {
      const std::string* found = nullptr;
      for (const std::string& p : placeholders_) {
        if (!p.empty() && want.compare(i, p.size(), p) == 0) {
          found = &p;
          break;
        }
      }
      if (found != nullptr) {
        out += PlaceholderPattern(*found);
        i += found->size();
        any = true;
      } else {
        out += RegexEscape(std::string_view(want).substr(i, 1));
        ++i;
      }
    }
    if (!any) return std::nullopt;
    return out;
  }

  std::vector<std::string> placeholders_;
};

// ---- Running one case ----

struct Verdict {
  bool passed = false;
  std::string why;  // when not passed
};

std::string Text(const Json& doc, const char* key) {
  auto it = doc.find(key);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : "";
}

world::WorldOptions FreshWorld() {
  using namespace std::chrono;
  world::WorldOptions options;
  options.emulator.clock = engine::ClockMode::kVirtual;
  options.emulator.start_time = time_point_cast<milliseconds>(sys_days{year{2024} / 1 / 1});
  options.emulator.seed = 1;
  return options;
}

host::Outcome CreateMachine(world::World& world, const Json& c) {
  return world.host().Call({.service = "states",
                            .operation = "CreateStateMachine",
                            .input = {{"name", "conformance"},
                                      {"roleArn", "arn:aws:iam::111111111111:role/conformance"},
                                      {"type", Text(c, "type")},
                                      {"definition", Text(c, "definition")}}});
}

Verdict RunCreateError(const Json& c, const Matcher& matcher) {
  world::World world(FreshWorld());
  host::Outcome created = CreateMachine(world, c);
  const Json& want = c.at("expected").at("create_error");
  if (created.ok()) {
    return {false, fmt::format("CreateStateMachine succeeded (expected {})",
                               Text(want, "code"))};
  }
  const json::Error& error = created.error();
  if (error.name != Text(want, "code")) {
    return {false, fmt::format("create_error code (expected {}, got {}: {})", Text(want, "code"),
                               error.name, Trim(error.message))};
  }
  std::string diff = matcher.Compare(want.at("message"), Json(error.message), "message");
  if (!diff.empty()) return {false, "create_error " + diff};
  return {true, ""};
}

// The outcome as DescribeExecution (or StartSyncExecution) reports it.
host::Outcome Execute(world::World& world, const Json& c, const std::string& machine_arn) {
  Json start = {{"stateMachineArn", machine_arn}};
  if (c.contains("input") && c.at("input").is_string()) start["input"] = c.at("input");
  if (c.value("sync", false)) {
    return world.host().Call(
        {.service = "states", .operation = "StartSyncExecution", .input = start});
  }
  host::Outcome started =
      world.host().Call({.service = "states", .operation = "StartExecution", .input = start});
  if (!started.ok()) return started;
  world.emulator().RunToCompletion();
  return world.host().Call(
      {.service = "states",
       .operation = "DescribeExecution",
       .input = {{"executionArn", Text(started.value(), "executionArn")}}});
}

Verdict RunExecution(const Json& c, const Matcher& matcher, const Json& fakes) {
  world::World world(FreshWorld());
  if (json::Status loaded = world.fakes().LoadDocument(fakes); !loaded.ok()) {
    return {false, "the case's fakes do not load: " + loaded.error().message};
  }
  host::Outcome created = CreateMachine(world, c);
  if (!created.ok()) {
    return {false, fmt::format("CreateStateMachine failed: {}: {}", created.error().name,
                               Trim(created.error().message))};
  }
  host::Outcome outcome = Execute(world, c, Text(created.value(), "stateMachineArn"));
  if (!outcome.ok()) {
    return {false, fmt::format("execution call failed: {}: {}", outcome.error().name,
                               Trim(outcome.error().message))};
  }
  const Json& got = outcome.value();
  const Json& want = c.at("expected");
  std::string want_status = Text(want, "status");
  std::string got_status = Text(got, "status");
  if (got_status != want_status) {
    std::string detail;
    if (got.contains("error")) detail = fmt::format(" [{}: {}]", Text(got, "error"), Text(got, "cause"));
    return {false, Trim(fmt::format("status (expected {}, got {}){}", want_status, got_status,
                                    detail))};
  }
  if (want_status == "TIMED_OUT") return {true, ""};  // only the status is reliable

  if (want.contains("output")) {
    Json output = Json::parse(Text(got, "output"), nullptr, /*allow_exceptions=*/false);
    if (output.is_discarded()) {
      return {false, fmt::format("output is not JSON: {}", Trim(Text(got, "output")))};
    }
    std::string diff = matcher.Compare(want.at("output"), output, "output");
    if (!diff.empty()) return {false, diff};
  }
  if (want_status == "FAILED") {
    Json got_error = got.contains("error") ? got.at("error") : Json("");
    Json want_error = want.contains("error") ? want.at("error") : Json("");
    std::string diff = matcher.Compare(want_error, got_error, "error");
    if (!diff.empty()) return {false, diff};
    Json got_cause = got.contains("cause") ? got.at("cause") : Json("");
    Json want_cause = want.contains("cause") ? want.at("cause") : Json("");
    if (want_cause.is_object()) {
      Json parsed = Json::parse(got_cause.get<std::string>(), nullptr, false);
      if (parsed.is_discarded()) {
        return {false, fmt::format("cause is not JSON (expected {}, got {})", Show(want_cause),
                                   Show(got_cause))};
      }
      got_cause = std::move(parsed);
    }
    diff = matcher.Compare(want_cause, got_cause, "cause");
    if (!diff.empty()) return {false, diff};
  }
  return {true, ""};
}

Verdict RunCase(const Json& c, const Json& fakes) {
  std::vector<std::string> placeholders;
  for (const Json& p : c.at("expected").value("placeholders", Json::array())) {
    placeholders.push_back(p.get<std::string>());
  }
  Matcher matcher(std::move(placeholders));
  try {
    if (Text(c, "kind") == "create_error") return RunCreateError(c, matcher);
    return RunExecution(c, matcher, fakes);
  } catch (const std::exception& e) {
    return {false, fmt::format("threw: {}", Trim(e.what()))};
  }
}

// ---- Guards: a runaway or crashing case names itself before the run stops ----

char g_current_case[1024] = "";

void WriteCurrent(const char* what) {
  auto put = [](const char* s) { [[maybe_unused]] ssize_t n = write(1, s, std::strlen(s)); };
  put(what);
  put(g_current_case);
  put("\n");
}

extern "C" void OnCrash(int signal) {
  WriteCurrent(signal == SIGABRT ? "CRASHED (abort) in case: " : "CRASHED (signal) in case: ");
  _exit(3);
}

class Watchdog {
 public:
  Watchdog() : thread_([this] { Watch(); }) {}
  ~Watchdog() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  void Begin(const std::string& id) {
    std::lock_guard lock(mutex_);
    std::snprintf(g_current_case, sizeof g_current_case, "%s", id.c_str());
    deadline_ = std::chrono::steady_clock::now() + kCaseWallLimit;
  }

 private:
  void Watch() {
    std::unique_lock lock(mutex_);
    while (!done_) {
      cv_.wait_for(lock, std::chrono::milliseconds(200));
      if (!done_ && deadline_ && std::chrono::steady_clock::now() > *deadline_) {
        std::fflush(stdout);
        WriteCurrent("HUNG (over the wall-time limit) in case: ");
        _exit(4);
      }
    }
  }
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  std::thread thread_;
};

// ---- The run ----

void ReadKnown(const std::string& path, std::set<std::string>& known) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::size_t begin = line.find_first_not_of(" \t\r");
    if (begin == std::string::npos || line[begin] == '#') continue;
    std::size_t end = line.find_last_not_of(" \t\r");
    known.insert(line.substr(begin, end - begin + 1));
  }
}

struct GroupCounts {
  int passed = 0;
  int known = 0;
  int failed = 0;
  int skipped = 0;
};

int Main(int argc, char** argv) {
  std::string cases_path = TIMESLIP_SOURCE_DIR "/../shared/conformance/sfn-aws/cases.json";
  std::vector<std::string> known_paths;
  std::string only;
  bool list_failing = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--cases" && i + 1 < argc) {
      cases_path = argv[++i];
    } else if (arg == "--known" && i + 1 < argc) {
      known_paths.emplace_back(argv[++i]);
    } else if (arg == "--only" && i + 1 < argc) {
      only = argv[++i];
    } else if (arg == "--list-failing") {
      list_failing = true;
    } else {
      fmt::print(stderr, "usage: timeslip_conformance [--cases PATH] [--known PATH]... "
                         "[--only SUBSTRING] [--list-failing]\n");
      return 2;
    }
  }
  if (known_paths.empty()) {
    known_paths.emplace_back(TIMESLIP_SOURCE_DIR "/tests/conformance/known_failures.txt");
  }
  std::ifstream in(cases_path);
  if (!in) {
    fmt::print("SKIPPED: no conformance cases at {}\n", cases_path);
    return kSkipExitCode;
  }
  Json doc = Json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.contains("cases") || !doc.at("cases").is_array()) {
    fmt::print("FAIL: {} is not a cases document\n", cases_path);
    return 1;
  }
  std::set<std::string> known;
  for (const std::string& path : known_paths) ReadKnown(path, known);

  std::signal(SIGSEGV, OnCrash);
  std::signal(SIGABRT, OnCrash);
  std::signal(SIGFPE, OnCrash);
  std::signal(SIGBUS, OnCrash);

  std::map<std::string, GroupCounts> groups;
  std::map<std::string, int> skip_reasons;  // why a case needing services cannot run: count
  std::vector<std::string> known_failing;
  std::vector<std::string> fixed;
  std::vector<std::string> failing;
  int passed = 0, failed = 0, skipped = 0, with_services = 0;
  {
    Watchdog watchdog;
    for (const Json& c : doc.at("cases")) {
      const std::string id = Text(c, "id");
      if (!only.empty() && id.find(only) == std::string::npos) continue;
      GroupCounts& group = groups[Text(c, "group")];
      conformance::ServiceScript script = conformance::ScriptServices(c);
      const bool needs_services = !c.value("needs_services", Json::array()).empty();
      if (needs_services && !script.runnable) {
        ++group.skipped;
        ++skipped;
        ++skip_reasons[script.reason];
        continue;
      }
      watchdog.Begin(id);
      Verdict verdict = RunCase(c, script.fakes);
      bool listed = known.count(id) != 0;
      if (verdict.passed) {
        ++group.passed;
        ++passed;
        if (needs_services) ++with_services;
        if (listed) fixed.push_back(id);
        continue;
      }
      failing.push_back(id);
      if (listed) {
        ++group.known;
        known_failing.push_back(id);
      } else {
        ++group.failed;
        ++failed;
        fmt::print("FAIL {}: {}\n", id, verdict.why);
      }
    }
  }
  for (const std::string& id : fixed) {
    fmt::print("fixed: {} (remove it from the known failures)\n", id);
  }
  if (list_failing) {
    for (const std::string& id : failing) fmt::print("failing: {}\n", id);
  }
  fmt::print("\n{:<22} {:>7} {:>7} {:>7} {:>8}\n", "group", "passed", "known", "failed",
             "skipped");
  for (const auto& [name, g] : groups) {
    fmt::print("{:<22} {:>7} {:>7} {:>7} {:>8}\n", name, g.passed, g.known, g.failed, g.skipped);
  }
  if (!skip_reasons.empty()) fmt::print("\nskipped, by reason:\n");
  for (const auto& [reason, count] : skip_reasons) fmt::print("{:>5}  {}\n", count, reason);
  fmt::print("{} known failures ({})\n", known_failing.size(), fmt::join(known_paths, ", "));
  fmt::print("{} of the passed needed other services, run against fakes scripted from the case\n",
             with_services);
  fmt::print("{} passed, {} failed, {} skipped (each with its reason above)\n", passed, failed,
             skipped);
  return failed == 0 && fixed.empty() ? 0 : 1;
}

}  // namespace
}  // namespace timeslip

int main(int argc, char** argv) { return timeslip::Main(argc, argv); }
