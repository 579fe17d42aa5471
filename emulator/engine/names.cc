#include "emulator/engine/names.h"

#include <vector>

#include <fmt/format.h>

namespace timeslip::engine {
namespace {

bool IsForbidden(unsigned char c) {
  if (c <= 0x20 || c == 0x7f) return true;  // whitespace and control characters
  static constexpr std::string_view kSpecial = "<>{}[]?*\"#%\\^|~`$&,;:/";
  return kSpecial.find(static_cast<char>(c)) != std::string_view::npos;
}

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    std::size_t at = s.find(sep, start);
    if (at == std::string_view::npos) {
      out.emplace_back(s.substr(start));
      return out;
    }
    out.emplace_back(s.substr(start, at - start));
    start = at + 1;
  }
}

}  // namespace

json::Status CheckName(std::string_view name, std::string_view what) {
  if (name.empty() || name.size() > kMaxNameLength) {
    return json::Error{"InvalidName", fmt::format("Invalid Name: '{}' ({} names must be 1 to {} "
                                                  "characters long)",
                                                  name, what, kMaxNameLength)};
  }
  for (std::size_t i = 0; i < name.size(); ++i) {
    auto c = static_cast<unsigned char>(name[i]);
    // U+0080..U+009F are control characters too: C2 80..C2 9F in UTF-8.
    bool c1_control = c == 0xC2 && i + 1 < name.size() &&
                      static_cast<unsigned char>(name[i + 1]) >= 0x80 &&
                      static_cast<unsigned char>(name[i + 1]) <= 0x9F;
    if (IsForbidden(c) || c1_control) {
      return json::Error{"InvalidName",
                         fmt::format("Invalid Name: '{}' ({} names may not contain whitespace, "
                                     "brackets, wildcards, special or control characters)",
                                     name, what)};
    }
  }
  return json::Ok();
}

std::string StateMachineArn(std::string_view region, std::string_view name) {
  return fmt::format("arn:aws:states:{}:{}:stateMachine:{}", region, kAccountId, name);
}

std::string ActivityArn(std::string_view region, std::string_view name) {
  return fmt::format("arn:aws:states:{}:{}:activity:{}", region, kAccountId, name);
}

std::string ExecutionArn(std::string_view region, std::string_view state_machine_name,
                         std::string_view execution_name, std::string_view express_run_id) {
  if (!express_run_id.empty()) {
    return fmt::format("arn:aws:states:{}:{}:express:{}:{}:{}", region, kAccountId,
                       state_machine_name, execution_name, express_run_id);
  }
  return fmt::format("arn:aws:states:{}:{}:execution:{}:{}", region, kAccountId,
                     state_machine_name, execution_name);
}

json::Result<ArnParts> ParseArn(std::string_view arn, std::string_view kind) {
  auto invalid = [&] {
    return json::Error{"InvalidArn", fmt::format("Invalid Arn: '{}'", arn)};
  };
  std::vector<std::string> parts = Split(arn, ':');
  if (parts.size() < 7 || parts[0] != "arn" || parts[1].rfind("aws", 0) != 0 ||
      parts[2] != "states" || parts[3].empty() || parts[4].empty() || parts[6].empty()) {
    return invalid();
  }
  ArnParts out{parts[3], parts[4], parts[5], parts[6], "", ""};
  const bool execution_kind = kind == "execution";
  if (execution_kind) {
    const std::size_t want = out.kind == "express" ? 9 : 8;
    if ((out.kind != "execution" && out.kind != "express") || parts.size() != want ||
        parts[7].empty() || parts[want - 1].empty()) {
      return invalid();
    }
    out.sub = parts[7];
    if (out.kind == "express") out.run_id = parts[8];
  } else if (out.kind != kind || parts.size() != 7) {
    return invalid();
  }
  return out;
}

}  // namespace timeslip::engine
