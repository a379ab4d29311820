# ionpath calibrate on the pure gel (2 parameters, 2 targets, 2 starts): the fit reproduces the
# targets, writes calibration.json and calibrated.yaml; `ionpath run --params calibrated.yaml`
# then gives the targets again and its summary.json names the parameter file and its SHA-256; a
# bad key in a parameter file stops `validate` with exit 2 naming the file and line.
# Needs IONPATH, SOURCE, WORK.
include(${CMAKE_CURRENT_LIST_DIR}/check_helpers.cmake)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
file(WRITE ${WORK}/calibration.yaml "structures:
  - name: gel
    config: ${SOURCE}/examples/paper_electrolytes/pure_gel.yaml
    set: [\"grid.n_cells=[4,4,4]\"]
parameters:
  - {name: D_plus, keys: [phases.gel.D_plus_m2_s], bounds: [0.9e-11, 3.6e-11], scale: log}
  - {name: D_minus, keys: [phases.gel.D_minus_m2_s], bounds: [1.25e-11, 5.0e-11], scale: log}
targets:
  - {structure: gel, quantity: sigma_S_m, value: 0.07}
  - {structure: gel, quantity: t_plus, value: 0.45}
starts: 2
output: {directory: ${WORK}/fit}
")
execute_process(COMMAND ${IONPATH} calibrate ${WORK}/calibration.yaml --set gel:grid.n_cells=[3,3,3] RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "calibrate failed (${status}):\n${out}${err}")
endif()
foreach(re "Feasibility" "start 2/2" "Best fit" "AIC" "wrote")
  if(NOT out MATCHES "${re}")
    message(FATAL_ERROR "calibrate output lacks '${re}':\n${out}")
  endif()
endforeach()
file(READ ${WORK}/fit/calibration.json j)
string(JSON chi2 GET "${j}" chi2)
check_between("chi2 of an exactly reachable pair of targets" ${chi2} 0 1e-10)
string(JSON set GET "${j}" structures 0 command_line_set 0)
if(NOT set STREQUAL "grid.n_cells=[3,3,3]")
  message(FATAL_ERROR "calibrate --set gel:... not recorded: '${set}'")
endif()

execute_process(COMMAND ${IONPATH} run ${SOURCE}/examples/paper_electrolytes/pure_gel.yaml --params ${WORK}/fit/calibrated.yaml
                        --set grid.n_cells=[4,4,4] --set output.vtk=false -o ${WORK}/run
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "run --params failed (${status}):\n${out}${err}")
endif()
file(READ ${WORK}/run/summary.json s)
string(JSON sigma GET "${s}" axes 0 sigma_eff_S_m)
string(JSON t GET "${s}" axes 0 t_plus_linear)
check_close("sigma_eff with the calibrated parameters" ${sigma} 0.07 1e-6)
check_close("t+ with the calibrated parameters" ${t} 0.45 1e-6)
string(JSON pf GET "${s}" provenance params_file)
string(JSON ph GET "${s}" provenance params_sha256)
file(SHA256 ${WORK}/fit/calibrated.yaml expected)
if(NOT pf STREQUAL "${WORK}/fit/calibrated.yaml" OR NOT ph STREQUAL expected)
  message(FATAL_ERROR "summary.json provenance names '${pf}' (${ph}), expected ${WORK}/fit/calibrated.yaml (${expected})")
endif()

file(WRITE ${WORK}/bad_params.yaml "parameters:\n  phases.gel.D_plus_m2_s: 2.0e-11\n  phases.gel.D_plux_m2_s: 1.0e-11\n")
execute_process(COMMAND ${IONPATH} validate ${SOURCE}/examples/paper_electrolytes/pure_gel.yaml --params ${WORK}/bad_params.yaml
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 2 OR NOT err MATCHES "key 'phases.gel.D_plux_m2_s': unknown key.*in ${WORK}/bad_params.yaml:3")
  message(FATAL_ERROR "validate with a bad parameter file: status ${status}, expected 2 naming the file and line:\n${out}${err}")
endif()
message(STATUS "ok: calibrate -> calibrated.yaml -> run --params")
