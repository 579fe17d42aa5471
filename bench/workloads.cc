#include "bench/workloads.h"

#include <string>
#include <utility>

namespace timeslip::bench {
namespace {

using Json = nlohmann::ordered_json;

// CreateStateMachine's limit on a definition's length.
// https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html
constexpr std::size_t kMaxDefinitionBytes = 1048576;

std::string StateName(int i) { return "S" + std::to_string(i); }

}  // namespace

const Json& Document() {
  static const Json doc = [] {
    Json d;
    d["run"] = {{"id", "jr_0123456789abcdef"},
                {"workflow", "nightly-warehouse"},
                {"started", "2024-01-01T02:00:00Z"},
                {"attempt", 1},
                {"config", {{"region", "eu-west-1"}, {"threshold", 0.98}, {"ruleset", "core"}}}};
    d["customer"] = {{"id", "C-1042"}, {"name", "Acme Warehouse Ltd"}, {"tier", "gold"}};
    Json tables = Json::array();
    for (int i = 0; i < 8; ++i) {
      tables.push_back({{"name", "stage_table_" + std::to_string(i)},
                        {"rows", 1000 * (i + 1)},
                        {"partitions", {"dt=2024-01-01", "region=eu"}}});
    }
    d["tables"] = std::move(tables);
    d["fx"] = {{"base", "EUR"}, {"rates", {{"USD", 1.09}, {"GBP", 0.86}, {"JPY", 157.2}}}};
    d["progress"] = {{"step", 0}, {"phase", "load"}};
    return d;
  }();
  return doc;
}

Workload PassChain(int length) {
  Json states = Json::object();
  for (int i = 1; i <= length; ++i) {
    Json state = {{"Type", "Pass"}, {"Result", i}, {"ResultPath", "$.progress.step"}};
    if (i == length) {
      state["End"] = true;
    } else {
      state["Next"] = StateName(i + 1);
    }
    states[StateName(i)] = std::move(state);
  }
  Workload w{.name = "chain", .size = length};
  w.definition = {{"StartAt", StateName(1)}, {"States", std::move(states)}};
  w.input = Document();
  w.output = Document();
  w.output["progress"]["step"] = length;
  w.transitions = length;
  return w;
}

Workload InlineMap(int items) {
  Json item_processor = {
      {"ProcessorConfig", {{"Mode", "INLINE"}}},
      {"StartAt", "Shape"},
      {"States",
       {{"Shape",
         {{"Type", "Pass"},
          {"Parameters", {{"n.$", "$.n"}, {"next.$", "States.MathAdd($.n, 1)"}}},
          {"End", true}}}}}};
  Json map = {{"Type", "Map"},
              {"ItemsPath", "$.items"},
              {"ItemProcessor", std::move(item_processor)},
              {"End", true}};
  Workload w{.name = "map", .size = items, .express = true};
  w.definition = {{"StartAt", "EachItem"}, {"States", {{"EachItem", std::move(map)}}}};
  Json in = Json::array();
  Json out = Json::array();
  for (int n = 0; n < items; ++n) {
    in.push_back({{"n", n}});
    out.push_back({{"n", n}, {"next", n + 1}});
  }
  w.input = {{"items", std::move(in)}};
  w.output = std::move(out);
  w.transitions = 1 + items;  // the Map state, then one Pass per item
  return w;
}

Workload ChoiceLoop(int turns) {
  Json check = {
      {"Type", "Choice"},
      {"Choices", {{{"Variable", "$.i"}, {"NumericLessThanPath", "$.n"}, {"Next", "Increment"}}}},
      {"Default", "Done"}};
  Json increment = {{"Type", "Pass"},
                    {"Parameters", {{"i.$", "States.MathAdd($.i, 1)"}, {"n.$", "$.n"}}},
                    {"Next", "Check"}};
  Workload w{.name = "loop", .size = turns, .express = true};
  w.definition = {{"StartAt", "Check"},
                  {"States",
                   {{"Check", std::move(check)},
                    {"Increment", std::move(increment)},
                    {"Done", {{"Type", "Succeed"}}}}}};
  w.input = {{"i", 0}, {"n", turns}};
  w.output = {{"i", turns}, {"n", turns}};
  w.transitions = 2 * static_cast<std::int64_t>(turns) + 2;  // Check turns+1 times, Done once
  return w;
}

Workload Small(int id) {
  Json prepare = {
      {"Type", "Pass"}, {"Parameters", {{"id.$", "$.id"}, {"kind", "small"}}}, {"Next", "Route"}};
  Json route = {
      {"Type", "Choice"},
      {"Choices", {{{"Variable", "$.id"}, {"NumericGreaterThanEquals", 0}, {"Next", "Done"}}}}};
  Workload w{.name = "small", .size = 1};
  w.definition = {{"StartAt", "Prepare"},
                  {"States",
                   {{"Prepare", std::move(prepare)},
                    {"Route", std::move(route)},
                    {"Done", {{"Type", "Succeed"}}}}}};
  w.input = {{"id", id}, {"payload", "x"}};
  w.output = {{"id", id}, {"kind", "small"}};
  w.transitions = 3;
  return w;
}

Json PeerWorkloads(bool quick) {
  auto entry = [](const Workload& w, int executions, bool concurrent, bool over_http) {
    return Json{{"name", w.name},
                {"size", w.size},
                {"type", w.express ? "EXPRESS" : "STANDARD"},
                {"definition", w.definition},
                {"input", w.input},
                {"output", w.output},
                {"transitions", w.transitions},
                // For "small": execution i takes input.id = i and must return output.id = i.
                {"executions", executions},
                {"concurrent", concurrent},
                {"http", over_http}};
  };
  Json all = Json::array();
  for (int length : quick ? std::vector<int>{10, 1000} : std::vector<int>{10, 1000, 10000}) {
    // A 10,000-state definition is over the API's 1 MiB definition limit: in process only.
    Workload chain = PassChain(length);
    const bool fits = chain.definition.dump().size() <= kMaxDefinitionBytes;
    all.push_back(entry(chain, 1, false, fits));
  }
  all.push_back(entry(InlineMap(quick ? 1000 : 10000), 1, false, true));
  all.push_back(entry(ChoiceLoop(quick ? 1000 : 100000), 1, false, true));
  const int small = quick ? 100 : 10000;
  all.push_back(entry(Small(0), small, false, false));
  all.push_back(entry(Small(0), small, true, false));
  return all;
}

}  // namespace timeslip::bench
