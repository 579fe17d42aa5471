// Paths: steps mapped over sequences, filters, position and context bindings (tuple streams),
// sorting and grouping. The flattening rules follow the reference: each step's results are
// joined one level deep, except arrays built by a constructor.

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "emulator/query/jsonata/error.h"
#include "emulator/query/jsonata/evaluator_internal.h"

namespace timeslip::query::jsonata {
namespace {

Value TupleOf(const Value& context) {
  auto t = std::make_shared<Object>();
  t->fields.emplace_back("@", context);
  return Value::Of(std::move(t));
}

Value CopyTuple(const Value& tuple) {
  auto t = std::make_shared<Object>();
  tuple.ForEachField([&](const std::string& k, const Value& v) { t->fields.emplace_back(k, v); });
  return Value::Of(std::move(t));
}

template <typename F>
void ForEachItem(const Value& v, F&& f) {
  if (v.IsArray()) {
    std::size_t n = v.size();
    for (std::size_t i = 0; i < n; ++i) f(i, v.at(i));
  } else {
    f(0, v);
  }
}

}  // namespace

Value Evaluator::EvalPath(const Node& n, const Value& input, const FramePtr& frame) {
  Value inputs;
  if (input.IsArray() && n.items[0]->type != NodeType::kVariable) {
    inputs = input;
  } else {
    inputs = MakeSequence({input});
  }
  bool is_tuple = false;
  bool have_tuples = false;
  Value tuples;
  Value result;
  for (std::size_t i = 0; i < n.items.size(); ++i) {
    const Node& step = *n.items[i];
    if (step.tuple) is_tuple = true;
    if (i == 0 && step.consarray) {
      result = Eval(step, inputs, frame);
    } else if (is_tuple) {
      tuples = EvalTupleStep(step, inputs, have_tuples ? &tuples : nullptr, frame);
      have_tuples = true;
    } else {
      result = EvalStep(step, inputs, frame, i + 1 == n.items.size());
    }
    if (!is_tuple && (result.undefined() || (result.IsArray() && result.size() == 0))) break;
    if (step.focus.empty()) {
      if (is_tuple) {
        auto next = Array::Sequence();
        ForEachItem(tuples,
                    [&](std::size_t, const Value& t) { next->items.push_back(t.Get("@")); });
        inputs = Value::Of(std::move(next));
      } else {
        inputs = result;
      }
    }
  }
  if (is_tuple) {
    if (n.tuple) {
      result = tuples;
    } else {
      auto out = Array::Sequence();
      ForEachItem(tuples, [&](std::size_t, const Value& t) {
        Value v = t.Get("@");
        if (v.defined()) out->items.push_back(std::move(v));
      });
      result = Value::Of(std::move(out));
    }
  }
  if (n.keep_singleton_array && result.IsArray()) {
    if (result.cons() && !result.sequence()) result = MakeSequence({result});
    if (!result.sequence()) {
      // An array from the input: copy it into a sequence so the flag can stick.
      auto seq = Array::Sequence();
      AppendFlat(*seq, result);
      result = Value::Of(std::move(seq));
    }
    result.array()->keep_singleton = true;
  } else if (n.keep_singleton_array && result.defined()) {
    auto seq = Array::Sequence();
    seq->items.push_back(result);
    seq->keep_singleton = true;
    result = Value::Of(std::move(seq));
  }
  if (n.group) result = EvalGroup(n.group->pairs, is_tuple ? tuples : result, frame);
  return result;
}

Value Evaluator::EvalStep(const Node& step, const Value& inputs, const FramePtr& frame, bool last) {
  if (step.type == NodeType::kSort) {
    Value sorted = EvalSort(step, inputs, frame);
    return EvalStages(step.stages, std::move(sorted), frame);
  }
  std::vector<Value> results;
  results.reserve(inputs.IsArray() ? inputs.size() : 1);
  ForEachItem(inputs, [&](std::size_t, const Value& item) {
    Value r = Eval(step, item, frame);
    for (const Stage& stage : step.stages) {
      if (!stage.is_index) r = EvalFilter(*stage.expr, r, frame);
    }
    if (r.defined()) results.push_back(std::move(r));
  });
  if (last && results.size() == 1 && results[0].IsArray() && !results[0].sequence()) {
    return results[0];
  }
  // A single plain value needs no sequence around it: the next step and the caller treat
  // both alike, and this is the common case of a path through objects.
  if (results.size() == 1 && !results[0].IsArray()) return results[0];
  auto out = Array::Sequence();
  for (Value& r : results) {
    if (!r.IsArray() || r.cons()) {
      out->items.push_back(std::move(r));
    } else {
      AppendFlat(*out, r);
    }
  }
  return Value::Of(std::move(out));
}

Value Evaluator::EvalTupleStep(const Node& step, const Value& inputs, const Value* tuples,
                               const FramePtr& frame) {
  if (step.type == NodeType::kSort) {
    Value result;
    if (tuples != nullptr) {
      result = EvalSort(step, *tuples, frame);
    } else {
      Value sorted = EvalSort(step, inputs, frame);
      auto out = Array::Sequence();
      out->tuple_stream = true;
      ForEachItem(sorted, [&](std::size_t i, const Value& v) {
        Value t = TupleOf(v);
        if (!step.index.empty()) t.object()->Set(step.index, Value::Number(static_cast<double>(i)));
        out->items.push_back(std::move(t));
      });
      result = Value::Of(std::move(out));
    }
    return EvalStages(step.stages, std::move(result), frame);
  }
  auto out = Array::Sequence();
  out->tuple_stream = true;
  auto visit = [&](const Value& tuple) {
    FramePtr local = FrameFromTuple(frame, tuple);
    Value context = tuple.Get("@");
    Value r = Eval(step, context, local);
    if (r.undefined()) return;
    bool stream = r.tuple_stream();
    ForEachItem(r, [&](std::size_t bb, const Value& item) {
      Value t = CopyTuple(tuple);
      Object& obj = *t.object();
      if (stream) {
        item.ForEachField([&](const std::string& k, const Value& v) { obj.Set(k, v); });
      } else {
        if (!step.focus.empty()) {
          obj.Set(step.focus, item);
          obj.Set("@", context);
        } else {
          obj.Set("@", item);
        }
        if (!step.index.empty()) obj.Set(step.index, Value::Number(static_cast<double>(bb)));
        if (step.ancestor) obj.Set(step.ancestor->label, context);
      }
      out->items.push_back(std::move(t));
    });
  };
  if (tuples != nullptr) {
    ForEachItem(*tuples, [&](std::size_t, const Value& t) { visit(t); });
  } else {
    ForEachItem(inputs, [&](std::size_t, const Value& item) { visit(TupleOf(item)); });
  }
  return EvalStages(step.stages, Value::Of(std::move(out)), frame);
}

Value Evaluator::EvalStages(const std::vector<Stage>& stages, Value input, const FramePtr& frame) {
  for (const Stage& stage : stages) {
    if (!stage.is_index) {
      input = EvalFilter(*stage.expr, input, frame);
      continue;
    }
    ForEachItem(input, [&](std::size_t i, const Value& t) {
      if (Object* o = t.object(); o != nullptr && t.IsObject()) {
        o->Set(stage.var, Value::Number(static_cast<double>(i)));
      }
    });
  }
  return input;
}

Value Evaluator::EvalFilter(const Node& predicate, const Value& input, const FramePtr& frame) {
  if (input.undefined()) return {};
  auto out = Array::Sequence();
  bool stream = input.tuple_stream();
  out->tuple_stream = stream;
  std::size_t size = input.IsArray() ? input.size() : 1;
  auto item_at = [&](std::size_t i) { return input.IsArray() ? input.at(i) : input; };
  if (predicate.type == NodeType::kLiteral && predicate.literal.IsNumber()) {
    double index = std::floor(predicate.literal.number());
    if (index < 0) index += static_cast<double>(size);
    if (index >= 0 && index < static_cast<double>(size)) {
      Value item = item_at(static_cast<std::size_t>(index));
      if (item.IsArray()) return item;
      out->items.push_back(std::move(item));
    }
    return Value::Of(std::move(out));
  }
  for (std::size_t i = 0; i < size; ++i) {
    Value item = item_at(i);
    Value context = item;
    FramePtr local = frame;
    if (stream) {
      context = item.Get("@");
      local = FrameFromTuple(frame, item);
    }
    Value r = Eval(predicate, context, local);
    bool numbers = r.IsNumber();
    if (r.IsArray()) {
      numbers = true;
      for (std::size_t k = 0; k < r.size() && numbers; ++k) numbers = r.at(k).IsNumber();
    }
    if (numbers) {
      auto matches = [&](double n) {
        double idx = std::floor(n);
        if (idx < 0) idx += static_cast<double>(size);
        return idx == static_cast<double>(i);
      };
      if (r.IsNumber()) {
        if (matches(r.number())) out->items.push_back(item);
      } else {
        for (std::size_t k = 0; k < r.size(); ++k) {
          if (matches(r.at(k).number())) out->items.push_back(item);
        }
      }
    } else if (ToBoolean(r)) {
      out->items.push_back(std::move(item));
    }
  }
  return Value::Of(std::move(out));
}

Value Evaluator::EvalSort(const Node& sort, const Value& input, const FramePtr& frame) {
  if (input.undefined()) return {};
  bool stream = input.tuple_stream();
  std::vector<Value> items;
  ForEachItem(input, [&](std::size_t, const Value& v) { items.push_back(v); });
  // Each term's key for each item, computed once.
  std::vector<std::vector<Value>> keys(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    Value context = stream ? items[i].Get("@") : items[i];
    FramePtr local = stream ? FrameFromTuple(frame, items[i]) : frame;
    for (const SortTerm& term : sort.sort_terms)
      keys[i].push_back(Eval(*term.expr, context, local));
  }
  std::vector<std::size_t> order(items.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto less = [&](std::size_t a, std::size_t b) {
    for (std::size_t t = 0; t < sort.sort_terms.size(); ++t) {
      const Value& x = keys[a][t];
      const Value& y = keys[b][t];
      if (x.undefined() && y.undefined()) continue;
      if (x.undefined()) return false;
      if (y.undefined()) return true;
      if (!(x.IsNumber() || x.IsString()) || !(y.IsNumber() || y.IsString())) {
        throw Error("T2008",
                    "The expressions within an order-by clause must evaluate to numeric or "
                    "string values",
                    sort.position);
      }
      if (x.kind() != y.kind()) {
        throw Error("T2007", "Type mismatch when comparing values in order-by clause",
                    sort.position);
      }
      int cmp = x.IsNumber() ? (x.number() < y.number()   ? -1
                                : x.number() > y.number() ? 1
                                                          : 0)
                             : x.string().compare(y.string());
      if (cmp == 0) continue;
      bool before = cmp < 0;
      return sort.sort_terms[t].descending ? !before : before;
    }
    return false;
  };
  std::stable_sort(order.begin(), order.end(), less);
  auto out = Array::Sequence();
  out->tuple_stream = stream;
  for (std::size_t i : order) out->items.push_back(items[i]);
  return Value::Of(std::move(out));
}

Value Evaluator::EvalGroup(const std::vector<std::pair<NodePtr, NodePtr>>& pairs,
                           const Value& input, const FramePtr& frame) {
  bool reduce = input.tuple_stream();
  if (!reduce && !input.IsArray()) {
    // One context (an object constructor's usual case): no grouping to do, so each pair gives
    // at most one field.
    auto out = std::make_shared<Object>();
    std::vector<std::string> seen;  // keys, including those whose value was undefined
    for (const auto& [key_node, value_node] : pairs) {
      Value key = Eval(*key_node, input, frame);
      if (key.undefined()) continue;
      if (!key.IsString()) {
        throw Error(
            "T1003",
            "Key in object structure must evaluate to a string; got: " + Stringify(key, false),
            key_node->position);
      }
      for (const std::string& k : seen) {
        if (k == key.string()) {
          throw Error("D1009", "Multiple key definitions evaluate to same key: " + key.string(),
                      key_node->position, key.string());
        }
      }
      seen.push_back(key.string());
      Value v = Eval(*value_node, input, frame);
      if (v.defined()) out->fields.emplace_back(key.string(), std::move(v));
    }
    return Value::Of(std::move(out));
  }
  std::vector<Value> items;
  ForEachItem(input, [&](std::size_t, const Value& v) { items.push_back(v); });
  if (input.IsArray() && items.empty()) items.emplace_back();
  struct Group {
    std::string key;
    std::vector<Value> members;
    std::size_t pair = 0;
  };
  std::vector<Group> groups;
  std::unordered_map<std::string, std::size_t> index;
  for (const Value& item : items) {
    FramePtr local = reduce ? FrameFromTuple(frame, item) : frame;
    Value context = reduce ? item.Get("@") : item;
    for (std::size_t p = 0; p < pairs.size(); ++p) {
      Value key = Eval(*pairs[p].first, context, local);
      if (key.undefined()) continue;
      if (!key.IsString()) {
        throw Error(
            "T1003",
            "Key in object structure must evaluate to a string; got: " + Stringify(key, false),
            pairs[p].first->position);
      }
      auto [it, fresh] = index.emplace(key.string(), groups.size());
      if (fresh) {
        groups.push_back({key.string(), {item}, p});
      } else {
        Group& g = groups[it->second];
        if (g.pair != p) {
          throw Error("D1009", "Multiple key definitions evaluate to same key: " + key.string(),
                      pairs[p].first->position, key.string());
        }
        g.members.push_back(item);
      }
    }
  }
  auto out = std::make_shared<Object>();
  for (Group& g : groups) {
    Value data = g.members[0];
    if (g.members.size() > 1) {
      auto all = std::make_shared<Array>();
      for (const Value& m : g.members) AppendFlat(*all, m);
      data = Value::Of(std::move(all));
    }
    FramePtr local = frame;
    if (reduce) {
      // Merge the members' tuples: each binding becomes the sequence of its values.
      auto merged = std::make_shared<Object>();
      for (std::size_t i = 0; i < g.members.size(); ++i) {
        g.members[i].ForEachField([&](const std::string& k, const Value& v) {
          const Value* old = merged->Find(k);
          merged->Set(k, old == nullptr || i == 0 ? v : AppendValues(*old, v));
        });
      }
      Value tuple = Value::Of(merged);
      data = tuple.Get("@");
      local = FrameFromTuple(frame, tuple);
    }
    Value v = Eval(*pairs[g.pair].second, data, local);
    if (v.defined()) out->fields.emplace_back(g.key, std::move(v));
  }
  return Value::Of(std::move(out));
}

}  // namespace timeslip::query::jsonata
