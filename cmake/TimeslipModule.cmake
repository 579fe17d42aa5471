# One helper per kind of target, so the dependency graph reads at a glance.
# Designated initializers that leave defaulted members out are how we build option structs.
set(TIMESLIP_WARNINGS -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)

function(timeslip_module name)
  cmake_parse_arguments(M "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(timeslip_${name} STATIC ${M_SOURCES})
  add_library(timeslip::${name} ALIAS timeslip_${name})
  target_include_directories(timeslip_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_compile_options(timeslip_${name} PRIVATE ${TIMESLIP_WARNINGS})
  target_link_libraries(timeslip_${name} PUBLIC ${M_PUBLIC_DEPS} PRIVATE ${M_PRIVATE_DEPS})
endfunction()

# timeslip_tests(module SOURCES ... DEPS ...): one test binary per module in build/bin/.
function(timeslip_tests name)
  cmake_parse_arguments(T "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(timeslip_${name}_tests ${T_SOURCES})
  target_compile_options(timeslip_${name}_tests PRIVATE ${TIMESLIP_WARNINGS})
  target_link_libraries(timeslip_${name}_tests PRIVATE ${T_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  gtest_discover_tests(timeslip_${name}_tests DISCOVERY_TIMEOUT 60
                       WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
endfunction()
