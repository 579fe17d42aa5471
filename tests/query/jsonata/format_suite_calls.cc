#include "tests/query/jsonata/format_suite_calls.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <stdexcept>

#include "emulator/query/jsonata/datetime_format.h"
#include "emulator/query/jsonata/error.h"
#include "emulator/query/jsonata/format_integer.h"
#include "emulator/query/jsonata/format_number.h"

namespace timeslip::testing {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;
using Value = std::optional<Json>;  // nullopt: JSONata's undefined
namespace jsonata = query::jsonata;

// An expression outside what this interpreter reads: the case is skipped.
struct Unsupported : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Interpreter {
 public:
  Interpreter(std::string_view text, const Json& input, std::int64_t now_ms)
      : text_(text), input_(input), now_ms_(now_ms) {}

  Value Run() {
    Value v = Expr();
    Space();
    if (pos_ != text_.size()) throw Unsupported("trailing text");
    return v;
  }

 private:
  void Space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool Eat(std::string_view token) {
    Space();
    if (text_.substr(pos_, token.size()) != token) return false;
    pos_ += token.size();
    return true;
  }
  void Expect(std::string_view token) {
    if (!Eat(token)) throw Unsupported("expected " + std::string(token));
  }

  Value Expr() {
    Value lhs = Chain();
    if (Eat("=")) {
      Value rhs = Chain();
      if (!lhs || !rhs) return Json(false);
      if (lhs->is_number() && rhs->is_number()) {
        return Json(lhs->get<double>() == rhs->get<double>());
      }
      return Json(*lhs == *rhs);
    }
    return lhs;
  }

  Value Chain() {
    Value v = Product();
    while (Eat("~>")) {
      Expect("$");
      const std::string name = Name();
      Expect("(");
      std::vector<Value> args = {v};
      Arguments(args);
      v = Call(name, args);
    }
    return v;
  }

  Value Product() {
    Value v = Unary();
    while (Eat("*")) {
      Value rhs = Unary();
      if (!v || !rhs) return std::nullopt;
      v = Json(v->get<double>() * rhs->get<double>());
    }
    return v;
  }

  Value Unary() {
    if (Eat("-")) {
      Value v = Unary();
      if (!v) return v;
      return Json(-v->get<double>());
    }
    return Primary();
  }

  std::string Name() {
    std::size_t start = pos_;
    while (pos_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) {
      ++pos_;
    }
    return std::string(text_.substr(start, pos_ - start));
  }

  // Arguments after the '(' up to and including ')'.
  void Arguments(std::vector<Value>& args) {
    if (Eat(")")) return;
    do {
      args.push_back(Expr());
    } while (Eat(","));
    Expect(")");
  }

  Value Primary() {
    Space();
    if (pos_ >= text_.size()) throw Unsupported("end of text");
    const char c = text_[pos_];
    if (c == '"' || c == '\'') return Json(String());
    if (std::isdigit(static_cast<unsigned char>(c))) return Number();
    if (c == '{') return Object();
    if (c == '(') {
      ++pos_;
      Value v;
      if (Eat(")")) return std::nullopt;
      do {
        v = Statement();
      } while (Eat(";"));
      Expect(")");
      return v;
    }
    if (c == '$') {
      ++pos_;
      const std::string name = Name();
      if (name.empty()) throw Unsupported("context $");
      if (Eat("(")) {
        std::vector<Value> args;
        Arguments(args);
        return Call(name, args);
      }
      auto it = variables_.find(name);
      if (it == variables_.end()) throw Unsupported("unknown variable $" + name);
      return it->second;
    }
    if (std::isalpha(static_cast<unsigned char>(c))) {
      const std::string name = Name();
      if (input_.is_object() && input_.contains(name)) return input_[name];
      return std::nullopt;
    }
    throw Unsupported(std::string("unexpected ") + c);
  }

  Value Statement() {
    Space();
    const std::size_t start = pos_;
    if (Eat("$")) {
      const std::string name = Name();
      if (Eat(":=")) {
        Value v = Expr();
        variables_[name] = v;
        return v;
      }
    }
    pos_ = start;
    return Expr();
  }

  std::string String() {
    const char quote = text_[pos_++];
    std::string out;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      if (text_[pos_] == '\\') throw Unsupported("escapes");
      out.push_back(text_[pos_++]);
    }
    if (pos_ >= text_.size()) throw Unsupported("unterminated string");
    ++pos_;
    return out;
  }

  Value Number() {
    const std::string rest(text_.substr(pos_));
    char* end = nullptr;
    const double value = std::strtod(rest.c_str(), &end);
    pos_ += static_cast<std::size_t>(end - rest.c_str());
    return Json(value);
  }

  Value Object() {
    Expect("{");
    Json object = Json::object();
    if (Eat("}")) return object;
    do {
      Space();
      const std::string key = String();
      Expect(":");
      Value v = Expr();
      if (v) object[key] = *v;
    } while (Eat(","));
    Expect("}");
    return object;
  }

  static std::optional<std::string_view> Text(const std::vector<Value>& args, std::size_t i) {
    if (i >= args.size() || !args[i]) return std::nullopt;
    if (!args[i]->is_string()) throw Unsupported("non-string argument");
    return args[i]->get_ref<const std::string&>();
  }
  static std::optional<double> Num(const std::vector<Value>& args, std::size_t i) {
    if (i >= args.size() || !args[i]) return std::nullopt;
    if (!args[i]->is_number()) throw Unsupported("non-number argument");
    return args[i]->get<double>();
  }

  Value Call(const std::string& name, const std::vector<Value>& args) {
    if (name == "formatNumber") {
      auto value = Num(args, 0);
      if (!value) return std::nullopt;
      const Json options = args.size() > 2 && args[2] ? *args[2] : Json();
      return Json(jsonata::FormatNumber(*value, Text(args, 1).value(), options));
    }
    if (name == "formatInteger") {
      auto value = Num(args, 0);
      if (!value) return std::nullopt;
      return Json(jsonata::FormatInteger(*value, Text(args, 1).value()));
    }
    if (name == "parseInteger") {
      auto text = Text(args, 0);
      if (!text) return std::nullopt;
      auto value = jsonata::ParseInteger(*text, Text(args, 1).value());
      if (!value) return std::nullopt;
      return Json(*value);
    }
    if (name == "formatBase") {
      auto value = Num(args, 0);
      if (!value) return std::nullopt;
      return Json(jsonata::FormatBase(*value, Num(args, 1)));
    }
    if (name == "fromMillis") {
      auto value = Num(args, 0);
      if (!value) return std::nullopt;
      return Json(
          jsonata::FromMillis(static_cast<std::int64_t>(*value), Text(args, 1), Text(args, 2)));
    }
    if (name == "toMillis") {
      auto text = Text(args, 0);
      if (!text) return std::nullopt;
      auto value = jsonata::ToMillis(*text, Text(args, 1), now_ms_);
      if (!value) return std::nullopt;
      return Json(static_cast<double>(*value));
    }
    if (name == "now") return Json(jsonata::Now(now_ms_, Text(args, 0), Text(args, 1)));
    if (name == "substringBefore" || name == "substringAfter") {
      auto text = Text(args, 0);
      auto mark = Text(args, 1);
      if (!text || !mark) return std::nullopt;
      const std::size_t at = text->find(*mark);
      if (at == std::string_view::npos) return Json(name == "substringBefore" ? *text : "");
      return Json(std::string(name == "substringBefore" ? text->substr(0, at)
                                                        : text->substr(at + mark->size())));
    }
    throw Unsupported("function $" + name);
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  const Json& input_;
  std::int64_t now_ms_;
  std::map<std::string, Value> variables_;
};

bool SameJson(const Json& want, const Json& got) {
  if (want.is_number() && got.is_number()) return want.get<double>() == got.get<double>();
  return want == got;
}

SuiteOutcome RunCase(const Json& c, const std::string& label, const fs::path& datasets,
                     std::int64_t now_ms) {
  SuiteOutcome outcome;
  outcome.label = label + ": " + c.value("expr", "");
  Json input;
  if (c.contains("data")) {
    input = c["data"];
  } else if (c.contains("dataset") && c["dataset"].is_string()) {
    std::ifstream in(datasets / (c["dataset"].get<std::string>() + ".json"));
    input = Json::parse(in);
  }
  if (c.contains("bindings") && !c["bindings"].empty()) {
    outcome.skipped = true;
    outcome.detail = "bindings";
    return outcome;
  }
  const std::string expr = c.value("expr", "");
  try {
    Value got = Interpreter(expr, input, now_ms).Run();
    if (c.contains("code")) {
      outcome.detail = "want error " + c["code"].get<std::string>() + ", got " +
                       (got ? got->dump() : "undefined");
    } else if (c.value("undefinedResult", false)) {
      outcome.passed = !got.has_value();
      outcome.detail = "want undefined, got " + (got ? got->dump() : "undefined");
    } else if (c.contains("result")) {
      outcome.passed = got && SameJson(c["result"], *got);
      outcome.detail = "want " + c["result"].dump() + ", got " + (got ? got->dump() : "undefined");
    } else {
      outcome.skipped = true;
      outcome.detail = "no expectation";
    }
  } catch (const Unsupported& e) {
    outcome.skipped = true;
    outcome.detail = e.what();
  } catch (const jsonata::Error& e) {
    const std::string want = c.value("code", "");
    outcome.passed = !want.empty() && want == e.code();
    outcome.detail = "want " + (want.empty() ? c.value("result", Json()).dump() : want) +
                     ", got error " + e.code() + " (" + e.what() + ")";
  } catch (const std::exception& e) {
    outcome.detail = std::string("exception: ") + e.what();
  }
  return outcome;
}

}  // namespace

std::string JsonataSuiteRoot() {
  if (const char* root = std::getenv("TIMESLIP_JSONATA_SUITE")) return root;
  return "/work/shared/conformance/jsonata/test-suite";
}

std::vector<SuiteOutcome> RunSuiteGroup(const std::string& group, std::int64_t now_ms) {
  const fs::path root = JsonataSuiteRoot();
  const fs::path folder = root / "groups" / group;
  std::vector<SuiteOutcome> outcomes;
  if (!fs::is_directory(folder)) return outcomes;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    std::ifstream in(file);
    const Json cases = Json::parse(in);
    if (cases.is_array()) {
      for (std::size_t i = 0; i < cases.size(); ++i) {
        outcomes.push_back(RunCase(cases[i], file.filename().string() + "#" + std::to_string(i),
                                   root / "datasets", now_ms));
      }
    } else {
      outcomes.push_back(RunCase(cases, file.filename().string(), root / "datasets", now_ms));
    }
  }
  return outcomes;
}

void ExpectSuiteGroup(const std::string& group, std::size_t min_checked) {
  // "now" for $now() and for the date $toMillis takes from it: 2020-09-13T12:26:40Z.
  const auto outcomes = RunSuiteGroup(group, 1'600'000'000'000);
  if (outcomes.empty()) GTEST_SKIP() << "no suite folder for " << group;
  std::size_t checked = 0;
  std::size_t passed = 0;
  for (const auto& outcome : outcomes) {
    if (outcome.skipped) continue;
    ++checked;
    if (outcome.passed) {
      ++passed;
    } else {
      ADD_FAILURE() << outcome.label << "\n  " << outcome.detail;
    }
  }
  EXPECT_GE(checked, min_checked) << group;
  std::printf("[ suite    ] %s: %zu cases, %zu checked, %zu passed\n", group.c_str(),
              outcomes.size(), checked, passed);
}

}  // namespace timeslip::testing
