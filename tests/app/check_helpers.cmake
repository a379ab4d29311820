# Shared by the tests/app/*.cmake scripts: numeric comparison with a relative tolerance (CMake has
# no floating-point math, so python3 does the arithmetic).
function(check_close what value expected tol)
  if("${value}" STREQUAL "")
    message(FATAL_ERROR "${what}: missing")
  endif()
  execute_process(COMMAND python3 -c "import sys; v,e,t=map(float,sys.argv[1:]); sys.exit(0 if abs(v-e)<=t*abs(e) else 1)"
                          ${value} ${expected} ${tol} RESULT_VARIABLE bad)
  if(bad)
    message(FATAL_ERROR "${what} = ${value}, expected ${expected} (rtol ${tol})")
  endif()
endfunction()

# value within [lo, hi] (physical bounds where no exact answer exists).
function(check_between what value lo hi)
  if("${value}" STREQUAL "")
    message(FATAL_ERROR "${what}: missing")
  endif()
  execute_process(COMMAND python3 -c "import sys; v,l,h=map(float,sys.argv[1:]); sys.exit(0 if l<=v<=h else 1)"
                          ${value} ${lo} ${hi} RESULT_VARIABLE bad)
  if(bad)
    message(FATAL_ERROR "${what} = ${value}, expected within [${lo}, ${hi}]")
  endif()
endfunction()

# Runs `ionpath run ARGN --output WORK/name` on `ranks` MPI ranks; fails the test with its output
# when the run fails. Needs MPIEXEC, IONPATH and WORK.
function(ionpath_run name ranks)
  execute_process(COMMAND ${MPIEXEC} -n ${ranks} --oversubscribe ${IONPATH} run ${ARGN} --output ${WORK}/${name}
                  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${name} failed (${status}):\n${out}${err}")
  endif()
endfunction()

# out = axes[0].key of WORK/name/summary.json.
function(summary_value out name key)
  file(READ ${WORK}/${name}/summary.json s)
  string(JSON v GET "${s}" axes 0 ${key})
  set(${out} ${v} PARENT_SCOPE)
endfunction()
