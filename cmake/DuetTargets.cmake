# Shared target settings: warnings for project code only, and the one-directory-one-library rule.

function(duet_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                           -Wno-sign-conversion)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    # GCC 12 reports false -Wrestrict and -Wstringop-overflow inside libstdc++ at -O3
    # (GCC bugs 105329 and 105651), on std::string and std::vector code that is correct.
    target_compile_options(${target} PRIVATE -Wno-restrict -Wno-stringop-overflow)
  endif()
  if(DUET_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# duet_library(<name> SOURCES ... [DEPS ...]): the library duet_<name>, alias duet::<name>,
# whose headers are included as "<name>/header.h" from src/.
function(duet_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(duet_${name} STATIC ${ARG_SOURCES})
  add_library(duet::${name} ALIAS duet_${name})
  target_include_directories(duet_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(duet_${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  duet_warnings(duet_${name})
endfunction()

# In a sanitizer build, the targets of the calling directory that do little work of their own
# (tests, benchmarks, fuzz drivers, the command, the server, the engine's jobs and the project
# files) compile at -O0: the work they call is in the libraries, built at -O1 (CMakeLists.txt),
# and -O0 compiles their templates (GoogleTest, CLI11, nlohmann-json) in a quarter to a half of
# the time. They also compile as unity builds (CMake's UNITY_BUILD: a target's sources eight to a
# translation unit), so the JSON and GoogleTest code they all instantiate is compiled once per
# eight files, not once per file; their sources keep their file-local names apart for it.
# Measured on four engine jobs (sync, compose, deliver, edit), at rest: 100 s at -O1 one by one,
# 59 s at -O0, 38 s at -O0 as one unit (docs/benchmarks.md, "The test command").
macro(duet_quick_to_build)
  if(DUET_SANITIZE)
    add_compile_options(-O0)
    set(CMAKE_UNITY_BUILD ON)
  endif()
endmacro()
