// timeslip_jsonata_suite: runs the JSONata reference test suite (../shared/conformance/jsonata/
// test-suite/, read in place; TESTSUITE.md there gives the case format) against our evaluator.
//
//   timeslip_jsonata_suite [--suite DIR] [--known PATH] [--only SUBSTRING] [--list-failing]
//                          [--verbose]
//
// Each case compiles `expr`, evaluates it on `data` (or the named dataset; null: undefined)
// with `bindings`, and expects `result` (numbers compared by value), `undefinedResult`, or an
// error whose code is `code`. `depth` becomes the evaluation depth limit; `timelimit` (ms)
// becomes a budget of node evaluations, so the outcome never depends on the machine's speed.
// $now() sees a fixed instant and $random() a seeded Rng.
//
// Known failures are data (known_failures.txt: one `group/caseNNN` a line, `#` comments): a
// listed case that fails is "known"; an unlisted one fails the run, and so does a listed case
// that passes (the list only shrinks). --list-failing prints every failing id, to regenerate
// the list. The last line is always `N passed, N failed, N skipped`; exit 0 iff nothing failed
// unexpectedly and no listed case passed; 77 when the suite is absent (ctest's skip).

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "emulator/query/jsonata/jsonata.h"

namespace timeslip {
namespace {

namespace fs = std::filesystem;
namespace jsonata = query::jsonata;
using Json = nlohmann::ordered_json;

constexpr int kSkipExitCode = 77;
// Node evaluations allowed per millisecond of a case's `timelimit`.
constexpr std::uint64_t kStepsPerMilli = 20000;

bool SameJson(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) {
    double x = a.get<double>(), y = b.get<double>();
    if (x == y) return true;
    return std::fabs(x - y) <= 1e-12 * std::max(std::fabs(x), std::fabs(y));
  }
  if (a.type() != b.type()) return false;
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!SameJson(a[i], b[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(); it != a.end(); ++it) {
      auto other = b.find(it.key());
      if (other == b.end() || !SameJson(it.value(), *other)) return false;
    }
    return true;
  }
  return a == b;
}

std::string Short(const std::string& text) {
  return text.size() <= 200 ? text : text.substr(0, 200) + "...";
}

// A lone surrogate escape ("\uD800") is valid JavaScript but not JSON for nlohmann; escaping
// its backslash hands the escape to the JSONata lexer instead, which reads it the same way.
std::string EscapeLoneSurrogates(const std::string& text) {
  static const std::regex kLone(R"(\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F]))");
  std::string out;
  std::size_t from = 0;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kLone);
       it != std::sregex_iterator(); ++it) {
    out += text.substr(from, static_cast<std::size_t>(it->position(0)) - from);
    out += "\\" + it->str(0);
    from = static_cast<std::size_t>(it->position(0) + it->length(0));
  }
  return out + text.substr(from);
}

std::optional<Json> ReadJson(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  Json doc = Json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    doc = Json::parse(EscapeLoneSurrogates(text.str()), nullptr, /*allow_exceptions=*/false);
  }
  if (doc.is_discarded()) return std::nullopt;
  return doc;
}

struct Verdict {
  bool passed = false;
  std::string why;
};

class Runner {
 public:
  explicit Runner(fs::path suite) : suite_(std::move(suite)) {}

  // `expr`, or the text of `expr-file` beside the case.
  static std::string Expr(const Json& c, const fs::path& dir) {
    if (c.contains("expr-file")) {
      std::ifstream in(dir / c.at("expr-file").get<std::string>());
      std::stringstream text;
      text << in.rdbuf();
      return text.str();
    }
    return c.value("expr", "");
  }

  Verdict Run(const Json& c, const fs::path& dir) {
    std::shared_ptr<const Json> input;
    if (c.contains("data")) {
      input = std::make_shared<const Json>(c.at("data"));
    } else if (c.contains("dataset") && c.at("dataset").is_string()) {
      input = Dataset(c.at("dataset").get<std::string>());
      if (!input) return {false, "missing dataset"};
    }
    jsonata::Bindings bindings;
    if (c.contains("bindings") && c.at("bindings").is_object()) {
      for (auto it = c.at("bindings").begin(); it != c.at("bindings").end(); ++it) {
        bindings.Set(it.key(), it.value());
      }
    }
    time::Rng rng(42);
    jsonata::Environment env;
    env.now = time::Instant(std::chrono::milliseconds(1700000000000));
    env.rng = &rng;
    if (c.contains("depth") && c.at("depth").is_number()) env.max_depth = c.at("depth").get<int>();
    if (c.contains("timelimit") && c.at("timelimit").is_number()) {
      env.max_steps = c.at("timelimit").get<std::uint64_t>() * kStepsPerMilli;
    }
    const std::string expr = Expr(c, dir);
    std::string want_code;
    if (c.contains("code")) want_code = c.at("code").get<std::string>();
    if (c.contains("error") && c.at("error").is_object())
      want_code = c.at("error").value("code", "");
    std::optional<Json> result;
    try {
      jsonata::Expression compiled = jsonata::Expression::Compile(expr);
      result = compiled.Evaluate(input, bindings, env);
    } catch (const jsonata::Error& e) {
      if (!want_code.empty()) {
        if (e.code() == want_code) return {true, ""};
        return {false, "expected error " + want_code + ", got " + e.code() + ": " + e.what()};
      }
      return {false, "error " + e.code() + ": " + e.what()};
    } catch (const std::exception& e) {
      return {false, std::string("exception: ") + e.what()};
    }
    if (!want_code.empty()) {
      return {false, "expected error " + want_code + ", got " +
                         (result ? Short(result->dump()) : "undefined")};
    }
    if (c.value("undefinedResult", false)) {
      if (!result) return {true, ""};
      return {false, "expected undefined, got " + Short(result->dump())};
    }
    if (!c.contains("result")) return {false, "case has no expectation"};
    if (!result) return {false, "expected " + Short(c.at("result").dump()) + ", got undefined"};
    if (SameJson(*result, c.at("result"))) return {true, ""};
    return {false, "expected " + Short(c.at("result").dump()) + ", got " + Short(result->dump())};
  }

 private:
  std::shared_ptr<const Json> Dataset(const std::string& name) {
    auto it = datasets_.find(name);
    if (it != datasets_.end()) return it->second;
    std::optional<Json> doc = ReadJson(suite_ / "datasets" / (name + ".json"));
    std::shared_ptr<const Json> shared;
    if (doc) shared = std::make_shared<const Json>(std::move(*doc));
    datasets_[name] = shared;
    return shared;
  }

  fs::path suite_;
  std::map<std::string, std::shared_ptr<const Json>> datasets_;
};

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

int Main(int argc, char** argv) {
  std::string suite = TIMESLIP_SOURCE_DIR "/../shared/conformance/jsonata/test-suite";
  std::string known_path = TIMESLIP_SOURCE_DIR "/tests/query/jsonata/known_failures.txt";
  std::string only;
  bool list_failing = false;
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--suite" && i + 1 < argc) {
      suite = argv[++i];
    } else if (arg == "--known" && i + 1 < argc) {
      known_path = argv[++i];
    } else if (arg == "--only" && i + 1 < argc) {
      only = argv[++i];
    } else if (arg == "--list-failing") {
      list_failing = true;
    } else if (arg == "--verbose") {
      verbose = true;
    } else {
      std::fprintf(stderr,
                   "usage: timeslip_jsonata_suite [--suite DIR] [--known PATH] "
                   "[--only SUBSTRING] [--list-failing] [--verbose]\n");
      return 2;
    }
  }
  fs::path groups_dir = fs::path(suite) / "groups";
  if (!fs::is_directory(groups_dir)) {
    std::printf("SKIPPED: no JSONata test suite at %s\n", suite.c_str());
    return kSkipExitCode;
  }
  std::set<std::string> known;
  ReadKnown(known_path, known);

  std::vector<fs::path> files;
  for (const auto& group : fs::directory_iterator(groups_dir)) {
    if (!group.is_directory()) continue;
    for (const auto& file : fs::directory_iterator(group.path())) {
      if (file.path().extension() == ".json") files.push_back(file.path());
    }
  }
  std::sort(files.begin(), files.end());

  Runner runner(suite);
  int passed = 0, failed = 0, skipped = 0;
  std::vector<std::string> failing, fixed;
  for (const fs::path& file : files) {
    std::string base = file.parent_path().filename().string() + "/" + file.stem().string();
    std::optional<Json> doc = ReadJson(file);
    if (!doc) {
      ++skipped;
      std::printf("SKIP %s: not JSON\n", base.c_str());
      continue;
    }
    std::vector<std::pair<std::string, Json>> cases;
    if (doc->is_array()) {
      for (std::size_t i = 0; i < doc->size(); ++i) {
        cases.emplace_back(base + "[" + std::to_string(i) + "]", (*doc)[i]);
      }
    } else {
      cases.emplace_back(base, *doc);
    }
    for (const auto& [id, c] : cases) {
      if (!only.empty() && id.find(only) == std::string::npos) continue;
      Verdict v = runner.Run(c, file.parent_path());
      bool listed = known.count(id) != 0;
      if (v.passed) {
        ++passed;
        if (listed) fixed.push_back(id);
        continue;
      }
      failing.push_back(id);
      if (listed) {
        if (verbose) std::printf("known %s: %s\n", id.c_str(), Short(v.why).c_str());
        continue;
      }
      ++failed;
      if (!list_failing) {
        std::printf("FAIL %s: %s\n   expr: %s\n", id.c_str(), Short(v.why).c_str(),
                    Short(Runner::Expr(c, file.parent_path())).c_str());
      }
    }
  }
  if (list_failing) {
    for (const std::string& id : failing) std::printf("%s\n", id.c_str());
    return 0;
  }
  for (const std::string& id : fixed) {
    std::printf("PASSES (remove it from known_failures.txt): %s\n", id.c_str());
  }
  std::printf("%zu known failures\n", failing.size() - static_cast<std::size_t>(failed));
  std::printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
  return failed == 0 && fixed.empty() ? 0 : 1;
}

}  // namespace
}  // namespace timeslip

int main(int argc, char** argv) { return timeslip::Main(argc, argv); }
