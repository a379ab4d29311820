# ctest "layering_rejects": the layering check must fail on each kind of violation it guards
# (a check that never fails would pass any tree). Each case is a one-file tree in BINARY_DIR.
set(cases
  "solver/electroneutral/a.hpp|#include \"solver/conduction/conduction.hpp\"|may not include solver/conduction"
  "solver/electroneutral/b.hpp|#include \"solver/pnp/pnp.hpp\"|may not include solver/pnp"
  "solver/grid/c.hpp|#include \"solver/multigrid/hierarchy.hpp\"|may not include solver/multigrid"
  "solver/d.hpp|#include <vector>|belong in one of its sub-folders"
  "physics/e.hpp|#include <petscsys.h>|must stay free of petsc"
  "mesh/f.hpp|#include \"solver/grid/domain.hpp\"|may not include solver/grid"
  "study/g.hpp|#include \"app/commands.hpp\"|may not include app"
  "io/h.hpp|#include \"study/problem.hpp\"|may not include study"
  "sweep/i.hpp|#include <petscsys.h>|must stay free of petsc"
  "study/j.hpp|#include <yaml-cpp/yaml.h>|must stay free of yaml-cpp")
set(n 0)
foreach(case IN LISTS cases)
  string(REPLACE "|" ";" parts "${case}")
  list(GET parts 0 file)
  list(GET parts 1 line)
  list(GET parts 2 expected)
  set(root ${BINARY_DIR}/layering_case_${n})
  file(REMOVE_RECURSE ${root})
  file(WRITE ${root}/${file} "${line}\n")
  execute_process(COMMAND ${CMAKE_COMMAND} -DROOT=${root} -P ${SOURCE_DIR}/cmake/check_layering.cmake
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  string(REGEX REPLACE "[ \n]+" " " err "${err}")  # message() wraps long lines
  if(rc EQUAL 0 OR NOT err MATCHES "${expected}")
    message(FATAL_ERROR "layering check accepted ${file} with '${line}' (rc ${rc}):\n${err}")
  endif()
  math(EXPR n "${n} + 1")
endforeach()
message(STATUS "layering check rejected all ${n} violations")
