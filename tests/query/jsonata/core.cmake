# Unit tests of the JSONata evaluator, relative to tests/query/. Included by tests/query/CMakeLists.txt.
set(TIMESLIP_JSONATA_CORE_TESTS)
