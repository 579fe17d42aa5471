#pragma once
// A parser for the Data Quality Definition Language (DQDL) that Glue's data-quality rulesets are
// written in: validates `Rules = [ rule, rule, ... ]` and splits it into its rules, so that
// CreateDataQualityRuleset refuses what Glue would refuse and an evaluation can name each rule.
// https://docs.aws.amazon.com/glue/latest/dg/dqdl.html
//
// The rule types timeslip knows, with their parameters (quoted strings) and expressions:
//   RowCount, ColumnCount                              <number expression>
//   Completeness, Uniqueness, ColumnLength, Mean, Sum,
//   StandardDeviation, DistinctValuesCount "col"       <number expression>
//   IsComplete, IsUnique, ColumnExists "col"           (no expression)
//   IsPrimaryKey "col" ["col" ...]                     (no expression)
//   ColumnValues "col"                                 <value expression>
//   CustomSql "sql"                                    [<number expression>]
// Expressions: = > >= < <= != V; [not] between A and B; [not] in [V, ...]; for ColumnValues also
// [not] matches "regex"; values are numbers, quoted strings, NULL, EMPTY, WHITESPACES_ONLY. After
// the expression, ColumnValues, ColumnLength and CustomSql take `with threshold <op> N`, and any
// rule `where "sql"`. Rules combine as `(rule) and (rule)`, `(rule) or (rule)`, nested. `#` starts
// a comment to the end of the line.
// Other rule types (DataFreshness, ReferentialIntegrity, ...) are refused by name: timeslip does
// not evaluate them. Never throws or aborts, whatever the bytes.

#include <string>
#include <string_view>
#include <vector>

#include "emulator/json/result.h"

namespace timeslip::services::glue {

struct DqdlRule {
  std::string type;  // "IsComplete"; "Composite" for rules joined by and/or
  std::string text;  // the rule as written, trimmed: Glue's RuleResult Description
};

// The top-level rules of `text`, in order. Error: InvalidInputException naming where the text
// broke (line and column) and what was expected there, or the rule type timeslip refuses.
json::Result<std::vector<DqdlRule>> ParseDqdl(std::string_view text);

}  // namespace timeslip::services::glue
