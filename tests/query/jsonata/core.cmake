# Unit tests of the JSONata evaluator, relative to tests/query/. Included by tests/query/CMakeLists.txt.
set(TIMESLIP_JSONATA_CORE_TESTS
  jsonata/jsonata_test.cc)

# The JSONata reference suite (../shared/conformance/jsonata/test-suite/), read in place.
# Known failures are data: jsonata/known_failures.txt.
if(NOT TARGET timeslip_jsonata_suite)
  add_executable(timeslip_jsonata_suite ${CMAKE_CURRENT_LIST_DIR}/suite_runner.cc)
  target_compile_options(timeslip_jsonata_suite PRIVATE ${TIMESLIP_WARNINGS})
  target_link_libraries(timeslip_jsonata_suite PRIVATE timeslip::query)
  target_compile_definitions(timeslip_jsonata_suite PRIVATE
    TIMESLIP_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  add_test(NAME jsonata_suite COMMAND timeslip_jsonata_suite)
  set_tests_properties(jsonata_suite PROPERTIES
    SKIP_RETURN_CODE 77 LABELS conformance TIMEOUT 120)
endif()
