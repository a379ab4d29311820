# The README's main example (scripts/example.sh without setup/build): `ionpath run` on the three
# paper electrolytes at full size on 2 ranks, then the physics sanity checks of spec §8 item 14:
# sigma aligned > pure > random, t+ aligned > pure, random <= pure; pure gel reproduces its inputs.
include(${CMAKE_CURRENT_LIST_DIR}/check_helpers.cmake)
foreach(name pure_gel random_mmt aligned_mmt)
  execute_process(COMMAND ${MPIEXEC} -n 2 --oversubscribe ${IONPATH} run ${EXAMPLES}/${name}.yaml --output ${WORK}/${name}
                  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0 OR NOT out MATCHES "percolates" OR NOT out MATCHES "linear Bruce-Vincent t\\+")
    message(FATAL_ERROR "${name} failed (${status}):\n${out}${err}")
  endif()
  file(READ ${WORK}/${name}/summary.json j)
  string(JSON sigma_${name} GET "${j}" axes 0 sigma_eff_S_m)
  string(JSON t_${name} GET "${j}" axes 0 t_plus_linear)
endforeach()
check_close("pure gel sigma" ${sigma_pure_gel} 0.0632 1e-9)
check_close("pure gel t+" ${t_pure_gel} 0.42 1e-9)
execute_process(COMMAND python3 -c "import sys; a,p,r,ta,tp,tr=map(float,sys.argv[1:]); sys.exit(0 if a>p>r and ta>tp and tr<=tp+1e-9 else 1)"
                        ${sigma_aligned_mmt} ${sigma_pure_gel} ${sigma_random_mmt} ${t_aligned_mmt} ${t_pure_gel} ${t_random_mmt}
                RESULT_VARIABLE bad)
if(bad)
  message(FATAL_ERROR "ordering violated: sigma ${sigma_aligned_mmt} ${sigma_pure_gel} ${sigma_random_mmt}, t+ ${t_aligned_mmt} ${t_pure_gel} ${t_random_mmt}")
endif()
execute_process(COMMAND python3 ${SOURCE}/scripts/compare_paper.py ${WORK} OUTPUT_VARIABLE table)
message(STATUS "\n${table}")
