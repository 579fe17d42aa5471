# Sources of the JSONata evaluator (lexer, parser, evaluator, function library), relative to
# emulator/query/. Included by emulator/query/CMakeLists.txt.
set(TIMESLIP_JSONATA_CORE_SOURCES
  jsonata/jsonata.cc
  jsonata/value.cc
  jsonata/lexer.cc
  jsonata/parser.cc
  jsonata/signature.cc
  jsonata/evaluator.cc
  jsonata/evaluator_path.cc
  jsonata/evaluator_call.cc
  jsonata/stringify.cc
  jsonata/functions.cc
  jsonata/functions_string.cc
  jsonata/functions_regex.cc
  jsonata/regex_search.cc
  jsonata/functions_encoding.cc
  jsonata/functions_numeric.cc
  jsonata/functions_array.cc
  jsonata/functions_object.cc
  jsonata/functions_hof.cc
  jsonata/functions_format.cc)
