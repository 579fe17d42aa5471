#include "emulator/query/payload_template.h"

#include <optional>
#include <utility>
#include <variant>

#include <fmt/format.h>

#include "emulator/json/field_reader.h"
#include "emulator/query/intrinsic.h"
#include "emulator/query/json_path.h"

namespace timeslip::query {
namespace internal {

// A subtree with nothing dynamic in it is kept whole as a literal and copied on render.
struct TemplateNode {
  struct Field {
    std::string name;  // the output key, ".$" already removed
    std::string source_key;  // the key as written, for messages
    std::shared_ptr<const TemplateNode> node;
  };
  struct Dynamic {
    std::optional<JsonPath> path;
    std::optional<Intrinsic> intrinsic;
  };
  std::variant<nlohmann::ordered_json, std::vector<Field>, std::vector<std::shared_ptr<const TemplateNode>>,
               Dynamic>
      v;
  std::string source_key;  // for Dynamic: the key it came from
};

}  // namespace internal

namespace {

using internal::TemplateNode;
using NodePtr = std::shared_ptr<const TemplateNode>;

constexpr std::string_view kDynamicSuffix = ".$";

bool IsDynamicKey(const std::string& key) {
  return key.size() > kDynamicSuffix.size() &&
         key.compare(key.size() - kDynamicSuffix.size(), kDynamicSuffix.size(), kDynamicSuffix) ==
             0;
}

bool IsLiteral(const NodePtr& node) { return std::holds_alternative<nlohmann::ordered_json>(node->v); }

NodePtr CompileNode(const nlohmann::ordered_json& value, const std::string& where,
                    std::vector<TemplateProblem>& problems);

// `where` is the object that holds `key`: AWS reports a bad value there, in words that do not
// say what was wrong with it ("... must be a valid JSONPath or a valid intrinsic function call
// at /States/IntrinsicEscape/Parameters", recorded).
NodePtr CompileDynamic(const std::string& key, const nlohmann::ordered_json& value,
                       const std::string& where, std::vector<TemplateProblem>& problems) {
  auto node = std::make_shared<TemplateNode>();
  node->source_key = key;
  TemplateNode::Dynamic dynamic;
  if (!value.is_string()) {
    problems.push_back({"SCHEMA_VALIDATION_FAILED", where,
                        fmt::format("The value for the field '{}' must be a STRING that contains "
                                    "a JSONPath or an intrinsic function call",
                                    key)});
    node->v = nlohmann::ordered_json();
    return node;
  }
  const std::string invalid = fmt::format(
      "The value for the field '{}' must be a valid JSONPath or a valid intrinsic function call",
      key);
  const std::string& text = value.get_ref<const std::string&>();
  if (Intrinsic::LooksLikeCall(text)) {
    json::Result<Intrinsic> call = Intrinsic::Compile(text);
    if (!call.ok()) {
      problems.push_back({call.error().name, where, invalid});
    } else {
      dynamic.intrinsic = std::move(call).value();
    }
  } else {
    json::Result<JsonPath> path = JsonPath::Compile(text);
    if (!path.ok()) {
      problems.push_back({path.error().name, where, invalid});
    } else {
      dynamic.path = std::move(path).value();
    }
  }
  node->v = std::move(dynamic);
  return node;
}

NodePtr CompileNode(const nlohmann::ordered_json& value, const std::string& where,
                    std::vector<TemplateProblem>& problems) {
  auto node = std::make_shared<TemplateNode>();
  if (value.is_object()) {
    std::vector<TemplateNode::Field> fields;
    bool all_literal = true;
    for (auto it = value.begin(); it != value.end(); ++it) {
      const std::string& key = it.key();
      if (IsDynamicKey(key)) {
        fields.push_back({key.substr(0, key.size() - kDynamicSuffix.size()), key,
                          CompileDynamic(key, it.value(), where, problems)});
        all_literal = false;
      } else {
        NodePtr child = CompileNode(
            it.value(), json::MemberPath(json::PathStyle::kPointer, where, key), problems);
        all_literal = all_literal && IsLiteral(child);
        fields.push_back({key, key, std::move(child)});
      }
    }
    if (all_literal) {
      node->v = value;
    } else {
      node->v = std::move(fields);
    }
  } else if (value.is_array()) {
    std::vector<NodePtr> items;
    bool all_literal = true;
    for (std::size_t i = 0; i < value.size(); ++i) {
      NodePtr child =
          CompileNode(value[i], json::ElementPath(json::PathStyle::kPointer, where, i), problems);
      all_literal = all_literal && IsLiteral(child);
      items.push_back(std::move(child));
    }
    if (all_literal) {
      node->v = value;
    } else {
      node->v = std::move(items);
    }
  } else {
    node->v = value;
  }
  return node;
}

std::string Abbreviate(const nlohmann::ordered_json& doc) {
  constexpr std::size_t kMaxShown = 256;
  std::string text = doc.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  if (text.size() > kMaxShown) text = text.substr(0, kMaxShown) + "...";
  return text;
}

json::Result<nlohmann::ordered_json> RenderNode(const TemplateNode& node, const EvalContext& ctx) {
  if (const auto* literal = std::get_if<nlohmann::ordered_json>(&node.v)) return *literal;
  if (const auto* fields = std::get_if<std::vector<TemplateNode::Field>>(&node.v)) {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    for (const TemplateNode::Field& field : *fields) {
      json::Result<nlohmann::ordered_json> value = RenderNode(*field.node, ctx);
      if (!value.ok()) return value.error();
      out[field.name] = std::move(value).value();
    }
    return out;
  }
  if (const auto* items = std::get_if<std::vector<NodePtr>>(&node.v)) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const NodePtr& item : *items) {
      json::Result<nlohmann::ordered_json> value = RenderNode(*item, ctx);
      if (!value.ok()) return value.error();
      out.push_back(std::move(value).value());
    }
    return out;
  }
  const auto& dynamic = std::get<TemplateNode::Dynamic>(node.v);
  if (dynamic.intrinsic) return dynamic.intrinsic->Evaluate(ctx);
  json::Result<const nlohmann::ordered_json*> root = dynamic.path->Root(ctx);
  if (!root.ok()) return root.error();  // an undefined variable
  json::Result<nlohmann::ordered_json> selected = dynamic.path->Select(*root.value());
  if (!selected.ok()) {
    // The ASL spec names this States.ParameterPathFailure, but AWS fails the execution with
    // States.Runtime (which no Catch can handle), quoting path, key and input.
    const nlohmann::ordered_json& doc = *root.value();
    return json::Error{"States.Runtime",
                       fmt::format("The JSONPath '{}' specified for the field '{}' could not be "
                                   "found in the input '{}'",
                                   dynamic.path->text(), node.source_key, Abbreviate(doc))};
  }
  return selected;
}

}  // namespace

PayloadTemplate::PayloadTemplate() {
  auto empty = std::make_shared<TemplateNode>();
  empty->v = nlohmann::ordered_json::object();
  root_ = std::move(empty);
}

std::vector<TemplateProblem> PayloadTemplate::Compile(const nlohmann::ordered_json& tmpl,
                                                      PayloadTemplate* out) {
  std::vector<TemplateProblem> problems;
  NodePtr root = CompileNode(tmpl, "", problems);
  if (problems.empty() && out != nullptr) out->root_ = std::move(root);
  return problems;
}

json::Result<nlohmann::ordered_json> PayloadTemplate::Render(const EvalContext& ctx) const {
  return RenderNode(*root_, ctx);
}

}  // namespace timeslip::query
