# Sources of JSONata's picture-string formatting ($formatNumber, $formatInteger, $formatBase,
# $fromMillis, $toMillis), relative to emulator/query/. Included by emulator/query/CMakeLists.txt.
set(TIMESLIP_JSONATA_FORMAT_SOURCES)
