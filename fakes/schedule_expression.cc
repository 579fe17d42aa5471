#include "fakes/schedule_expression.h"

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

#include <array>
#include <charconv>
#include <stdexcept>
#include <vector>

namespace timeslip::fakes {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

constexpr int kMinYear = 1970;
constexpr int kMaxYear = 2199;

json::Error Invalid(std::string_view expression, std::string_view why) {
  return json::Error{"ValidationException",
                     fmt::format("Invalid Schedule Expression {}: {}", expression, why)};
}

std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  std::size_t begin = 0;
  for (;;) {
    std::size_t end = text.find(sep, begin);
    out.push_back(text.substr(begin, end == std::string_view::npos ? end : end - begin));
    if (end == std::string_view::npos) return out;
    begin = end + 1;
  }
}

std::optional<int> Number(std::string_view text) {
  if (text.empty() || text.size() > 6) return std::nullopt;
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// One cron field's bounds and names ("JAN" = 1, "SUN" = 1).
struct FieldRule {
  const char* what;
  int min;
  int max;
  const std::array<const char*, 12>* names = nullptr;
  int name_count = 0;
};

constexpr std::array<const char*, 12> kMonths = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                 "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr std::array<const char*, 12> kWeekdays = {"SUN", "MON", "TUE", "WED", "THU", "FRI",
                                                   "SAT", "",    "",    "",    "",    ""};

std::optional<int> Value(std::string_view text, const FieldRule& rule) {
  std::optional<int> v = Number(text);
  if (!v && rule.names != nullptr) {
    std::string upper = Upper(text);
    for (int i = 0; i < rule.name_count; ++i) {
      if (upper == (*rule.names)[i]) v = i + 1;
    }
  }
  if (!v || *v < rule.min || *v > rule.max) return std::nullopt;
  return v;
}

// "*", "a", "a-b" (wrapping when a > b), each optionally "/step"; items joined by ",".
// Calls set(v) for each value.
template <typename Set>
json::Status ParseList(std::string_view field, const FieldRule& rule, std::string_view expression,
                       Set set) {
  for (std::string_view item : Split(field, ',')) {
    int step = 1;
    if (std::size_t slash = item.find('/'); slash != std::string_view::npos) {
      std::optional<int> s = Number(item.substr(slash + 1));
      if (!s || *s <= 0) {
        return Invalid(expression,
                       fmt::format("bad increment in the {} field '{}'", rule.what, field));
      }
      step = *s;
      item = item.substr(0, slash);
    }
    int from = rule.min;
    int to = rule.max;
    if (item == "*") {
    } else if (std::size_t dash = item.find('-'); dash != std::string_view::npos) {
      std::optional<int> a = Value(item.substr(0, dash), rule);
      std::optional<int> b = Value(item.substr(dash + 1), rule);
      if (!a || !b) {
        return Invalid(expression, fmt::format("bad range in the {} field '{}'", rule.what, field));
      }
      from = *a;
      to = *b;
    } else {
      std::optional<int> a = Value(item, rule);
      if (!a) {
        return Invalid(expression, fmt::format("bad value in the {} field '{}'", rule.what, field));
      }
      from = *a;
      if (step == 1) to = *a;  // "5/15" runs from 5 to the end; "5" is 5 alone
    }
    const int span = rule.max - rule.min + 1;
    const int count = to >= from ? to - from : to + span - from;  // wraps: FRI-MON
    for (int i = 0; i <= count; i += step) {
      int v = from + i;
      if (v > rule.max) v -= span;
      set(v);
    }
  }
  return json::Ok();
}

template <std::size_t N>
json::Status ParseSet(std::string_view field, const FieldRule& rule, std::string_view expression,
                      std::bitset<N>& out, int offset = 0) {
  return ParseList(field, rule, expression, [&](int v) { out.set(v - offset); });
}

using Spec = ScheduleExpression::CronSpec;

json::Status ParseDayOfMonth(std::string_view field, std::string_view expression, Spec& spec) {
  static const FieldRule kRule{"day-of-month", 1, 31};
  if (field == "?") {
    spec.dom = Spec::Dom::kAny;
  } else if (field == "L") {
    spec.dom = Spec::Dom::kLast;
  } else if (field == "LW") {
    spec.dom = Spec::Dom::kLastWeekday;
  } else if (field.size() >= 2 && field.back() == 'W') {
    std::optional<int> n = Value(field.substr(0, field.size() - 1), kRule);
    if (!n) return Invalid(expression, fmt::format("bad day-of-month '{}'", field));
    spec.dom = Spec::Dom::kNearestWeekday;
    spec.dom_n = *n;
  } else {
    spec.dom = Spec::Dom::kSet;
    return ParseSet(field, kRule, expression, spec.dom_set);
  }
  return json::Ok();
}

json::Status ParseDayOfWeek(std::string_view field, std::string_view expression, Spec& spec) {
  static const FieldRule kRule{"day-of-week", 1, 7, &kWeekdays, 7};
  if (field == "?") {
    spec.dow = Spec::Dow::kAny;
  } else if (field == "L") {  // the last day of the week: Saturday
    spec.dow = Spec::Dow::kSet;
    spec.dow_set.set(7);
  } else if (std::size_t hash = field.find('#'); hash != std::string_view::npos) {
    std::optional<int> n = Value(field.substr(0, hash), kRule);
    std::optional<int> k = Number(field.substr(hash + 1));
    if (!n || !k || *k < 1 || *k > 5) {
      return Invalid(expression, fmt::format("bad day-of-week '{}'", field));
    }
    spec.dow = Spec::Dow::kNth;
    spec.dow_n = *n;
    spec.dow_k = *k;
  } else if (field.size() >= 2 && field.back() == 'L') {
    std::optional<int> n = Value(field.substr(0, field.size() - 1), kRule);
    if (!n) return Invalid(expression, fmt::format("bad day-of-week '{}'", field));
    spec.dow = Spec::Dow::kLastOf;
    spec.dow_n = *n;
  } else {
    spec.dow = Spec::Dow::kSet;
    return ParseSet(field, kRule, expression, spec.dow_set);
  }
  return json::Ok();
}

json::Result<Spec> ParseCron(std::string_view body, std::string_view expression) {
  std::vector<std::string_view> fields;
  for (std::string_view f : Split(body, ' ')) {
    if (!f.empty()) fields.push_back(f);
  }
  if (fields.size() != 6) {
    return Invalid(expression, fmt::format("a cron expression has 6 fields (minutes hours "
                                           "day-of-month month day-of-week year), not {}",
                                           fields.size()));
  }
  Spec spec;
  static const FieldRule kMinutes{"minutes", 0, 59};
  static const FieldRule kHours{"hours", 0, 23};
  static const FieldRule kMonth{"month", 1, 12, &kMonths, 12};
  static const FieldRule kYear{"year", kMinYear, kMaxYear};
  if (json::Status s = ParseSet(fields[0], kMinutes, expression, spec.minutes); !s.ok()) {
    return s.error();
  }
  if (json::Status s = ParseSet(fields[1], kHours, expression, spec.hours); !s.ok()) {
    return s.error();
  }
  if (json::Status s = ParseDayOfMonth(fields[2], expression, spec); !s.ok()) return s.error();
  if (json::Status s = ParseSet(fields[3], kMonth, expression, spec.months); !s.ok()) {
    return s.error();
  }
  if (json::Status s = ParseDayOfWeek(fields[4], expression, spec); !s.ok()) return s.error();
  if (json::Status s = ParseSet(fields[5], kYear, expression, spec.years, kMinYear); !s.ok()) {
    return s.error();
  }
  // "You can't specify the Day-of-month and Day-of-week fields in the same cron expression. If
  // you specify a value or a * in one of the fields, you must use a ? in the other."
  if ((spec.dom == Spec::Dom::kAny) == (spec.dow == Spec::Dow::kAny)) {
    return Invalid(expression, "exactly one of day-of-month and day-of-week must be '?'");
  }
  return spec;
}

json::Result<time::Duration> ParseRate(std::string_view body, std::string_view expression) {
  std::vector<std::string_view> parts;
  for (std::string_view p : Split(body, ' ')) {
    if (!p.empty()) parts.push_back(p);
  }
  if (parts.size() != 2) return Invalid(expression, "a rate expression is rate(value unit)");
  std::optional<int> n = Number(parts[0]);
  if (!n || *n <= 0) return Invalid(expression, "the rate's value must be a positive integer");
  std::string_view unit = parts[1];
  // The singular only for 1, as AWS writes it: rate(1 day), rate(5 days).
  if (*n != 1 && (unit == "minute" || unit == "hour" || unit == "day")) {
    return Invalid(expression, fmt::format("the unit for {} is plural: '{}s'", *n, unit));
  }
  if (unit == "minute" || unit == "minutes") return time::Duration(minutes(*n));
  if (unit == "hour" || unit == "hours") return time::Duration(hours(*n));
  if (unit == "day" || unit == "days") return time::Duration(days(*n));
  return Invalid(expression, fmt::format("unknown unit '{}' (minutes, hours or days)", unit));
}

// "yyyy-mm-ddThh:mm:ss" as a local time.
std::optional<date::local_seconds> ParseLocal(std::string_view text) {
  if (text.size() != 19 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':') {
    return std::nullopt;
  }
  std::optional<int> y = Number(text.substr(0, 4)), mo = Number(text.substr(5, 2)),
                     d = Number(text.substr(8, 2)), h = Number(text.substr(11, 2)),
                     mi = Number(text.substr(14, 2)), s = Number(text.substr(17, 2));
  if (!y || !mo || !d || !h || !mi || !s || *h > 23 || *mi > 59 || *s > 59) return std::nullopt;
  date::year_month_day ymd{date::year(*y), date::month(static_cast<unsigned>(*mo)),
                           date::day(static_cast<unsigned>(*d))};
  if (!ymd.ok()) return std::nullopt;
  return date::local_days(ymd) + hours(*h) + minutes(*mi) + std::chrono::seconds(*s);
}

// The UTC instant of a local time: nullopt when the clocks skip it; the first of two when they
// repeat it.
std::optional<date::sys_seconds> ToSys(const date::time_zone& zone, date::local_seconds local) {
  date::local_info info = zone.get_info(local);
  if (info.result == date::local_info::nonexistent) return std::nullopt;
  return date::sys_seconds(local.time_since_epoch() - info.first.offset);
}

}  // namespace

json::Result<ScheduleExpression> ScheduleExpression::Parse(std::string_view expression,
                                                           std::string_view timezone) {
  ScheduleExpression out;
  out.text_ = std::string(expression);
  out.timezone_name_ = timezone.empty() ? "UTC" : std::string(timezone);
  try {
    out.zone_ = date::locate_zone(out.timezone_name_);
  } catch (const std::exception&) {
    return json::Error{"ValidationException",
                       fmt::format("Invalid ScheduleExpressionTimezone: '{}' is not an IANA time "
                                   "zone name.",
                                   out.timezone_name_)};
  }
  auto body_of = [&](std::string_view prefix) -> std::optional<std::string_view> {
    if (expression.size() < prefix.size() + 1 || expression.substr(0, prefix.size()) != prefix ||
        expression.back() != ')') {
      return std::nullopt;
    }
    return expression.substr(prefix.size(), expression.size() - prefix.size() - 1);
  };
  if (std::optional<std::string_view> body = body_of("cron(")) {
    json::Result<CronSpec> spec = ParseCron(*body, expression);
    if (!spec.ok()) return spec.error();
    out.kind_ = Kind::kCron;
    out.cron_ = std::move(spec).value();
  } else if (std::optional<std::string_view> body = body_of("rate(")) {
    json::Result<time::Duration> period = ParseRate(*body, expression);
    if (!period.ok()) return period.error();
    out.kind_ = Kind::kRate;
    out.period_ = period.value();
  } else if (std::optional<std::string_view> body = body_of("at(")) {
    std::optional<date::local_seconds> local = ParseLocal(*body);
    if (!local) return Invalid(expression, "an at expression is at(yyyy-mm-ddThh:mm:ss)");
    date::local_info info = out.zone_->get_info(*local);
    // A skipped local time fires when the clocks jump past it.
    out.kind_ = Kind::kAt;
    out.at_ = info.result == date::local_info::nonexistent
                  ? time::Instant(info.first.end)
                  : time::Instant(local->time_since_epoch() - info.first.offset);
  } else {
    return Invalid(expression, "expected cron(...), rate(...) or at(...)");
  }
  return out;
}

std::optional<time::Instant> ScheduleExpression::NextAtOrAfter(time::Instant from,
                                                               time::Instant anchor) const {
  switch (kind_) {
    case Kind::kAt:
      if (at_ >= from) return at_;
      return std::nullopt;
    case Kind::kRate: {
      if (from <= anchor) return anchor;
      auto periods = (from - anchor + period_ - time::Duration(1)) / period_;
      return anchor + periods * period_;
    }
    case Kind::kCron:
      return NextCron(from);
  }
  return std::nullopt;
}

std::optional<time::Instant> ScheduleExpression::NextCron(time::Instant from) const {
  const CronSpec& c = cron_;
  const date::sys_seconds from_s = std::chrono::ceil<std::chrono::seconds>(from);
  // A day early: in a zone behind UTC the first candidate can sit on the previous local date.
  date::local_days day = std::chrono::floor<days>(zone_->to_local(from_s)) - days(1);
  for (;; day += days(1)) {
    const date::year_month_day ymd(day);
    const int year = static_cast<int>(ymd.year());
    if (year > kMaxYear) return std::nullopt;
    if (year < kMinYear || !c.years.test(year - kMinYear)) continue;
    const unsigned month = static_cast<unsigned>(ymd.month());
    if (!c.months.test(month)) continue;
    const int dom = static_cast<int>(static_cast<unsigned>(ymd.day()));
    const int last = static_cast<int>(static_cast<unsigned>(
        date::year_month_day_last(ymd.year(), date::month_day_last(ymd.month())).day()));
    const int dow = static_cast<int>(date::weekday(day).c_encoding()) + 1;  // 1 = SUN
    auto weekday_of = [&](int d) {  // 1 = SUN ... 7 = SAT, for day d of this month
      return ((dow - 1 + (d - dom)) % 7 + 7) % 7 + 1;
    };
    bool match = true;
    switch (c.dom) {
      case CronSpec::Dom::kAny:
        break;
      case CronSpec::Dom::kSet:
        match = c.dom_set.test(dom);
        break;
      case CronSpec::Dom::kLast:
        match = dom == last;
        break;
      case CronSpec::Dom::kLastWeekday: {
        int target = last;
        if (weekday_of(last) == 7) target = last - 1;
        if (weekday_of(last) == 1) target = last - 2;
        match = dom == target;
        break;
      }
      case CronSpec::Dom::kNearestWeekday: {
        // The weekday nearest to day n, never leaving the month.
        int n = c.dom_n;
        if (n > last) {
          match = false;
          break;
        }
        int target = n;
        if (weekday_of(n) == 7) target = n == 1 ? 3 : n - 1;
        if (weekday_of(n) == 1) target = n == last ? n - 2 : n + 1;
        match = dom == target;
        break;
      }
    }
    if (!match) continue;
    switch (c.dow) {
      case CronSpec::Dow::kAny:
        break;
      case CronSpec::Dow::kSet:
        match = c.dow_set.test(dow);
        break;
      case CronSpec::Dow::kLastOf:
        match = dow == c.dow_n && dom + 7 > last;
        break;
      case CronSpec::Dow::kNth:
        match = dow == c.dow_n && (dom - 1) / 7 + 1 == c.dow_k;
        break;
    }
    if (!match) continue;
    for (int h = 0; h < 24; ++h) {
      if (!c.hours.test(h)) continue;
      for (int m = 0; m < 60; ++m) {
        if (!c.minutes.test(m)) continue;
        std::optional<date::sys_seconds> at = ToSys(*zone_, day + hours(h) + minutes(m));
        if (at && *at >= from_s) return time::Instant(*at);
      }
    }
  }
}

}  // namespace timeslip::fakes
