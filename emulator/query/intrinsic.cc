#include "emulator/query/intrinsic.h"

#include <fmt/format.h>

#include "emulator/query/intrinsic_internal.h"

namespace timeslip::query {

namespace internal {

json::Result<nlohmann::ordered_json> EvaluateCall(const IntrinsicCall& call, const EvalContext& ctx) {
  std::vector<nlohmann::ordered_json> values;
  values.reserve(call.args.size());
  for (std::size_t i = 0; i < call.args.size(); ++i) {
    const IntrinsicArg& arg = call.args[i];
    switch (arg.kind) {
      case IntrinsicArg::Kind::kLiteral:
        values.push_back(arg.literal);
        break;
      case IntrinsicArg::Kind::kPath: {
        // A path that finds nothing fails as JsonPath::Select says (States.Runtime).
        json::Result<nlohmann::ordered_json> selected = arg.path->Select(ctx);
        if (!selected.ok()) return selected.error();
        values.push_back(std::move(selected).value());
        break;
      }
      case IntrinsicArg::Kind::kCall: {
        json::Result<nlohmann::ordered_json> nested = EvaluateCall(*arg.call, ctx);
        if (!nested.ok()) return nested.error();
        values.push_back(std::move(nested).value());
        break;
      }
    }
    std::string problem = CheckArgType(*call.fn, i, values.back());
    if (!problem.empty()) return json::Error{std::string(kIntrinsicFailure), std::move(problem)};
  }
  return call.fn->impl(call, values, ctx);
}

namespace {

// The length of the valid UTF-8 sequence at the start of `s`, or 0 when it is not one.
std::size_t ValidSequenceAt(std::string_view s) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  std::size_t n = 0;
  std::uint32_t cp = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    n = 2;
    cp = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    n = 3;
    cp = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    n = 4;
    cp = lead & 0x07;
  } else {
    return 0;
  }
  if (s.size() < n) return 0;
  for (std::size_t i = 1; i < n; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i) & 0x3F);
  }
  const bool overlong = (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
  const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
  if (overlong || surrogate || cp > 0x10FFFF) return 0;
  return n;
}

constexpr std::size_t kSnippetChars = 120;

}  // namespace

bool IsValidUtf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = ValidSequenceAt(s.substr(i));
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string SanitizeUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = ValidSequenceAt(s.substr(i));
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::size_t CountCodePoints(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string Snippet(std::string_view text) {
  if (text.size() <= kSnippetChars) return SanitizeUtf8(text);
  return SanitizeUtf8(text.substr(0, kSnippetChars)) + "...";
}

std::string ValueSnippet(const nlohmann::ordered_json& value) {
  return Snippet(value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

}  // namespace internal

Intrinsic::Intrinsic(std::shared_ptr<const internal::IntrinsicCall> call)
    : call_(std::move(call)) {}

bool Intrinsic::LooksLikeCall(std::string_view text) { return text.substr(0, 7) == "States."; }

json::Result<Intrinsic> Intrinsic::Compile(std::string_view text) {
  json::Result<std::unique_ptr<internal::IntrinsicCall>> parsed = internal::ParseIntrinsic(text);
  if (!parsed.ok()) return parsed.error();
  std::unique_ptr<internal::IntrinsicCall> root = std::move(parsed).value();
  root->text = std::string(text);
  return Intrinsic(std::move(root));
}

const std::string& Intrinsic::text() const { return call_->text; }

json::Result<nlohmann::ordered_json> Intrinsic::Evaluate(const EvalContext& ctx) const {
  // The functions check their arguments before use; nlohmann throwing here would be our bug,
  // and it still must not take the engine down.
  try {
    return internal::EvaluateCall(*call_, ctx);
  } catch (const nlohmann::ordered_json::exception& e) {
    return json::Error{
        std::string(internal::kIntrinsicFailure),
        fmt::format("{}: internal error: {}", internal::Snippet(call_->text), e.what())};
  }
}

}  // namespace timeslip::query
