# Sources of JSONata's picture-string formatting ($formatNumber, $formatInteger, $formatBase,
# $fromMillis, $toMillis), relative to emulator/query/. Included by emulator/query/CMakeLists.txt.
set(TIMESLIP_JSONATA_FORMAT_SOURCES
  jsonata/format_text.cc
  jsonata/number_words.cc
  jsonata/letter_numerals.cc
  jsonata/integer_picture.cc
  jsonata/format_integer.cc
  jsonata/format_base.cc
  jsonata/format_number.cc
  jsonata/datetime_picture.cc
  jsonata/datetime_calendar.cc
  jsonata/datetime_format.cc
  jsonata/datetime_parse.cc)
