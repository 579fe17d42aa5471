# Sources of the JSONata evaluator (lexer, parser, evaluator, function library), relative to
# emulator/query/. Included by emulator/query/CMakeLists.txt.
set(TIMESLIP_JSONATA_CORE_SOURCES)
