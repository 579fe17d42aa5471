#include "emulator/api/request.h"

#include <algorithm>
#include <cctype>

namespace timeslip::api {
namespace {

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

// Regions are lower-case letters, digits and dashes ("us-gov-west-1"); anything else is not one.
bool LooksLikeRegion(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

}  // namespace

std::string_view FindHeader(const Headers& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoringCase(key, name)) return value;
  }
  return {};
}

// The credential scope is "<key id>/<yyyymmdd>/<region>/<service>/aws4_request":
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
std::string RegionFromAuthorization(std::string_view authorization) {
  constexpr std::string_view kCredential = "Credential=";
  std::size_t at = authorization.find(kCredential);
  if (at == std::string_view::npos) return std::string(kDefaultRegion);
  std::string_view scope = authorization.substr(at + kCredential.size());
  scope = scope.substr(0, scope.find_first_of(", \t"));
  // Count from the end: the key id is the one part that is not ours to parse.
  std::size_t last = scope.rfind('/');  // before "aws4_request"
  if (last == std::string_view::npos || scope.substr(last + 1) != "aws4_request") {
    return std::string(kDefaultRegion);
  }
  std::size_t service = scope.rfind('/', last - 1);
  if (service == std::string_view::npos || service == 0) return std::string(kDefaultRegion);
  std::size_t region = scope.rfind('/', service - 1);
  if (region == std::string_view::npos) return std::string(kDefaultRegion);
  std::string_view name = scope.substr(region + 1, service - region - 1);
  std::size_t date = region == 0 ? std::string_view::npos : scope.rfind('/', region - 1);
  if (date == std::string_view::npos) return std::string(kDefaultRegion);  // no key id
  return LooksLikeRegion(name) ? std::string(name) : std::string(kDefaultRegion);
}

}  // namespace timeslip::api
