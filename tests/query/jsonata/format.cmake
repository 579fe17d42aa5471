# Unit tests of JSONata's picture-string formatting, relative to tests/query/.
set(TIMESLIP_JSONATA_FORMAT_TESTS
  jsonata/format_suite_calls.cc
  jsonata/format_number_test.cc
  jsonata/format_integer_test.cc
  jsonata/datetime_format_test.cc)
