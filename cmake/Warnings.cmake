# Warning flags every Suqiu target links to (an INTERFACE target, not global flags).
add_library(suqiu_warnings INTERFACE)
target_compile_options(suqiu_warnings INTERFACE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
add_library(suqiu::warnings ALIAS suqiu_warnings)

# suqiu_test(NAME SOURCES... LIBS ...) registers one gtest executable with ctest.
function(suqiu_test name)
  cmake_parse_arguments(T "" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main GTest::gmock suqiu::warnings)
  target_include_directories(${name} PRIVATE ${CMAKE_SOURCE_DIR}/tests/support)
  target_compile_definitions(${name} PRIVATE SUQIU_DATA_DIR="${SUQIU_DATA_DIR}"
    SUQIU_BINARY_DIR="${CMAKE_BINARY_DIR}")
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES TIMEOUT ${T_TIMEOUT})
  if(T_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}")
  endif()
endfunction()
