# ionpath run on parallel_walls.yaml at 2 ranks; checks summary.json against the exact answers,
# and that fields are written for every axis that conducts (z, y), not for the blocked x.
file(REMOVE_RECURSE ${WORK})  # files of an earlier run must not pass for this one's
execute_process(COMMAND ${MPIEXEC} -n 2 --oversubscribe ${IONPATH} run ${CONFIG} --output ${WORK}
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "run failed (${status}):\n${out}${err}")
endif()
file(READ ${WORK}/summary.json summary)
include(${CMAKE_CURRENT_LIST_DIR}/check_helpers.cmake)
string(JSON sz GET "${summary}" axes 0 effective sigma_eff_S_m)
check_close("sigma_eff,z" ${sz} 0.0553 1e-9)
string(JSON sx GET "${summary}" axes 1 effective sigma_eff_S_m)
string(JSON px GET "${summary}" axes 1 effective percolating)
if(NOT px STREQUAL "OFF" OR NOT sx EQUAL 0)
  message(FATAL_ERROR "along x the walls must block: percolating=${px} sigma=${sx}")
endif()
string(JSON sy GET "${summary}" axes 2 effective sigma_eff_S_m)
check_close("sigma_eff,y" ${sy} 0.0553 1e-9)
string(JSON tau GET "${summary}" axes 0 geometric tortuosity_factor)
check_close("geometric tau along z" ${tau} 1.0 1e-9)
foreach(f summary.json summary.h5 fields_z.pvd fields_z.pvti fields_z.h5 fields_y.pvd fields_y.h5 structure.h5 geometry.json)
  if(NOT EXISTS ${WORK}/${f})
    message(FATAL_ERROR "missing ${f}")
  endif()
endforeach()
if(EXISTS ${WORK}/fields_x.h5)
  message(FATAL_ERROR "fields_x.h5 written although x does not conduct")
endif()
string(JSON fz GET "${summary}" axes 0 fields)
string(JSON reason GET "${summary}" axes 1 effective reason)
if(NOT fz STREQUAL "fields_z.pvd" OR NOT reason MATCHES "no conducting path")
  message(FATAL_ERROR "summary: fields '${fz}', reason along x '${reason}'")
endif()
# Conduction fields are for experiment.conductivity.voltage_V (10 mV): the potential spans 0..10 mV
# in V, NaN only where the walls block x (no cell is removed along z here), A/m2 current density.
execute_process(COMMAND /usr/bin/python3 -c "
import h5py, math, sys
f = h5py.File(sys.argv[1] + '/fields_z.h5', 'r')
phi = f['fields/potential'][...]
active = f['fields/active'][...]
j = f['fields/current_density'][...]
assert f['fields/potential'].attrs['units'] == 'V' and f['fields/current_density'].attrs['units'] == 'A/m2'
assert active.min() == 1 and 0.0 < phi.min() < phi.max() < 0.010, (phi.min(), phi.max())
# mean |j_z| = sigma_eff * V / L = 0.0553 S/m * 0.01 V / 5e-6 m
assert abs(j[..., 2].mean() / (0.0553 * 0.01 / 5e-6) - 1) < 1e-6, j[..., 2].mean()
assert dict(f['phase_labels'].attrs)['gel'] == 0
assert abs(f['results/z/sigma_eff'][()] - 0.0553) < 1e-9 and f['results/z/sigma_eff'].attrs['units'] == 'S/m'
" ${WORK} RESULT_VARIABLE bad OUTPUT_VARIABLE pyout ERROR_VARIABLE pyerr)
if(bad)
  message(FATAL_ERROR "fields_z.h5 check failed:\n${pyout}${pyerr}")
endif()
message(STATUS "sigma_z ${sz}, sigma_y ${sy}, x blocked, geometric tau_z ${tau}")
