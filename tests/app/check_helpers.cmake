# Shared by the tests/app/*.cmake scripts: numeric comparison with a relative tolerance (CMake has
# no floating-point math, so python3 does the arithmetic).
# Fails with "what = value, expected <expectation>" unless python3 evaluates `condition` (with v =
# value and a, b = the two numbers) to true.
function(check_float what value condition a b expectation)
  if("${value}" STREQUAL "")
    message(FATAL_ERROR "${what}: missing")
  endif()
  execute_process(COMMAND python3 -c "import sys; v,a,b=map(float,sys.argv[1:]); sys.exit(0 if ${condition} else 1)"
                          ${value} ${a} ${b} RESULT_VARIABLE bad)
  if(bad)
    message(FATAL_ERROR "${what} = ${value}, expected ${expectation}")
  endif()
endfunction()

# value within tol (relative) of expected.
function(check_close what value expected tol)
  check_float("${what}" "${value}" "abs(v-a)<=b*abs(a)" ${expected} ${tol} "${expected} (rtol ${tol})")
endfunction()

# value within [lo, hi] (physical bounds where no exact answer exists).
function(check_between what value lo hi)
  check_float("${what}" "${value}" "a<=v<=b" ${lo} ${hi} "within [${lo}, ${hi}]")
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
