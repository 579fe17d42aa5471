// JSONPath and payload-template evaluation: the engine runs these on every state transition.
// Each benchmark checks its own result once, then reports evaluations per second.

#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>
#include <string>

#include "bench/workloads.h"
#include "emulator/json/size.h"
#include "emulator/json/text.h"
#include "emulator/query/json_path.h"
#include "emulator/query/payload_template.h"

namespace timeslip::query {
namespace {

// A Glue-job-style state input of about 10 KB: run metadata, 40 line items, nested config.
const nlohmann::ordered_json& Document() {
  static const nlohmann::ordered_json doc = [] {
    nlohmann::ordered_json d;
    d["run"] = {
        {"id", "jr_0123456789abcdef"},
        {"workflow", "nightly-warehouse"},
        {"started", "2024-01-01T02:00:00Z"},
        {"attempt", 1},
        {"config", {{"region", "eu-west-1"}, {"dq", {{"threshold", 0.98}, {"ruleset", "core"}}}}}};
    d["customer"] = {{"id", "C-1042"}, {"name", "Acme Warehouse Ltd"}, {"tier", "gold"}};
    nlohmann::ordered_json items = nlohmann::ordered_json::array();
    const char* categories[] = {"books", "tools", "garden", "toys"};
    for (int i = 0; i < 40; ++i) {
      std::string sku = "SKU-";
      sku += std::to_string(10000 + i);
      std::string tag = "t";
      tag += std::to_string(i % 3);
      items.push_back({{"sku", sku},
                       {"category", categories[i % 4]},
                       {"price", 5.0 + (i * 7) % 40},
                       {"quantity", 1 + i % 5},
                       {"tags", {tag, "bulk"}},
                       {"description", std::string(110, 'a' + i % 26)},
                       {"dimensions", {{"w", i % 10}, {"h", 2}, {"d", 3}}}});
    }
    d["items"] = std::move(items);
    d["fx"] = {{"base", "EUR"}, {"rates", {{"USD", 1.09}, {"GBP", 0.86}, {"JPY", 157.2}}}};
    return d;
  }();
  return doc;
}

JsonPath MustCompile(const char* text) { return JsonPath::Compile(text).value(); }

void BM_SelectPath(benchmark::State& state, const char* text, std::size_t want_size) {
  const nlohmann::ordered_json& doc = Document();
  JsonPath path = MustCompile(text);
  json::Result<nlohmann::ordered_json> first = path.Select(doc);
  if (!first.ok() || (want_size > 0 && first.value().size() != want_size)) {
    state.SkipWithError("unexpected result");
    return;
  }
  for (auto _ : state) {
    json::Result<nlohmann::ordered_json> got = path.Select(doc);
    benchmark::DoNotOptimize(got);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["doc_bytes"] = static_cast<double>(json::SerializedSize(doc));
}

BENCHMARK_CAPTURE(BM_SelectPath, simple, "$.customer.id", 1);
BENCHMARK_CAPTURE(BM_SelectPath, index, "$.items[17].sku", 1);
BENCHMARK_CAPTURE(BM_SelectPath, wildcard, "$.items[*].price", 40);
BENCHMARK_CAPTURE(BM_SelectPath, filter, "$.items[?(@.price < 20 && @.category == 'books')].sku",
                  4);
BENCHMARK_CAPTURE(BM_SelectPath, recursive, "$..sku", 40);

// Find: the definite path as Choice rules use it, a pointer into the document and no copy.
void BM_FindDefinite(benchmark::State& state) {
  const nlohmann::ordered_json& doc = Document();
  JsonPath path = MustCompile("$.run.config.dq.threshold");
  if (path.Find(doc) == nullptr) {
    state.SkipWithError("not found");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(path.Find(doc));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_FindDefinite);

void BM_Compile(benchmark::State& state) {
  for (auto _ : state) {
    json::Result<JsonPath> path =
        JsonPath::Compile("$.items[?(@.price < 20 && @.category == 'books')].sku");
    benchmark::DoNotOptimize(path);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Compile);

// A Parameters object with ten ".$" fields, two of them context paths, plus literals.
void BM_RenderParameters(benchmark::State& state) {
  const nlohmann::ordered_json& doc = Document();
  nlohmann::ordered_json context = {
      {"Execution", {{"Id", "arn:aws:states:eu-west-1:123456789012:execution:nightly:run-1"}}},
      {"State", {{"Name", "LoadOrders"}, {"RetryCount", 0}}}};
  PayloadTemplate tmpl;
  auto errors = PayloadTemplate::Compile(nlohmann::ordered_json::parse(R"({
      "JobName": "load-orders",
      "Arguments": {
        "--run-id.$": "$.run.id",
        "--workflow.$": "$.run.workflow",
        "--region.$": "$.run.config.region",
        "--threshold.$": "$.run.config.dq.threshold",
        "--customer.$": "$.customer.id",
        "--tier.$": "$.customer.tier",
        "--first-sku.$": "$.items[0].sku",
        "--usd.$": "$.fx.rates.USD",
        "--execution.$": "$$.Execution.Id",
        "--state.$": "$$.State.Name",
        "--format": "parquet"
      },
      "Timeout": 60
    })"),
                                         &tmpl);
  if (!errors.empty() || !tmpl.Render(EvalContext{doc, context}).ok()) {
    state.SkipWithError("template failed");
    return;
  }
  for (auto _ : state) {
    json::Result<nlohmann::ordered_json> got = tmpl.Render(EvalContext{doc, context});
    benchmark::DoNotOptimize(got);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_RenderParameters);

}  // namespace
}  // namespace timeslip::query

namespace timeslip::query {
namespace {

// A Standard execution writes each state's output into its history as text: this is that
// cost per state for the chain's document (bench/workloads.h) and for the 10 KB one above.
void BM_HistoryText(benchmark::State& state, const nlohmann::ordered_json& doc) {
  const std::string want = doc.dump();
  if (json::Text(doc) != want) return state.SkipWithError("json::Text differs from dump()");
  for (auto _ : state) benchmark::DoNotOptimize(json::Text(doc));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(want.size()));
  state.counters["doc_bytes"] = static_cast<double>(want.size());
}
BENCHMARK_CAPTURE(BM_HistoryText, chain_document, bench::Document());
BENCHMARK_CAPTURE(BM_HistoryText, glue_document, Document());

}  // namespace
}  // namespace timeslip::query
